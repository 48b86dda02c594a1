"""Personal data is not kept forever: what the retention purge removes, strips and keeps."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from copbot.retention import RetentionPolicy, purge
from copbot.store import people
from copbot.store.membership_models import JoinRequest, Membership, OutboxItem
from copbot.store.models import AuditEntry
from tests.conftest import ROOT
from tests.support.bot_client import ALICE, BRUNO, CARMEN, DANIEL

OVERLAY = ROOT / "catalog" / "local-demo.yaml"
AMINA = "4f39e9cf-f3b8-41da-92e5-5d8a0203a448"  # UBS focal point in the demo overlay


async def count(db, model) -> int:
    async with db.session() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_purge_strips_old_personal_data_and_keeps_memberships(bot_factory, db_url) -> None:
    bot = await bot_factory(database_url=db_url, CATALOG_OVERLAY_PATH=str(OVERLAY))
    db, clock = bot.services.db, bot.clock
    # Alice joins UBS with a note; Amina (focal point) approves; Bruno only asks a question.
    await bot.client.say("hello", BRUNO)
    await bot.client.submit(
        {"verb": "join", "cop": "UBS", "role": "primary", "note": "my secret note"}, ALICE
    )
    async with db.session() as session:
        request_id = await session.scalar(
            select(JoinRequest.id).where(JoinRequest.person_id == ALICE.aad_id)
        )
    approver = type(ALICE)(AMINA, "Amina Wanjiru", "amina@un.org")
    await bot.client.execute("membership.approve", {"request_id": request_id}, approver)
    await bot.services.outbox.drain()  # the Graph add and the welcome are done
    # A year and more later, Carmen starts a request that is still pending.
    clock.advance(days=400)
    await bot.client.submit(
        {"verb": "join", "cop": "CC", "role": "primary", "note": "pending note"}, CARMEN
    )

    report = await purge(db, clock.now(), RetentionPolicy(days=365, audit_days=730))

    async with db.session() as session:
        old = await session.get(JoinRequest, request_id)
        assert old.note == "" and old.requester == {}  # stripped...
        assert old.status == "approved" and old.decided_by == AMINA  # ...but the decision stays
        assert (
            await session.scalar(
                select(Membership.cop_id).where(Membership.person_id == ALICE.aad_id)
            )
            == "UBS"
        )
        pending = await session.scalar(
            select(JoinRequest).where(JoinRequest.person_id == CARMEN.aad_id)
        )
        assert pending.note == "pending note"  # pending work is untouched
        year_ago = clock.now() - timedelta(days=365)
        old_done = select(func.count()).where(
            OutboxItem.created_at < year_ago, OutboxItem.status == "done"
        )
        assert await session.scalar(old_done) == 0
    assert report.requests_anonymised == 1 and report.outbox_items >= 2
    assert await people.get_person(db, BRUNO.aad_id) is None  # inactive, in no CoP: gone
    assert await people.get_reference(db, f"user:{BRUNO.aad_id}") is None
    assert await people.get_person(db, ALICE.aad_id) is not None  # a member stays
    assert await people.get_person(db, CARMEN.aad_id) is not None
    assert await count(db, AuditEntry) > 0  # within the audit period

    again = await purge(db, clock.now(), RetentionPolicy(days=365, audit_days=730))
    assert again.requests_anonymised == 0 and again.inactive_people == 0  # idempotent


async def _cells(db) -> list[tuple[str, str, str]]:
    """Every text and JSON value in every table: (table, column, value as text)."""
    from copbot.store.base import Base

    found = []
    async with db.session() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).mappings():
                for column, value in row.items():
                    if value is not None:
                        found.append((table.name, column, str(value)))
    return found


async def test_a_reason_and_a_note_are_gone_from_every_table_after_retention(
    bot_factory, db_url
) -> None:
    reason, note = "REASON-Quetzal-7731 please ask again", "NOTE-Okapi-2209 my work"
    bot = await bot_factory(database_url=db_url, CATALOG_OVERLAY_PATH=str(OVERLAY))
    db, clock = bot.services.db, bot.clock
    await bot.client.submit({"verb": "join", "cop": "UBS", "role": "primary", "note": note}, DANIEL)
    async with db.session() as session:
        request_id = await session.scalar(
            select(JoinRequest.id).where(JoinRequest.person_id == DANIEL.aad_id)
        )
    focal_point = type(ALICE)(AMINA, "Amina Wanjiru", "amina@un.org")
    rejected = await bot.client.execute(
        "membership.reject", {"request_id": request_id, "reason": reason}, focal_point
    )
    assert rejected.body["type"] == "application/vnd.microsoft.card.adaptive", rejected.body
    await bot.services.outbox.drain()  # the requester is told, with the reason
    copies = {(t, c) for t, c, v in await _cells(db) if "Quetzal" in v or "Okapi" in v}
    assert ("join_requests", "reason") in copies  # kept while it is needed

    clock.advance(days=366)
    await purge(db, clock.now(), RetentionPolicy(days=365, audit_days=730))

    left = [(t, c) for t, c, v in await _cells(db) if "Quetzal" in v or "Okapi" in v]
    assert left == [], f"free text outlived RETENTION_DAYS in {left}"
    assert await count(db, AuditEntry) > 0  # the audit log itself is kept longer
