"""What a bulk import did, row by row, and what it is doing now (for a progress bar)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from copbot.importer.csvfile import BadRow, Row

__all__ = ["DONE", "ImportReport", "Outcome", "Progress", "RowResult"]


class Outcome(enum.StrEnum):
    ADDED = "added"
    ALREADY_MEMBER = "already_member"
    UNKNOWN_PERSON = "unknown_person"
    FAILED = "failed"
    WOULD_ADD = "would_add"  # dry run only


DONE = frozenset({Outcome.ADDED, Outcome.ALREADY_MEMBER})


@dataclass(frozen=True)
class RowResult:
    row: Row
    outcome: Outcome
    user_id: str | None = None
    reason: str = ""  # why it failed
    note: str = ""  # e.g. the person's primary CoP was kept


@dataclass(frozen=True)
class Progress:
    """What the importer is doing, for a progress bar."""

    stage: str  # "resolve" | "add" | "check" | "wait"
    done: int = 0  # rows finished in this stage
    total: int = 0
    cop_id: str | None = None
    wait_s: float | None = None  # stage "wait": seconds Graph asked us to wait


@dataclass
class ImportReport:
    key: str
    dry_run: bool = False
    lines: int = 0
    results: list[RowResult] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    previously_done: list[Row] = field(default_factory=list)
    finished: bool = False

    def of(self, *outcomes: Outcome) -> list[RowResult]:
        return [r for r in self.results if r.outcome in outcomes]

    def counts(self) -> dict[str, int]:
        counts = {str(o): 0 for o in Outcome}
        for result in self.results:
            counts[str(result.outcome)] += 1
        counts["bad_rows"] = len(self.bad)
        counts["previously_done"] = len(self.previously_done)
        return counts
