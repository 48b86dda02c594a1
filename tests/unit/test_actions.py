"""Every card verb the features register has a data model (bot/actions.py), and the models
refuse what used to crash handlers."""

from __future__ import annotations

import pytest

from bot.actions import ACTIONS, InvalidActionData, validated
from bot.features import build_router


def test_every_registered_verb_has_a_data_model() -> None:
    registered = set(build_router().verbs())
    assert registered - set(ACTIONS) == set(), "add these verbs to bot/actions.py ACTIONS"
    assert set(ACTIONS) - registered == set(), "these models name no registered verb"


@pytest.mark.parametrize(
    ("verb", "data"),
    [
        ("meetings_answered", {"question": 10**30}),
        ("meetings_answered", {"question": "abc", "late": True}),
        ("membership.approve", {"request_id": {"$ne": ""}}),
        ("join", {"cop": "UBS", "note": ["a list"]}),
        ("details", {"cop": "x" * 10_000}),
    ],
)
def test_data_that_does_not_fit_is_refused(verb: str, data: dict) -> None:
    with pytest.raises(InvalidActionData):
        validated(verb, data)


def test_handlers_get_coerced_values_and_only_the_keys_sent() -> None:
    assert validated("meetings_answered", {"question": "12", "occurrence": "o"}) == {
        "question": 12,
        "occurrence": "o",
    }
    assert validated("membership.reject", {"request_id": "r", "decided_by": "forged"}) == {
        "request_id": "r"
    }
