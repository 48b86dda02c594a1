"""`copbot_directory_calls_total` tells what each directory call came to: a bug or an unexpected
failure of the directory is counted as an error, never as a success."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from copbot.directory import AddOutcome, DirectoryError, DirectoryUnavailable
from copbot.directory_metrics import InstrumentedDirectory
from copbot.metrics import Metrics


class Scripted:
    """A directory whose add_member answers, in turn, what the test lists (or raises it)."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)

    async def add_member(self, group_id: str, user_id: str) -> AddOutcome:
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer


def calls(metrics: Metrics, outcome: str) -> float:
    value = metrics.registry.get_sample_value(
        "copbot_directory_calls_total", {"operation": "add_member", "outcome": outcome}
    )
    return value or 0.0


async def test_each_outcome_is_counted_as_what_it_was() -> None:
    metrics = Metrics()
    directory = InstrumentedDirectory(
        Scripted(  # type: ignore[arg-type]
            AddOutcome.ADDED,
            AddOutcome.ALREADY_MEMBER,
            DirectoryUnavailable("throttled", status=429, retry_after=3),
            DirectoryError("refused", status=403),
            KeyError("a bug in the directory client"),
            asyncio.CancelledError(),
        ),
        metrics,
    )
    assert await directory.add_member("g", "u") == AddOutcome.ADDED
    assert await directory.add_member("g", "u") == AddOutcome.ALREADY_MEMBER
    with pytest.raises(DirectoryUnavailable):
        await directory.add_member("g", "u")
    with pytest.raises(DirectoryError):
        await directory.add_member("g", "u")
    with pytest.raises(KeyError):
        await directory.add_member("g", "u")
    with pytest.raises(asyncio.CancelledError):
        await directory.add_member("g", "u")
    assert {
        outcome: calls(metrics, outcome)
        for outcome in ("added", "already_member", "unavailable", "error", "cancelled", "ok")
    } == {
        "added": 1,
        "already_member": 1,
        "unavailable": 1,
        "error": 2,  # the refusal and the unexpected exception
        "cancelled": 1,
        "ok": 0,
    }
