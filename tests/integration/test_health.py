"""CoP health over a seeded year: meetings held vs planned, recordings, questions answered,
feedback, members joined and left (SQLite and PostgreSQL), `copbot report --health --json`
(JSON alone on stdout) and the admins' card.

UBS meets on the third Wednesday of every other month from February 2026, 10:00 in Nairobi: in
the year before 2 December 2026 it planned 18 Feb, 15 Apr, 17 Jun, 19 Aug and 21 Oct."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from copbot.admins import Admins
from copbot.clock import FakeClock
from copbot.meetings.calendar import Calendar
from copbot.meetings.health import build_health
from copbot.store import Database
from copbot.store.followup_models import MeetingFeedback, MeetingFollowUp
from copbot.store.meetings_models import MeetingOverride, MeetingQuestion
from copbot.store.membership_models import Membership
from copbot.store.models import AuditEntry
from tests.integration.test_report import CATALOG, COPBOT, everything
from tests.support.bot_client import ALICE

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
UBS_OCCURRENCES = [f"UBS:0:2026-{d}T10:00" for d in ("02-18", "04-15", "06-17", "08-19", "10-21")]


async def seed(db: Database, now: datetime, occurrence_ids: list[str]) -> None:
    """UBS: the third of its meetings cancelled; recordings for the first two (and for the
    cancelled one, which does not count), a summary only for the fourth; five questions of the
    year, three answered, and one older; feedback 4, 5, 3 this year and an older 1; two members
    joined this year, one before; one left this year, one before."""
    year_ago = now - timedelta(days=365)
    long_ago = now - timedelta(days=400)
    async with db.session() as session:
        cancelled = occurrence_ids[2]
        session.add(
            MeetingOverride(
                occurrence_id=cancelled, cop_id="UBS", skipped=True, sequence=1, updated_at=now
            )
        )
        for occ_id, recording, summary in [
            (occurrence_ids[0], "https://x.sharepoint.com/1.mp4", ""),
            (occurrence_ids[1], "https://x.sharepoint.com/2.mp4", "Key points"),
            (cancelled, "https://x.sharepoint.com/3.mp4", ""),
            (occurrence_ids[3], "", "Only a summary"),
        ]:
            session.add(
                MeetingFollowUp(
                    occurrence_id=occ_id,
                    cop_id="UBS",
                    recording_url=recording,
                    materials=[],
                    summary=summary,
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
            )
        for n, (asked, answered) in enumerate(
            [
                (now - timedelta(days=300), True),
                (now - timedelta(days=200), True),
                (now - timedelta(days=100), False),
                (now - timedelta(days=50), True),
                (now - timedelta(days=10), False),
                (long_ago, True),
            ]
        ):
            session.add(
                MeetingQuestion(
                    cop_id="UBS",
                    occurrence_id=occurrence_ids[0],
                    asker_id=f"asker-{n}",
                    text=f"Question {n}",
                    asked_at=asked,
                    answered_at=asked + timedelta(days=1) if answered else None,
                )
            )
        for n, (rating, given) in enumerate(
            [(4, now - timedelta(days=250)), (5, now - timedelta(days=90)), (3, now), (1, long_ago)]
        ):
            given = min(given, now - timedelta(minutes=1))
            session.add(
                MeetingFeedback(
                    cop_id="UBS",
                    occurrence_id=occurrence_ids[n % 2],
                    person_id=f"person-{n}",
                    rating=rating,
                    given_at=given,
                    updated_at=given,
                )
            )
        for n, since in enumerate([now - timedelta(days=30), now - timedelta(days=300), long_ago]):
            session.add(
                Membership(person_id=f"member-{n}", cop_id="UBS", role="secondary", since=since)
            )
        for at in (now - timedelta(days=20), long_ago):
            session.add(
                AuditEntry(
                    at=at, actor="x", action="membership.left", subject="cop:UBS", details={}
                )
            )
    assert year_ago < now


def expected_ubs() -> dict[str, object]:
    return {
        "meetings_planned": 5,
        "meetings_held": 4,
        "meetings_cancelled": 1,
        "recordings": 2,
        "questions": 5,
        "questions_answered": 3,
        "questions_answered_share": 0.6,
        "feedback_count": 3,
        "feedback_average": 4.0,
        "members_joined": 2,
        "members_left": 1,
    }


async def test_the_health_of_a_seeded_year(database: Database) -> None:
    await seed(database, NOW, UBS_OCCURRENCES)
    calendar = Calendar(db=database, catalog=CATALOG, clock=FakeClock(NOW), admins=Admins())
    report = await build_health(database, CATALOG, calendar, NOW)
    ubs = next(c for c in report.cops if c.cop_id == "UBS").as_dict()
    assert {k: ubs[k] for k in expected_ubs()} == expected_ubs()
    cc = next(c for c in report.cops if c.cop_id == "CC")
    assert cc.questions == 0 and cc.answered_share is None and cc.feedback_average is None
    assert cc.meetings_planned == cc.meetings_held > 0  # nothing cancelled


def test_copbot_report_health_json_is_alone_on_stdout(tmp_path: Path) -> None:
    """The command reads the wall clock: the year is seeded around it."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'health.sqlite3'}"
    now = datetime.now(UTC)

    async def prepare() -> list[str]:
        db = Database(url)
        try:
            await db.upgrade()
            calendar = Calendar(db=db, catalog=CATALOG, clock=FakeClock(now), admins=Admins())
            held = await calendar.occurrences(now - timedelta(days=365), now, cop_ids=["UBS"])
            ids = [o.id for o in held]
            await seed(db, now, ids)
            return ids
        finally:
            await db.dispose()

    ids = asyncio.run(prepare())
    assert len(ids) >= 5
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'health.sqlite3'}",
    }
    run = subprocess.run(
        [COPBOT, "report", "--health", "--json"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)  # nothing but the JSON
    ubs = next(c for c in data["cops"] if c["cop_id"] == "UBS")
    expected = {**expected_ubs(), "meetings_planned": len(ids), "meetings_held": len(ids) - 1}
    assert {k: ubs[k] for k in expected} == expected

    table = subprocess.run(
        [COPBOT, "report", "--health"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert table.returncode == 0, table.stderr
    assert "Urban Basic Services (UBS)" in table.stdout and "3 / 5 (60%)" in table.stdout


async def test_an_admin_sees_the_health_card(bot_factory, db_url: str) -> None:
    bot = await bot_factory(database_url=db_url, clock=FakeClock(NOW), ADMIN_IDS=ALICE.aad_id)
    await seed(bot.services.db, NOW, UBS_OCCURRENCES)
    report = await bot.client.say("report", ALICE)
    (button,) = [
        a
        for c in report.cards
        for e in c["body"]
        if e.get("type") == "ActionSet"
        for a in e["actions"]
        if a.get("verb") == "admin.health"
    ]
    shown = await bot.client.execute(button["verb"], button["data"], ALICE)
    text = everything(shown.body["value"])
    assert "CoP health, last 12 months" in text
    assert "4 / 5" in text and "3 / 5" in text and "60%" in text and "4.0/5 (3)" in text
    assert "+2 / −1" in text
    said = await bot.client.say("cop health", ALICE)
    assert "CoP health, last 12 months" in everything(said.cards[0])
    refused = await bot.client.execute(
        button["verb"], button["data"], type(ALICE)("x", "X", "x@un.org")
    )
    assert "CoP health" not in everything(refused.body.get("value"))
