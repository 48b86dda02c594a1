"""The admins' report: its figures (SQLite and PostgreSQL), the card in chat, `copbot report`."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from copbot.catalog import load_catalog
from copbot.clock import FakeClock
from copbot.reports import build_report
from copbot.store import Database
from copbot.store.membership_models import JoinRequest, Membership
from copbot.store.models import Person
from tests.support.bot_client import ALICE, BRUNO, CARMEN

ROOT = Path(__file__).resolve().parents[2]
CATALOG = load_catalog(ROOT / "catalog" / "communities.yaml")
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
COPBOT = str(Path(sys.executable).parent / "copbot")


def everything(card: Any) -> str:
    """All the text of a card, tables included."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                out.append(node["text"])
            if isinstance(node.get("title"), str):
                out.append(node["title"])
            for value in node.values():
                if isinstance(value, list | dict):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return "\n".join(out)


async def seed(db: Database) -> None:
    """PLG: Alice (primary), Bruno (secondary); CC: Bruno (primary); two pending requests;
    people who talked to the bot: Alice, Bruno, Carmen (no primary), Dina (a secondary only)."""
    dina = "d4d4d4d4-0000-4000-8000-000000000004"
    async with db.session() as session:
        for pid, name, seen in [
            (ALICE.aad_id, ALICE.name, NOW - timedelta(days=3)),
            (BRUNO.aad_id, BRUNO.name, NOW - timedelta(days=2)),
            (CARMEN.aad_id, CARMEN.name, NOW - timedelta(days=1)),
            (dina, "Dina Haddad", NOW - timedelta(hours=5)),
        ]:
            session.add(
                Person(
                    id=pid,
                    name=name,
                    email=None if pid == dina else f"{name.split()[0].lower()}@un.org",
                    locale="en",
                    first_seen_at=seen,
                    last_seen_at=seen,
                )
            )
        for pid, cop, role in [
            (ALICE.aad_id, "PLG", "primary"),
            (BRUNO.aad_id, "PLG", "secondary"),
            (BRUNO.aad_id, "CC", "primary"),
            (dina, "UBS", "secondary"),
            ("e5e5e5e5-0000-4000-8000-000000000005", "UBS", "primary"),  # imported, never talked
        ]:
            session.add(
                Membership(
                    person_id=pid, cop_id=cop, role=role, since=NOW, source="import", added_at=NOW
                )
            )
        for rid, pid, name, cop, age in [
            ("r1", CARMEN.aad_id, CARMEN.name, "UBS", timedelta(days=9, hours=2)),
            ("r2", dina, "Dina Haddad", "UBS", timedelta(hours=3)),
            ("r3", CARMEN.aad_id, CARMEN.name, "CC", timedelta(days=1)),
        ]:
            session.add(
                JoinRequest(
                    id=rid,
                    person_id=pid,
                    cop_id=cop,
                    role="primary" if cop == "UBS" else "secondary",
                    note="",
                    lang="en",
                    requester={"name": name},
                    status="pending",
                    created_at=NOW - age,
                )
            )
        session.add(
            JoinRequest(
                id="r4",
                person_id=ALICE.aad_id,
                cop_id="CC",
                role="secondary",
                note="",
                lang="en",
                requester={"name": ALICE.name},
                status="rejected",
                created_at=NOW - timedelta(days=30),
            )
        )


async def test_the_report_counts_members_primaries_pending_and_people_without_primary(
    database: Database,
) -> None:
    await seed(database)

    report = await build_report(database, CATALOG, NOW, directory_members={"PLG": 7})

    figures = {c.cop_id: c for c in report.cops}
    assert [c.cop_id for c in report.cops] == CATALOG.ids()
    assert (figures["PLG"].members, figures["PLG"].primaries, figures["PLG"].pending) == (2, 1, 0)
    assert (figures["UBS"].members, figures["UBS"].primaries, figures["UBS"].pending) == (2, 1, 2)
    assert figures["UBS"].oldest_pending == timedelta(days=9, hours=2)
    assert figures["CC"].oldest_pending == timedelta(days=1)
    assert figures["PFE"].members == 0 and figures["PFE"].oldest_pending is None
    assert figures["PLG"].in_group == 7 and figures["CC"].in_group is None
    assert (report.members, report.primaries) == (5, 3)
    assert [(p.request_id, p.name) for p in report.pending] == [
        ("r1", CARMEN.name),
        ("r3", CARMEN.name),
        ("r2", "Dina Haddad"),
    ]
    assert [(p.name, p.cops) for p in report.without_primary] == [
        ("Dina Haddad", ("UBS",)),
        (CARMEN.name, ()),
    ]
    assert report.people == 4


async def test_an_empty_database_gives_an_empty_report(database: Database) -> None:
    report = await build_report(database, CATALOG, NOW)
    assert (report.members, report.pending, report.without_primary) == (0, [], [])
    assert len(report.cops) == len(CATALOG)


# -- the card in chat ---------------------------------------------------------------------------


async def test_an_admin_gets_the_report_card_and_refreshes_it(
    bot_factory: Callable[..., Any],
) -> None:
    bot = await bot_factory(ADMIN_IDS=ALICE.aad_id.upper(), clock=FakeClock(NOW))
    await bot.services.db.upgrade()
    await seed(bot.services.db)

    response = await bot.client.say("report", ALICE)

    [card] = response.cards
    text = everything(card)
    assert "CoP Bot report" in text
    assert "Urban Basic Services (UBS)" in text  # abbreviations spelled out
    assert "Carmen Ruiz: Urban Basic Services (UBS) as primary CoP, waiting for 9 d" in text
    assert "People without a primary CoP (2)" in text
    assert "Dina Haddad" in text

    french = await bot.client.say("Rapport", ALICE, locale="fr-FR")
    assert "Rapport de CoP Bot" in everything(french.cards[0])
    assert (
        "Carmen Ruiz\u202f: Services urbains de base (UBS) comme CoP principale, en attente depuis 9 j"
        in everything(french.cards[0])
    )

    bot.clock.advance(days=1)
    refreshed = await bot.client.execute("admin.report", {}, ALICE)
    assert refreshed.body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "waiting for 10 d" in everything(refreshed.body["value"])


async def test_the_report_is_for_admins_and_only_in_a_personal_chat(
    bot_factory: Callable[..., Any],
) -> None:
    bot = await bot_factory(ADMIN_IDS=ALICE.aad_id)

    refused = await bot.client.say("informe", BRUNO, locale="es-ES")
    assert refused.cards == []
    assert refused.texts == ["El informe es solo para los administradores de CoP Bot."]

    forged = await bot.client.execute("admin.report", {}, BRUNO)  # a card passed on to Bruno
    assert forged.body["type"] == "application/vnd.microsoft.activity.message"
    assert forged.texts == ["The report is for CoP Bot admins only."]

    channel = {"id": "19:general@thread.tacv2", "conversationType": "channel", "tenantId": "t"}
    in_channel = await bot.client.post(
        bot.client.activity("message", ALICE, text="report", conversation=channel)
    )
    assert in_channel.cards == []
    assert in_channel.texts == ["The report names people: ask me for it in our personal chat."]


# -- the command line ---------------------------------------------------------------------------------


def test_copbot_report_prints_the_figures_and_json(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'report.sqlite3'}"

    async def prepare() -> None:
        db = Database(url)
        try:
            await db.upgrade()
            await seed(db)
        finally:
            await db.dispose()

    asyncio.run(prepare())
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'report.sqlite3'}",
    }

    table = subprocess.run(
        [COPBOT, "report"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert table.returncode == 0, table.stderr
    assert "Urban Basic Services (UBS)" in table.stdout
    assert "Pending join requests (3), oldest first:" in table.stdout
    assert "People without a primary CoP (2 of 4 who talked to the bot)" in table.stdout
    assert "Carmen Ruiz <carmen@un.org> c3c3c3c3" in table.stdout
    # Dina has no e-mail address: no empty brackets, no dangling separator
    assert "  Dina Haddad d4d4d4d4-0000-4000-8000-000000000004, last seen" in table.stdout
    assert "<->" not in table.stdout and "<>" not in table.stdout

    as_json = subprocess.run(
        [COPBOT, "report", "--json"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    ubs = next(c for c in data["cops"] if c["cop_id"] == "UBS")
    assert (ubs["members"], ubs["primaries"], ubs["pending"]) == (2, 1, 2)
    assert [p["request_id"] for p in data["pending"]] == ["r1", "r3", "r2"]
    assert len(data["without_primary"]) == 2
