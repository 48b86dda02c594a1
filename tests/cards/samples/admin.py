"""Samples of cards/admin.py: the admins' report, empty and full, in the three languages."""

from __future__ import annotations

from datetime import timedelta

from cards.admin import admin_report_card
from copbot.reports import AdminReport, CopFigures, PendingRequest, PersonWithoutPrimary
from tests.cards.samples import Sample, sample
from tests.cards.samples.data import LANGS, NOW, PEOPLE, catalog


def full_report() -> AdminReport:
    ids = catalog().ids()
    pending = [
        PendingRequest(
            request_id=f"r{i:030d}",
            cop_id=ids[i % len(ids)],
            person_id=PEOPLE[i % len(PEOPLE)][0],
            name=PEOPLE[i % len(PEOPLE)][1],
            role="primary" if i % 3 == 0 else "secondary",
            age=timedelta(days=40 - i, hours=i),
        )
        for i in range(25)
    ]
    cops = [
        CopFigures(
            cop_id=cop,
            members=1200 + 37 * n,
            primaries=800 + 11 * n,
            pending=sum(1 for p in pending if p.cop_id == cop),
            oldest_pending=max((p.age for p in pending if p.cop_id == cop), default=None),
            in_group=1190 + 40 * n if n else None,
            added_outside=12 * n,
            removed_outside=3 * n,
            last_sync_at=None if n == 5 else NOW - timedelta(hours=n),
            last_sync_outcome="failed" if n == 2 else "ok",
            focal_points_gone=(PEOPLE[0][0],) if n == 1 else (),
        )
        for n, cop in enumerate(ids)
    ]
    without = [
        PersonWithoutPrimary(
            person_id=f"e5e5e5e5-0000-4000-8000-{i:012d}",
            name=PEOPLE[i % len(PEOPLE)][1],
            email=PEOPLE[i % len(PEOPLE)][2],
            last_seen_at=NOW - timedelta(hours=i),
            cops=("CC",) if i % 2 else (),
        )
        for i in range(30)
    ]
    return AdminReport(at=NOW, cops=cops, pending=pending, without_primary=without, people=4210)


def empty_report() -> AdminReport:
    cops = [CopFigures(cop, 0, 0, 0, None) for cop in catalog().ids()]
    return AdminReport(at=NOW, cops=cops)


def samples() -> list[Sample]:
    found = []
    for lang in LANGS:
        found.append(
            sample(admin_report_card, full_report(), catalog(), lang, label=f"full-{lang}")
        )
        found.append(
            sample(admin_report_card, empty_report(), catalog(), lang, label=f"empty-{lang}")
        )
    found.append(
        sample(admin_report_card, full_report(), catalog(), "en", max_items=100, label="everything")
    )
    return found
