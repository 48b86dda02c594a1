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
        ("meetings_answered", {"question": 1, "late": "maybe"}),
        ("join", {"cop": "UBS", "note": ["a list"]}),
        ("join", {"cop": "UBS", "confirm_primary": {"x": 1}}),
        ("membership.reject", {"request_id": "r", "reason": 5}),
        ("meetings_ask", {"occurrence": "o", "question": "x" * 5000}),
    ],
)
def test_free_text_and_flags_of_the_wrong_type_are_refused(verb: str, data: dict) -> None:
    with pytest.raises(InvalidActionData):
        validated(verb, data)


@pytest.mark.parametrize(
    ("data", "coerced"),
    [
        ({"question": 10**30}, 0),  # was an OverflowError in SQLite
        ({"question": "abc", "late": True}, 0),  # was a ValueError
        ({"question": "12"}, 12),
        ({"question": -3}, 0),
    ],
)
def test_row_ids_that_name_nothing_become_no_row(data: dict, coerced: int) -> None:
    assert validated("meetings_answered", data)["question"] == coerced


def test_ids_of_the_wrong_type_name_nothing() -> None:
    for odd in (None, ["x"], {"$ne": ""}, "x" * 5000, 1.5):
        assert validated("membership.approve", {"request_id": odd}) == {"request_id": ""}


def test_handlers_get_coerced_values_and_only_the_keys_sent() -> None:
    assert validated("meetings_answered", {"question": "12", "occurrence": "o"}) == {
        "question": 12,
        "occurrence": "o",
    }
    assert validated("membership.reject", {"request_id": "r", "decided_by": "forged"}) == {
        "request_id": "r"
    }
