"""Samples of the approval card in every state (pending, reminder, escalation, read-only,
approved, rejected, its CoP gone) and of the answer about an unknown request."""

from __future__ import annotations

from cards.approval import approval_card, unknown_request_card
from copbot.membership.model import FOR_ESCALATION, FOR_REMINDER, FOR_REQUEST, Status
from tests.cards.samples import Sample, sample
from tests.cards.samples.data import LANGS, NOW, PEOPLE, catalog
from tests.cards.samples.membership import FOCAL_POINTS, request


def samples() -> list[Sample]:
    ubs = catalog().get("UBS")
    approved = request(
        Status.APPROVED, decided_by=PEOPLE[0][0], decided_by_name=PEOPLE[0][1], decided_at=NOW
    )
    rejected = request(
        Status.REJECTED,
        decided_by=PEOPLE[1][0],
        decided_by_name=PEOPLE[1][1],
        decided_at=NOW,
        reason="Please join the <Water> sub-group first — see **guidance**",
    )
    out: list[Sample] = []
    for lang in LANGS:
        out += [
            sample(
                approval_card,
                request(),
                ubs,
                lang,
                actionable=True,
                refresh_user_ids=FOCAL_POINTS,
                label=f"pending-{lang}",
            ),
            sample(
                approval_card,
                request(),
                ubs,
                lang,
                actionable=True,
                purpose=FOR_REMINDER,
                refresh_user_ids=FOCAL_POINTS,
                label=f"reminder-{lang}",
            ),
            sample(
                approval_card,
                request(),
                ubs,
                lang,
                actionable=True,
                purpose=FOR_ESCALATION,
                label=f"escalation-{lang}",
            ),
            sample(
                approval_card,
                request(),
                ubs,
                lang,
                actionable=False,
                purpose=FOR_REQUEST,
                notice="Only the focal points of this CoP can decide.",
                label=f"read-only-{lang}",
            ),
            sample(approval_card, approved, ubs, lang, actionable=False, label=f"approved-{lang}"),
            sample(approval_card, rejected, ubs, lang, actionable=False, label=f"rejected-{lang}"),
            sample(
                approval_card,
                request(cop_id="GONE"),
                None,
                lang,
                actionable=False,
                label=f"community-removed-{lang}",
            ),
            sample(unknown_request_card, lang, label=lang),
        ]
    return out
