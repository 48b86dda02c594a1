"""Samples of the joining cards: the person's questions and answers, "my communities", the welcome
(the approval card's samples are in approval.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from cards.membership import (
    confirm_primary_card,
    leave_confirm_card,
    my_communities_card,
    primary_not_member_card,
    role_question_card,
    welcome_card,
    withdraw_confirm_card,
)
from copbot.membership.model import MembershipView, MyCommunities, RequestView, Role, Status
from tests.cards.samples import Sample, sample
from tests.cards.samples.data import LANGS, NOW, PEOPLE, catalog

FOCAL_POINTS = [f"8:orgid:{person_id}" for person_id, _, _ in PEOPLE]


def request(status: Status = Status.PENDING, **changes: object) -> RequestView:
    person_id, name, email = PEOPLE[3]
    view = RequestView(
        id="0b9d2c1e-5f2a-4c3b-9d8e-1a2b3c4d5e6f",
        person_id=person_id,
        cop_id="UBS",
        role=Role.PRIMARY,
        note="I lead the *water* programme in [Kisumu](http://x) — 200 characters " + "x" * 120,
        lang="en",
        requester={
            "name": name,
            "email": email,
            "job_title": "Senior Urban Planner",
            "office": "Nairobi HQ",
        },
        status=status,
        created_at=NOW - timedelta(days=2),
    )
    return replace(view, **changes)  # type: ignore[arg-type]


def samples() -> list[Sample]:
    cat = catalog()
    ubs, cc, lhs = cat.get("UBS"), cat.get("CC"), cat.get("LHS")
    approved = request(
        Status.APPROVED, decided_by=PEOPLE[0][0], decided_by_name=PEOPLE[0][1], decided_at=NOW
    )
    mine = MyCommunities(
        memberships=[
            MembershipView("UBS", Role.PRIMARY, NOW - timedelta(days=300), True),
            MembershipView("CC", Role.SECONDARY, NOW - timedelta(days=3), False),
        ],
        pending=[request(cop_id="LHS", role=Role.SECONDARY)],
    )
    out: list[Sample] = []
    for lang in LANGS:
        out += [
            sample(role_question_card, ubs, lang, None, label=f"first-{lang}"),
            sample(role_question_card, lhs, lang, ubs, "a note", label=f"has-primary-{lang}"),
            sample(confirm_primary_card, lhs, ubs, lang, label=lang),
            sample(primary_not_member_card, cc, lang, label=lang),
            sample(my_communities_card, mine, cat, lang, label=f"some-{lang}"),
            sample(my_communities_card, MyCommunities([], []), cat, lang, label=f"none-{lang}"),
            sample(
                leave_confirm_card,
                ubs,
                lang,
                was_primary=True,
                others=[cc, lhs],
                label=f"primary-{lang}",
            ),
            sample(
                leave_confirm_card,
                cc,
                lang,
                was_primary=False,
                others=[],
                label=f"secondary-{lang}",
            ),
            sample(withdraw_confirm_card, lhs, lang, label=lang),
            sample(
                welcome_card,
                approved,
                ubs,
                lang,
                next_meeting=("Urban Basic Services (UBS) meeting", NOW + timedelta(days=20)),
                skills_profile_url="https://hr.example.org/skills",
                cross_cutting=[cc, cat.get("SHRSI")],
                in_team=False,
                label=f"full-{lang}",
            ),
            sample(welcome_card, approved, cc, lang, in_team=True, label=f"team-{lang}"),
            sample(welcome_card, approved, cc, lang, label=f"bare-{lang}"),
            sample(welcome_card, approved, cat.get("LHS"), lang, label=f"practice-areas-{lang}"),
        ]
    return out
