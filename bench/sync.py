"""Directory sync: Graph requests and time of delta rounds, against reading every group's members.

    .venv/bin/python bench/sync.py            # 6 CoPs x 2,000 members, figures printed
    .venv/bin/python bench/sync.py --write    # and the "Directory sync" section of docs/benchmarks.md

Both talk to the Graph fake (tests/fakes/graph_fake.py: a real HTTP server on 127.0.0.1) through
the real msgraph-sdk clients, in the same process, on the same groups:

- **sync**: the sync's engine (`copbot.membership.sync.GroupSync`: `GraphGroupDelta` rounds, our
  records in SQLite compared and updated, the token stored per CoP), three moments: the first run
  (a full round), a day without changes, a day with drift (20 people added and 10 removed per CoP
  by owners);
- **baseline**: what a sync without delta does every day: `GET /groups/{id}/members?$select=id
  &$top=999` for every group, following `@odata.nextLink`, compared with our records, read as JSON through the same
  msgraph-sdk request adapter as the delta rounds (not `GraphDirectory.list_members`: the SDK's
  typed `User` models cost tens of milliseconds per member to build, which would measure the SDK
  rather than the approach); it writes nothing (the baseline does less work: no claim, no
  token, no audit, changes found but not applied).

The account checks of people who may have left (`leavers.py`) are the same for both and not
measured here. The fake pages delta rounds 100 members per page (Graph does not document its own
number) and member lists 999 per page (`$top`).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog
import yaml
from azure.core.credentials import AccessToken
from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from copbot.catalog import Catalog, parse_catalog  # noqa: E402
from copbot.clock import SystemClock  # noqa: E402
from copbot.membership.queue import MembershipQueue  # noqa: E402
from copbot.membership.records import MembershipRecords  # noqa: E402
from copbot.membership.sync import GroupSync  # noqa: E402
from copbot.store import Database  # noqa: E402
from copbot.store.membership_models import Membership  # noqa: E402
from copbot.work.outbox import Outbox  # noqa: E402
from graph.calls import GraphCalls  # noqa: E402
from graph.delta import GraphGroupDelta  # noqa: E402
from tests.fakes.graph_fake import GraphFake  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Directory sync"
COPS = ["PLG", "SHRSI", "PFE", "UBS", "LHS", "CC"]
ADDED, REMOVED = 20, 10  # per CoP, on the day with drift


class StaticToken:
    async def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken("bench-token", int(time.time()) + 3600)

    async def close(self) -> None:
        pass


@dataclass
class Run:
    name: str
    seconds: float
    requests: int
    changes: int  # added + removed found


def _catalog(groups: dict[str, str]) -> Catalog:
    text = (ROOT / "catalog" / "communities.yaml").read_text(encoding="utf-8")
    overlay = {"communities": {cop: {"graph_group_id": gid} for cop, gid in groups.items()}}
    return parse_catalog(text, "communities.yaml", yaml.safe_dump(overlay))


async def _seed(db: Database, graph: GraphFake, members: int) -> dict[str, str]:
    """Six groups of `members` people each, our records the same (as after an import)."""
    groups: dict[str, str] = {}
    now = datetime.now(UTC)
    rows = []
    for cop in COPS:
        ids = [graph.add_user(f"{cop} member {i}").id for i in range(members)]
        groups[cop] = graph.add_group(f"{cop} CoP", members=ids).id
        rows += [
            {
                "person_id": pid,
                "cop_id": cop,
                "role": "primary",  # each person is in one CoP here
                "since": now,
                "source": "import",
                "added_at": now,
            }
            for pid in ids
        ]
    async with db.session() as session:
        await session.execute(Membership.__table__.insert(), rows)
    return groups


async def _sync(sync: GroupSync, graph: GraphFake, name: str) -> Run:
    graph.clear_requests()
    started = time.perf_counter()
    results = await sync.sync_all()
    seconds = time.perf_counter() - started
    assert all(r.outcome == "ok" for r in results), results
    changes = sum(len(r.added_outside) + len(r.removed_outside) for r in results)
    return Run(name, seconds, len(graph.http_requests()), changes)


async def _baseline(
    calls: GraphCalls, db: Database, graph: GraphFake, groups: dict[str, str]
) -> Run:
    """Read every group's members and compare them with our records (no writes)."""
    graph.clear_requests()
    started = time.perf_counter()
    changes = 0
    for cop, group_id in groups.items():
        members: set[str] = set()
        url: str | None = f"/groups/{group_id}/members?$select=id&$top=999"
        while url:
            page = await calls.get_json(url)
            members.update(str(m["id"]) for m in page.get("value") or [])
            url = page.get("@odata.nextLink")
        async with db.session() as session:
            ours = set(
                (
                    await session.scalars(
                        select(Membership.person_id).where(Membership.cop_id == cop)
                    )
                ).all()
            )
        changes += len(members - ours) + len(ours - members)
    seconds = time.perf_counter() - started
    return Run("baseline", seconds, len(graph.http_requests()), changes)


def _drift(graph: GraphFake, groups: dict[str, str]) -> None:
    for cop, group_id in groups.items():
        for i in range(ADDED):
            graph.add_member(group_id, graph.add_user(f"{cop} newcomer {i}").id)
        for member in graph.member_ids(group_id)[:REMOVED]:
            graph.remove_member(group_id, member)


async def measure(members: int) -> list[tuple[Run, Run]]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}")
        await db.upgrade()
        clock = SystemClock()
        async with GraphFake() as graph:
            groups = await _seed(db, graph, members)
            catalog = _catalog(groups)
            outbox = Outbox(db, clock)
            records = MembershipRecords(db, clock, catalog)
            async with (
                GraphGroupDelta.create(StaticToken(), graph.base_url) as delta,
                GraphCalls.create(StaticToken(), graph.base_url) as directory,
            ):
                sync = GroupSync(records, catalog, delta, MembershipQueue(outbox))
                pairs = []
                for name in ("first run (full rounds)", "a day without changes"):
                    pairs.append(
                        (
                            await _sync(sync, graph, name),
                            await _baseline(directory, db, graph, groups),
                        )
                    )
                _drift(graph, groups)
                pairs.append(
                    (
                        await _sync(
                            sync, graph, f"a day with drift (+{ADDED} / -{REMOVED} per CoP)"
                        ),
                        await _baseline(directory, db, graph, groups),
                    )
                )
            await outbox.close()
        await db.dispose()
    return pairs


def table(pairs: list[tuple[Run, Run]], members: int) -> str:
    lines = [
        "| moment | sync: time | sync: Graph requests | changes found | baseline: time "
        "| baseline: Graph requests | requests ratio | time ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run, base in pairs:
        lines.append(
            f"| {run.name} | {run.seconds:.2f} s | {run.requests} | {run.changes} | "
            f"{base.seconds:.2f} s | {base.requests} | {base.requests / max(run.requests, 1):.1f}× "
            f"| {base.seconds / max(run.seconds, 1e-9):.1f}× |"
        )
    return "\n".join(lines)


def write_section(text: str) -> None:
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(current):
        updated = pattern.sub(lambda _m: text, current)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    DOC.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=2000, help="members per CoP group")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    pairs = asyncio.run(measure(args.members))
    figures = table(pairs, args.members)
    quiet_sync, quiet_base = pairs[1]
    verdict = [
        f"- a day without changes: **{quiet_sync.requests}** Graph requests (one delta request "
        f"per CoP) against {quiet_base.requests} for reading every member list, "
        f"{quiet_base.seconds / max(quiet_sync.seconds, 1e-9):.1f}× the time; the baseline reads "
        f"every member id ({args.members * len(COPS):,}) to find nothing",
        f"- the first run reads every member once, in delta pages of 100 (the fake's page; Graph "
        f"does not document its own): {pairs[0][0].requests} requests, more than the baseline's "
        f"{pairs[0][1].requests} with $top=999, once; every later day costs one request per CoP "
        "plus one per 100 changes",
        f"- a day with drift: in its {pairs[2][0].seconds:.2f} s the sync *applies* the "
        f"{pairs[2][0].changes} changes (memberships recorded or ended, audit entries, a "
        "'choose a primary CoP' message queued for each newcomer without one, about 10 ms a "
        "change in SQLite); the baseline only finds them",
        "- time is within a factor of two either way at this size; what the delta query saves "
        "grows with the groups: the baseline's requests and the ids it reads grow with every "
        "member every day, the sync's with the changes only",
    ]
    print(figures)
    print("\n".join(verdict))
    if args.write:
        command = ".venv/bin/python bench/sync.py --write"
        if args.members != 2000:
            command += f" --members {args.members}"
        write_section(
            f"{SECTION}\n\n"
            f"`{command}` ({datetime.now(UTC):%Y-%m-%d}, {platform.python_implementation()} "
            f"{platform.python_version()}, {os.cpu_count()} cores). {len(COPS)} CoPs × "
            f"{args.members:,} members in the Graph fake on 127.0.0.1, our records in SQLite "
            "matching the groups (as after an import). The sync is `GroupSync` (the engine of "
            "`copbot sync` and the daily job): `GET /groups/delta?$filter=id eq '{id}'"
            "&$select=members` rounds through msgraph-sdk, records compared and updated, the "
            "deltaLink stored per CoP. The baseline, measured in the same run on the same groups, "
            "reads every group's full member list (`GET /groups/{id}/members`, $top=999, paged, "
            "as JSON) and compares it with our records; it writes nothing.\n\n"
            f"{figures}\n\n" + "\n".join(verdict) + "\n"
        )
        print(f"wrote the '{SECTION[3:]}' section of {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
