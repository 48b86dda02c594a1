"""Membership without I/O: the words people use, and the cards they see."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.features import build_router
from bot.features.membership.words import parse_join
from cards.approval import APPROVE, REFRESH, REJECT, approval_card
from cards.membership import (
    leave_confirm_card,
    my_communities_card,
    role_question_card,
    welcome_card,
)
from copbot.catalog import load_catalog
from copbot.i18n import fold
from copbot.membership import MembershipView, MyCommunities, RequestView, Role, Status
from copbot.work.policy import Backoff, RetryPolicy
from tests.conftest import ROOT
from tests.fakes.connector import card_text

CATALOG = load_catalog(ROOT / "catalog" / "communities.yaml")
ROUTER = build_router()
ASKED = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def routed(text: str) -> tuple[str, str | None] | None:
    found = ROUTER.match(fold(text))
    if found is None:
        return None
    command, match = found
    groups = match.groupdict()
    return command.name, (groups.get("rest") or groups.get("name"))


@pytest.mark.parametrize(
    ("words", "command"),
    [
        ("join UBS", "membership.join"),
        ("Join the Climate Change CoP", "membership.join"),
        ("I'd like to join LHS as my primary", "membership.join"),
        ("rejoindre le CoP climat", "membership.join"),
        ("Je voudrais rejoindre la CoP UBS", "membership.join"),
        ("unirme a LHS", "membership.join"),
        ("Quiero unirme a la CoP de clima", "membership.join"),
        ("my communities", "membership.mine"),
        ("Show my communities", "membership.mine"),
        ("mes communautés", "membership.mine"),
        ("mis comunidades", "membership.mine"),
        ("which communities am I in?", "membership.mine"),
        ("make CC my primary", "membership.primary"),
        ("change my primary to UBS", "membership.primary"),
        ("faire de UBS ma principale", "membership.primary"),
        ("hacer LHS mi principal", "membership.primary"),
        ("leave UBS", "membership.leave"),
        ("quitter la CoP climat", "membership.leave"),
        ("salir de LHS", "membership.leave"),
        # the core keeps its own words
        ("communities", "list"),
        ("communautés", "list"),
        ("tell me about UBS", "details"),
        ("help", "help"),
    ],
)
def test_words_reach_the_right_command(words: str, command: str) -> None:
    found = routed(words)
    assert found is not None, words
    assert found[0] == command


@pytest.mark.parametrize(
    ("rest", "cop", "role", "note"),
    [
        ("UBS", "UBS", None, ""),
        ("UBS as my primary", "UBS", Role.PRIMARY, ""),
        ("the Climate Change CoP as a secondary one", "CC", Role.SECONDARY, ""),
        (
            "UBS: I run the water programme in Nairobi",
            "UBS",
            None,
            "I run the water programme in Nairobi",
        ),
        (
            "LHS comme CoP principale parce que je travaille sur le foncier",
            "LHS",
            Role.PRIMARY,
            "je travaille sur le foncier",
        ),
        ("a LHS como secundaria", "LHS", Role.SECONDARY, ""),
        ("le CoP climat", "CC", None, ""),
    ],
)
def test_a_join_sentence_gives_community_role_and_note(
    rest: str, cop: str, role: Role | None, note: str
) -> None:
    name, parsed_role, parsed_note = parse_join(rest)
    community = CATALOG.resolve(name)
    assert community is not None and community.id == cop
    assert parsed_role == role
    assert parsed_note == note


def request(**overrides: object) -> RequestView:
    values: dict[str, object] = {
        "id": "r" * 32,
        "person_id": "a1",
        "cop_id": "UBS",
        "role": Role.PRIMARY,
        "note": "I run *water* [here](http://evil)",
        "lang": "en",
        "requester": {"name": "Alice _Wanjiru_", "job_title": "Urban planner", "office": "Nairobi"},
        "status": Status.PENDING,
        "created_at": ASKED,
    }
    values.update(overrides)
    return RequestView(**values)  # type: ignore[arg-type]


def actions_of(card: dict) -> list[dict]:
    found: list[dict] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Action."):
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card.get("actions", []))
    walk(card.get("body", []))
    return found


def test_the_approval_card_is_universal_actions_with_refresh_for_the_deciders() -> None:
    ubs = CATALOG.get("UBS")
    card = approval_card(request(), ubs, "en", actionable=True, refresh_user_ids=["8:orgid:b2"])
    assert card["version"] == "1.5"
    assert card["refresh"]["action"]["type"] == "Action.Execute"
    assert card["refresh"]["action"]["verb"] == REFRESH
    assert card["refresh"]["action"]["data"]["request_id"] == "r" * 32
    assert card["refresh"]["userIds"] == ["8:orgid:b2"]
    verbs = {a.get("verb") for a in actions_of(card) if a["type"] == "Action.Execute"}
    assert verbs == {APPROVE, REJECT}
    for action in actions_of(card):
        if action["type"] == "Action.Execute":  # clients without Universal Actions still work
            assert action["fallback"]["type"] == "Action.Submit"
            assert action["fallback"]["data"]["verb"] == action["verb"]
    text = card_text(card)
    assert "Urban Basic Services (UBS)" in text and "as their primary CoP" in text
    assert "Urban planner" in text and "Nairobi" in text
    assert "Reason (optional, shown to the person)" in text  # reject asks for an optional reason
    assert card["fallbackText"]


def test_what_people_typed_is_shown_literally_on_the_card() -> None:
    card = approval_card(request(), CATALOG.get("UBS"), "en", actionable=True)
    text = card_text(card)
    assert r"I run \*water\* \[here\](http\://evil)" in text
    assert r"Alice \_Wanjiru\_" in text


def test_a_decided_card_has_no_buttons_and_says_who_decided() -> None:
    decided = request(
        status=Status.REJECTED,
        decided_by="c3",
        decided_by_name="Carmen Ruiz",
        decided_at=ASKED,
        reason="Join PFE instead",
    )
    card = approval_card(decided, CATALOG.get("UBS"), "fr", actionable=True)
    assert actions_of(card) == []
    assert "refresh" not in card
    text = card_text(card)
    assert "Refusée par Carmen Ruiz le {{DATE(2026-11-21T09:00:00Z, SHORT)}}" in text
    assert "Motif\u202f: Join PFE instead" in text


def test_a_read_only_view_of_a_pending_request_has_no_buttons_but_keeps_refreshing() -> None:
    card = approval_card(request(), CATALOG.get("UBS"), "es", actionable=False, notice="x")
    assert actions_of(card) == []
    assert card["refresh"]["action"]["verb"] == REFRESH


def test_refresh_user_ids_are_capped_at_what_teams_supports() -> None:
    ids = [f"8:orgid:{i}" for i in range(80)]
    card = approval_card(request(), CATALOG.get("UBS"), "en", actionable=True, refresh_user_ids=ids)
    assert len(card["refresh"]["userIds"]) == 60


def test_the_role_question_explains_the_primary_change_and_takes_a_note() -> None:
    card = role_question_card(CATALOG.get("CC"), "en", CATALOG.get("UBS"), note="hello")
    text = card_text(card)
    assert "Your primary CoP is Urban Basic Services (UBS)" in text
    note = next(e for e in card["body"] if e.get("type") == "Input.Text")
    assert note["id"] == "note" and note["value"] == "hello"
    data = [a["data"] for a in card["actions"]]
    assert {"verb": "join", "cop": "CC", "role": "primary", "confirm_primary": True} in data
    assert {"verb": "join", "cop": "CC", "role": "secondary"} in data


def test_my_communities_marks_the_primary_and_lists_pending_requests() -> None:
    mine = MyCommunities(
        [
            MembershipView("UBS", Role.PRIMARY, ASKED, True),
            MembershipView("CC", Role.SECONDARY, ASKED, False),
        ],
        [request(cop_id="LHS", role=Role.SECONDARY)],
    )
    text = card_text(my_communities_card(mine, CATALOG, "en"))
    assert "Urban Basic Services (UBS)** · Primary" in text
    assert "Climate Change (CC)** · Secondary" in text
    assert "approved, being added to the group" in text
    assert "Waiting for the focal points" in text and "Land, Housing and Shelter (LHS)" in text


def test_leaving_the_primary_offers_each_other_cop_as_the_new_primary() -> None:
    card = leave_confirm_card(
        CATALOG.get("UBS"), "en", was_primary=True, others=[CATALOG.get("CC"), CATALOG.get("LHS")]
    )
    data = [a["data"] for a in card["actions"]]
    assert {
        "verb": "membership.leave",
        "cop": "UBS",
        "confirmed": True,
        "new_primary": "CC",
    } in data
    assert {
        "verb": "membership.leave",
        "cop": "UBS",
        "confirmed": True,
        "new_primary": "LHS",
    } in data


def test_the_welcome_links_the_team_the_skills_profile_and_suggests_a_cross_cutting_cop() -> None:
    approved = request(status=Status.APPROVED, decided_by_name="Bruno Costa", decided_at=ASKED)
    ubs = CATALOG.get("UBS").model_copy(update={"team_url": "https://teams.example/ubs"})
    card = welcome_card(
        approved,
        ubs,
        "en",
        next_meeting=("UBS meeting", datetime(2026, 12, 8, 7, 0, tzinfo=UTC)),
        skills_profile_url="https://hr.example/skills",
        cross_cutting=[CATALOG.get("CC")],
    )
    text = card_text(card)
    assert "Welcome to Urban Basic Services (UBS)!" in text
    assert "Next meeting: UBS meeting" in text
    assert "skills profile" in text
    urls = [a["url"] for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    assert urls == ["https://teams.example/ubs", "https://hr.example/skills"]
    buttons = [a["data"] for a in card["actions"] if a["type"] == "Action.Submit"]
    assert buttons == [
        {"verb": "join", "cop": "CC", "role": "secondary"},
        {"verb": "membership.mine"},
    ]
    json.dumps(card)  # a card is plain JSON


def test_backoff_honours_retry_after_and_doubles_otherwise() -> None:
    policy = RetryPolicy(schedule=Backoff(base=30, cap=3600, jitter=0))
    assert policy.delay(1, 12.5) == 12.5
    assert policy.delay(3, 0) == policy.min_delay  # never a hot loop
    assert [policy.delay(n, None) for n in (1, 2, 3)] == [30, 60, 120]
    assert policy.delay(20, None) == 3600
