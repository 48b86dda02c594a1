"""Every card the bot can send passes Microsoft's Adaptive Cards renderer and Teams' limits.

The cards come from `tests/cards/samples/` (see its docstring to add some). All of them go through
the npm `adaptivecards` package in one Node process (`tools/validators/validate-cards.mjs`), which
parses each card at the version it declares: no parse warnings (unknown elements or actions,
features newer than the declared version, bad values) and no validation errors. On top:
- a card declares a version Teams renders (1.0 to 1.5);
- a Universal Actions card (any Action.Execute, or a refresh) declares 1.4 or later and a
  fallbackText;
- a card stays under 40 KB serialized (a Teams message gets 413 at about 100 KB, and a card is
  often sent with others or updated in place).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.cards.samples import Sample, all_samples, card_functions, card_modules, samples_module
from tests.cards.validators import run_node

MAX_CARD_BYTES = 40 * 1024
TEAMS_MAX_VERSION = (1, 5)
UNIVERSAL_ACTIONS_MIN_VERSION = (1, 4)

SAMPLES = all_samples()


@pytest.fixture(scope="module")
def renderer_results() -> dict[str, dict[str, Any]]:
    """What the renderer says about every sample, from one Node process."""
    payload = [{"name": s.name, "card": s.card} for s in SAMPLES if s.card is not None]
    _, results = run_node("validate-cards.mjs", payload)
    return {r["name"]: r for r in results}


def _version(card: dict[str, Any]) -> tuple[int, ...] | None:
    try:
        return tuple(int(part) for part in str(card["version"]).split("."))
    except (KeyError, ValueError):
        return None


def _objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


def uses_universal_actions(card: dict[str, Any]) -> bool:
    return "refresh" in card or any(o.get("type") == "Action.Execute" for o in _objects(card))


def teams_faults(card: dict[str, Any]) -> list[str]:
    faults = []
    if card.get("type") != "AdaptiveCard":
        faults.append(f"type is {card.get('type')!r}, not 'AdaptiveCard'")
    version = _version(card)
    if version is None:
        faults.append(f"no valid version: {card.get('version')!r}")
    elif version > TEAMS_MAX_VERSION:
        faults.append(f"version {card['version']} is newer than Teams renders (1.5)")
    if uses_universal_actions(card):
        if version is not None and version < UNIVERSAL_ACTIONS_MIN_VERSION:
            faults.append(f"Universal Actions need version 1.4 or later, not {card['version']}")
        if not str(card.get("fallbackText") or "").strip():
            faults.append("a Universal Actions card needs a fallbackText")
    size = len(json.dumps(card, ensure_ascii=False).encode("utf-8"))
    if size > MAX_CARD_BYTES:
        faults.append(f"{size} bytes serialized; at most {MAX_CARD_BYTES}")
    return faults


# -- discovery: new cards need samples -------------------------------------------------------------


@pytest.mark.parametrize("family", card_modules())
def test_every_card_module_has_samples(family: str) -> None:
    assert samples_module(family) is not None, (
        f"cards/{family}.py has no samples: add tests/cards/samples/{family}.py "
        "(see tests/cards/samples/__init__.py)"
    )


CARD_FUNCTIONS = [
    f
    for family in card_modules()
    for f in card_functions(importlib.import_module(f"cards.{family}"))
]


@pytest.mark.parametrize("function", CARD_FUNCTIONS)
def test_every_card_function_has_a_sample(function: str) -> None:
    sampled = {s.function for s in SAMPLES}
    family = function.split(".")[1]
    assert function in sampled, f"{function} has no sample in tests/cards/samples/{family}.py"


def test_sample_names_are_unique() -> None:
    names = [s.name for s in SAMPLES]
    assert sorted({n for n in names if names.count(n) > 1}) == []


def test_discovery_sees_the_known_cards() -> None:
    assert {
        "cards.communities.community_list_card",
        "cards.help.help_card",
        "cards.meetings.announcement.announcement_card",  # in a package of card modules
        "cards.meetings.digest.digest_card",
    } <= set(CARD_FUNCTIONS)


# -- each sample ----------------------------------------------------------------------------------


@pytest.mark.parametrize("item", SAMPLES, ids=[s.name for s in SAMPLES])
def test_card_renders_cleanly_within_teams_limits(
    item: Sample, renderer_results: dict[str, dict[str, Any]]
) -> None:
    assert item.error is None, f"building the sample failed:\n{item.error}"
    assert item.card is not None
    result = renderer_results[item.name]
    renderer = [
        f"{w['event']}: {w['message']}"
        for w in result["parseWarnings"] + result["validationErrors"]
    ]
    assert renderer + teams_faults(item.card) == []


# -- the checks themselves catch what they should ---------------------------------------------------


def test_the_renderer_and_the_teams_rules_catch_broken_cards() -> None:
    broken = {
        "unknown element": {
            "type": "AdaptiveCard",
            "version": "1.5",
            "fallbackText": "x",
            "body": [{"type": "TextBlok", "text": "typo"}],
        },
        "execute in 1.3": {
            "type": "AdaptiveCard",
            "version": "1.3",
            "body": [{"type": "TextBlock", "text": "hello"}],
            "actions": [{"type": "Action.Execute", "title": "Go", "verb": "go"}],
        },
        "duplicate input ids": {
            "type": "AdaptiveCard",
            "version": "1.5",
            "body": [
                {"type": "Input.Text", "id": "reason"},
                {"type": "Input.Text", "id": "reason"},
            ],
        },
        "bad value": {
            "type": "AdaptiveCard",
            "version": "1.5",
            "body": [{"type": "TextBlock", "text": "x", "size": "Huge"}],
        },
    }
    _, results = run_node("validate-cards.mjs", [{"name": k, "card": v} for k, v in broken.items()])
    events = {
        r["name"]: {w["event"] for w in r["parseWarnings"] + r["validationErrors"]} for r in results
    }
    assert events == {
        "unknown element": {"UnknownElementType"},
        "execute in 1.3": {"UnknownActionType"},
        "duplicate input ids": {"DuplicateId"},
        "bad value": {"InvalidPropertyValue"},
    }
    assert teams_faults(broken["execute in 1.3"]) == [
        "Universal Actions need version 1.4 or later, not 1.3",
        "a Universal Actions card needs a fallbackText",
    ]
    big = {
        "type": "AdaptiveCard",
        "version": "1.6",
        "body": [{"type": "TextBlock", "text": "x" * 41_000}],
        "refresh": {"action": {"type": "Action.Execute", "verb": "r"}},
        "fallbackText": "big",
    }
    faults = teams_faults(big)
    assert faults[0] == "version 1.6 is newer than Teams renders (1.5)"
    assert faults[1].endswith(f"bytes serialized; at most {MAX_CARD_BYTES}")
