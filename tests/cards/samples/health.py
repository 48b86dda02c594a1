"""Samples of cards/health.py: the CoP health card, full and empty, in the three languages."""

from __future__ import annotations

from datetime import timedelta

from cards.health import health_card
from copbot.meetings.health import CopHealth, HealthReport
from tests.cards.samples import Sample, sample
from tests.cards.samples.data import LANGS, NOW, catalog


def samples() -> list[Sample]:
    ids = catalog().ids()
    full = HealthReport(
        start=NOW - timedelta(days=365),
        end=NOW,
        cops=[
            CopHealth(
                cop_id=cop,
                meetings_planned=6 + n,
                meetings_held=5 + n,
                meetings_cancelled=1,
                recordings=4,
                questions=120 * (n + 1),
                questions_answered=100 * (n + 1),
                feedback_count=340,
                feedback_average=4.25,
                members_joined=1200,
                members_left=87,
            )
            for n, cop in enumerate(ids)
        ],
    )
    empty = HealthReport(
        start=NOW - timedelta(days=365), end=NOW, cops=[CopHealth(cop_id=c) for c in ids]
    )
    found: list[Sample] = []
    for lang in LANGS:
        found += [
            sample(health_card, full, catalog(), lang, label=f"full-{lang}"),
            sample(health_card, empty, catalog(), lang, label=f"empty-{lang}"),
        ]
    return found
