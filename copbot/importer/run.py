"""Bulk import of existing CoP members: resolve people, add them to the CoPs' groups, remember.

``MemberImporter.run(import_file)``:
1. skips the rows an earlier run of the same file finished (``import_rows``);
2. resolves people through the directory, many at once (``find_users``: Graph ``$batch`` of 20);
3. checks what only resolution can show: one person named twice (email and object id) for one
   CoP, or given two primary CoPs;
4. adds people to each CoP's group in requests of 20 (``add_members``: Graph ``PATCH`` with
   ``members@odata.bind``), or to its Team in requests of 200 when it has one (``adder.py``),
   and after each request stores, in one transaction, the rows' outcome,
   the memberships CoP Bot keeps (primary / secondary, ``source='import'``) and an audit entry.

Throttling: the directory already waits out short ``Retry-After``s; when it gives up with
``DirectoryUnavailable`` the importer waits the time Graph asked for (or backs off) and sends the
same request again, up to ``max_waits`` times per request. Interrupting loses at most the request
in flight: its rows were not stored, so the next run sends them again and Graph answers "already
a member" for those it had added.

``dry_run=True`` resolves people and lists each group's members, and says who would be added,
without adding anyone or storing anything.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any, TypeVar

import structlog
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from copbot.catalog import Catalog, Community
from copbot.clock import Clock
from copbot.directory import (
    AddOutcome,
    Directory,
    DirectoryError,
    DirectoryUnavailable,
    DirectoryUser,
    TeamMembers,
    UnknownGroup,
)
from copbot.importer.adder import MemberAdder
from copbot.importer.csvfile import BadRow, ImportFile, Row, primary_conflicts
from copbot.importer.records import membership_of_row, upsert_many
from copbot.importer.report import DONE, ImportReport, Outcome, Progress, RowResult
from copbot.store import Database
from copbot.store.audit import CLI, record
from copbot.store.import_models import ImportRowProgress
from copbot.store.membership_models import Membership
from copbot.work.policy import Backoff, retry_delay

log = structlog.get_logger(__name__)

T = TypeVar("T")

ADD_CHUNK = 20  # Graph: at most 20 members@odata.bind references per PATCH
RESOLVE_CHUNK = (
    100  # keys per find_users call (5 $batch requests): progress moves, retries stay small
)


class MemberImporter:
    def __init__(
        self,
        db: Database,
        directory: Directory,
        catalog: Catalog,
        clock: Clock,
        *,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        max_waits: int = 20,
        max_backoff: float = 60.0,
        actor: str = CLI,
        team_members: TeamMembers | None = None,
    ) -> None:
        self.db = db
        self.directory = directory
        self.adder = MemberAdder(directory, team_members)
        self.catalog = catalog
        self.clock = clock
        self.sleep = sleep
        self.max_waits = max_waits
        self.max_backoff = max_backoff
        self._backoff = Backoff(base=1.0, cap=max_backoff)
        self.actor = actor

    async def run(
        self,
        parsed: ImportFile,
        *,
        dry_run: bool = False,
        on_progress: Callable[[Progress], None] | None = None,
        report: ImportReport | None = None,
    ) -> ImportReport:
        """Import the file's rows. ``report`` (optional) is filled as the work goes on, so a
        caller still has it after an interruption."""
        report = report or ImportReport(key=parsed.key)
        report.dry_run, report.lines = dry_run, parsed.lines
        report.bad.extend(parsed.bad)
        notify = on_progress or (lambda _p: None)
        log.info("import.started", key=parsed.key, rows=len(parsed.rows), dry_run=dry_run)

        stored = await self._stored(parsed.key)
        todo: list[Row] = []
        done_primaries: list[tuple[int, str]] = []
        for row in parsed.rows:
            earlier = stored.get(row.line)
            if (
                earlier is not None
                and earlier.status in DONE
                and (earlier.person_key, earlier.cop_id) == (row.person_key, row.cop_id)
            ):
                report.previously_done.append(row)
                if earlier.role == "primary" and earlier.user_id:
                    done_primaries.append((row.line, earlier.user_id))
                continue
            todo.append(row)

        users = await self._resolve(todo, report, notify, dry_run)
        resolved = self._check_resolved(todo, users, report, done_primaries)
        by_cop: dict[str, list[tuple[Row, str]]] = defaultdict(list)
        for row, user_id in resolved:
            by_cop[row.cop_id].append((row, user_id))

        total = len(resolved)
        finished = 0
        for cop_id in [c for c in self.catalog.ids() if c in by_cop]:
            rows = by_cop[cop_id]
            community = self.catalog.get(cop_id)
            assert community is not None
            group_id = community.group_key
            if dry_run:
                await self._preview(cop_id, group_id, rows, report, notify)
                finished += len(rows)
                notify(Progress("check", finished, total, cop_id))
                continue
            size = self.adder.chunk_size(community)
            for start in range(0, len(rows), size):
                chunk = rows[start : start + size]
                results, no_group = await self._add(community, chunk, notify)
                report.results.extend(await self._store(parsed.key, results))
                finished += len(chunk)
                notify(Progress("add", finished, total, cop_id))
                if no_group:  # the CoP's other rows would fail the same way: say so at once
                    rest = [
                        RowResult(r, Outcome.FAILED, u, results[0].reason)
                        for r, u in rows[start + size :]
                    ]
                    report.results.extend(await self._store(parsed.key, rest))
                    finished += len(rest)
                    notify(Progress("add", finished, total, cop_id))
                    break
        report.finished = True
        log.info("import.finished", key=parsed.key, dry_run=dry_run, **report.counts())
        return report

    # -- steps ------------------------------------------------------------------------------------

    async def _stored(self, key: str) -> dict[int, ImportRowProgress]:
        async with self.db.session() as session:
            rows = await session.scalars(
                select(ImportRowProgress).where(ImportRowProgress.import_key == key)
            )
            return {r.line: r for r in rows}

    async def _resolve(
        self,
        rows: list[Row],
        report: ImportReport,
        notify: Callable[[Progress], None],
        dry_run: bool,
    ) -> dict[str, DirectoryUser | str | None]:
        """person key -> the user, None (unknown), or a failure reason (str)."""
        keys = list(dict.fromkeys(r.person_key for r in rows))
        found: dict[str, DirectoryUser | str | None] = {}
        notify(Progress("resolve", 0, len(keys)))
        for start in range(0, len(keys), RESOLVE_CHUNK):
            chunk = keys[start : start + RESOLVE_CHUNK]
            try:
                users = await self._patiently(partial(self.directory.find_users, chunk), notify)
                found.update(users)
            except DirectoryUnavailable as exc:
                found.update(
                    dict.fromkeys(chunk, f"the directory is unavailable: {exc}; run again")
                )
            except DirectoryError as exc:
                found.update(
                    dict.fromkeys(chunk, f"the directory refused to look people up: {exc}")
                )
            notify(Progress("resolve", min(start + RESOLVE_CHUNK, len(keys)), len(keys)))
        unknown = [
            RowResult(r, Outcome.UNKNOWN_PERSON, reason="not found in the directory")
            for r in rows
            if found.get(r.person_key) is None
        ]
        failed = [
            RowResult(r, Outcome.FAILED, reason=str(found[r.person_key]))
            for r in rows
            if isinstance(found.get(r.person_key), str)
        ]
        if not dry_run:
            await self._store(report.key, unknown + failed)
        report.results.extend([*unknown, *failed])
        return found

    def _check_resolved(
        self,
        rows: list[Row],
        users: dict[str, DirectoryUser | str | None],
        report: ImportReport,
        done_primaries: list[tuple[int, str]],
    ) -> list[tuple[Row, str]]:
        """Rows with their user id, less those that repeat a person or give them two primaries."""
        resolved: list[tuple[Row, str]] = []
        seen: dict[tuple[str, str], int] = {}
        for row in rows:
            user = users.get(row.person_key)
            if not isinstance(user, DirectoryUser):
                continue
            earlier = seen.get((user.id, row.cop_id))
            if earlier is not None:
                report.bad.append(
                    BadRow(row.line, f"same person and CoP as line {earlier} (written differently)")
                )
                continue
            seen[(user.id, row.cop_id)] = row.line
            resolved.append((row, user.id))
        conflicts = primary_conflicts(
            [*done_primaries, *((r.line, uid) for r, uid in resolved if r.primary)]
        )
        if conflicts:
            for row, _uid in resolved:
                if row.line in conflicts:
                    report.bad.append(BadRow(row.line, conflicts[row.line]))
            resolved = [(r, u) for r, u in resolved if r.line not in conflicts]
        report.bad.sort(key=lambda b: b.line)
        return resolved

    async def _add(
        self,
        community: Community,
        chunk: Sequence[tuple[Row, str]],
        notify: Callable[[Progress], None],
    ) -> tuple[list[RowResult], bool]:
        """The rows' outcomes, and whether the group turned out not to exist."""
        user_ids = [u for _, u in chunk]
        group_id = community.group_key
        try:
            outcomes = await self._patiently(lambda: self.adder.add(community, user_ids), notify)
        except UnknownGroup:
            reason = f"group {group_id} does not exist in the directory: fix graph_group_id"
            return [RowResult(r, Outcome.FAILED, u, reason) for r, u in chunk], True
        except DirectoryUnavailable as exc:
            reason = f"the directory is unavailable: {exc}; run again"
            return [RowResult(r, Outcome.FAILED, u, reason) for r, u in chunk], False
        except DirectoryError as exc:
            return [RowResult(r, Outcome.FAILED, u, str(exc)) for r, u in chunk], False
        results = []
        for row, user_id in chunk:
            outcome = outcomes.get(user_id)
            if outcome == AddOutcome.ADDED:
                results.append(RowResult(row, Outcome.ADDED, user_id))
            elif outcome == AddOutcome.ALREADY_MEMBER:
                results.append(RowResult(row, Outcome.ALREADY_MEMBER, user_id))
            else:
                reason = str(outcome) if outcome is not None else "the directory gave no answer"
                results.append(RowResult(row, Outcome.FAILED, user_id, reason))
        return results, False

    async def _preview(
        self,
        cop_id: str,
        group_id: str,
        rows: Sequence[tuple[Row, str]],
        report: ImportReport,
        notify: Callable[[Progress], None],
    ) -> None:
        try:
            members = set(
                await self._patiently(lambda: self.directory.list_members(group_id), notify)
            )
        except UnknownGroup:
            reason = f"group {group_id} does not exist in the directory: fix graph_group_id"
            report.results.extend(RowResult(r, Outcome.FAILED, u, reason) for r, u in rows)
            return
        except (DirectoryUnavailable, DirectoryError) as exc:
            report.results.extend(RowResult(r, Outcome.FAILED, u, str(exc)) for r, u in rows)
            return
        for row, user_id in rows:
            outcome = Outcome.ALREADY_MEMBER if user_id in members else Outcome.WOULD_ADD
            report.results.append(RowResult(row, outcome, user_id))

    async def _store(self, key: str, results: list[RowResult]) -> list[RowResult]:
        """Store outcomes (and memberships for rows now in their group), in one transaction;
        the results back, with notes."""
        if not results:
            return results
        try:
            async with self.db.session() as session:
                return await self._store_in(session, key, results)
        except IntegrityError:
            # The bot recorded a primary for one of them meanwhile: read the state again, once.
            async with self.db.session() as session:
                return await self._store_in(session, key, results)

    async def _store_in(
        self, session: AsyncSession, key: str, results: list[RowResult]
    ) -> list[RowResult]:
        """A few statements per chunk, whatever its size: the database may be far away."""
        now = self.clock.now()
        in_group = [r for r in results if r.outcome in DONE and r.user_id]
        known: dict[tuple[str, str], Membership] = {}
        primary_of: dict[str, str] = {}
        if in_group:
            rows = await session.scalars(
                select(Membership).where(Membership.person_id.in_({r.user_id for r in in_group}))
            )
            for membership in rows:
                known[(membership.person_id, membership.cop_id)] = membership
                if membership.role == "primary":
                    primary_of[membership.person_id] = membership.cop_id
        noted: list[RowResult] = []
        progress: list[dict[str, Any]] = []
        for result in results:
            row, note = result.row, ""
            if result.outcome in DONE and result.user_id:
                role, note = membership_of_row(session, known, primary_of, result.user_id, row, now)
                record(
                    session,
                    at=now,
                    actor=self.actor,
                    action="membership.imported",
                    subject=f"cop:{row.cop_id}",
                    person_id=result.user_id,
                    role=role,
                    outcome=str(result.outcome),
                    import_key=key,
                    line=row.line,
                )
            reason = (result.reason or note)[:500] or None
            progress.append(
                {
                    "import_key": key,
                    "line": row.line,
                    "person_key": row.person_key,
                    "cop_id": row.cop_id,
                    "role": row.role,
                    "status": str(result.outcome),
                    "user_id": result.user_id,
                    "reason": reason,
                    "updated_at": now,
                }
            )
            noted.append(
                RowResult(row, result.outcome, result.user_id, result.reason, note)
                if note
                else result
            )
        await session.flush()
        await upsert_many(
            session,
            ImportRowProgress.__table__,
            progress,
            keys=["import_key", "line"],
            update=["person_key", "cop_id", "role", "status", "user_id", "reason", "updated_at"],
        )
        return noted

    async def _patiently(
        self, call: Callable[[], Awaitable[T]], notify: Callable[[Progress], None]
    ) -> T:
        """``call()``, waiting out throttling and outages the way Graph asks."""
        waits = 0
        while True:
            try:
                return await call()
            except DirectoryUnavailable as exc:
                waits += 1
                if waits > self.max_waits:
                    raise
                # Graph's Retry-After as given (even 0: Graph asks, we follow), else the backoff
                wait = retry_delay(waits, exc.retry_after, self._backoff, floor=0.0)
                log.info("import.waiting", wait_s=round(wait, 3), status=exc.status, attempt=waits)
                notify(Progress("wait", wait_s=wait))
                await self.sleep(wait)
