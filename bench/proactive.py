"""Proactive pace benchmark: 2,000 messages (welcomes after a bulk import) through the connector
double with Teams' rate limits on, paced (the app's PacedNotifier) against a naive sender (the
same BotNotifier, no pace), measured in the same run.

    .venv/bin/python bench/proactive.py [--messages 2000] [--postgres ADMIN_URL] [--write]

(`--postgres postgresql://postgres@127.0.0.1:5432/test`: on a throwaway database made there, as
in production; default: SQLite in a temporary directory.)

Both runs are the real path of a welcome: outbox items (copbot/work/outbox.py, production retry
policy and leases) whose handler sends through `bot.proactive.BotNotifier` (the Bot Framework SDK,
over HTTP) to `tests/fakes/connector.py` on 127.0.0.1, which counts Teams' documented limits
(tests/fakes/rate_limits.py: per thread 7 per 1 s, 8 per 2 s, 60 per 30 s, 1,800 per hour; per
app per tenant 50 per second) on the real clock and answers 429 with Retry-After beyond them. A
throttled or held-back send is retried by the outbox at its Retry-After, as in production. Every
person already has a 1:1 chat with the bot (stored references), so each message is one request
and the floor is messages / 50 per second. Real time throughout (no virtual clock).

Reported per run: delivered, lost (items failed or never done), duplicated (a person with more
than one message), 429 answers, the pace's own put-backs, wall time and its ratio to the floor.
`--write` replaces the "Proactive pace" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import app as composition  # noqa: E402
from copbot.clock import SystemClock  # noqa: E402
from copbot.notifier import DeliveryDeferred, Notifier, Undeliverable  # noqa: E402
from copbot.store import Database, people  # noqa: E402
from copbot.work.outbox import DONE, PENDING, Outbox, PermanentFailure, Retry  # noqa: E402
from copbot.work.pace import TENANT_RATE, Pace  # noqa: E402
from copbot.work.paced_notifier import PacedNotifier  # noqa: E402
from settings import Settings  # noqa: E402
from tests.fakes.connector import FakeConnector  # noqa: E402
from tests.support import postgres  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Proactive pace"
KIND = "bench.welcome"
TENANT = "72f988bf-0000-4000-8000-000000000000"
BOT = {"id": "28:bench-bot", "name": "CoP Bot"}
CARD = {
    "type": "AdaptiveCard",
    "version": "1.5",
    "body": [{"type": "TextBlock", "text": "Welcome to Urban Basic Services (UBS)!"}],
}


@dataclass
class Result:
    name: str
    messages: int
    seconds: float
    delivered: int
    lost: int
    duplicated: int
    throttled: int
    put_back: int
    attempts: int
    final_rate: float | None

    @property
    def floor(self) -> float:
        return self.messages / TENANT_RATE


def person(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


async def remember_chats(db: Database, connector: FakeConnector, n: int) -> None:
    """Every person talked to the bot once: their 1:1 chat is known (one request per message)."""
    now = datetime.now(UTC)
    for i in range(n):
        pid = person(i)
        chat = f"a:personal-{pid}"
        reference = {
            "activityId": f"in-{i}",
            "user": {"id": f"29:{pid}", "aadObjectId": pid},
            "bot": BOT,
            "conversation": {"id": chat, "conversationType": "personal", "tenantId": TENANT},
            "channelId": "msteams",
            "serviceUrl": connector.url,
        }
        await people.remember_reference(db, f"user:{pid}", "personal", chat, reference, now)


async def run(
    name: str, notifier: Notifier, db: Database, connector: FakeConnector, n: int, pace: Any
) -> Result:
    connector.records.clear()
    connector.refused.clear()
    connector.enforce_rate_limits(SystemClock())
    outbox = Outbox(db, SystemClock(), owner=f"bench-{name}")

    async def welcome(payload: dict[str, Any]) -> None:  # as copbot/membership/delivery.py
        try:
            await notifier.send_to_person(payload["person"], card=CARD)
        except Undeliverable as exc:
            raise PermanentFailure(exc.reason) from exc
        except DeliveryDeferred as exc:
            raise Retry(exc.reason, after=exc.retry_after) from exc

    outbox.register(KIND, welcome)
    async with db.session() as session:
        for i in range(n):
            await outbox.enqueue(session, KIND, {"person": person(i)}, f"{name}:{i}")
    start = time.monotonic()
    while True:
        ran = await outbox.run_pending()
        left = [i for i in await outbox.items((PENDING,), [KIND]) if i.dedupe_key.startswith(name)]
        if not left:
            break
        if not ran:
            await asyncio.sleep(0.05)
    seconds = time.monotonic() - start
    items = [
        i
        for i in await outbox.items((PENDING, DONE, "failed"), [KIND])
        if i.dedupe_key.startswith(f"{name}:")
    ]
    per_person = Counter(r.conversation_id for r in connector.records)
    wanted = {f"a:personal-{person(i)}" for i in range(n)}
    return Result(
        name=name,
        messages=n,
        seconds=seconds,
        delivered=len(wanted & set(per_person)),
        lost=len(wanted - set(per_person)) + sum(i.status != DONE for i in items),
        duplicated=sum(count - 1 for count in per_person.values() if count > 1),
        throttled=sum(r.status == 429 for r in connector.refused),
        put_back=pace.put_back if pace is not None else 0,
        attempts=sum(i.attempts for i in items),
        final_rate=pace.rate if pace is not None else None,
    )


def table(results: list[Result], command: str) -> str:
    paced, naive = results
    rows = [
        "| run | messages | delivered | lost | duplicated | 429 answers | held back by the pace "
        "| send attempts | wall time | floor (messages / 50 per s) | time / floor |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        rows.append(
            f"| {r.name} | {r.messages} | {r.delivered} | {r.lost} | {r.duplicated} | "
            f"{r.throttled} | {r.put_back} | {r.attempts} | {r.seconds:.1f} s | {r.floor:.0f} s "
            f"| {r.seconds / r.floor:.2f} |"
        )
    fewer = f"{naive.throttled / paced.throttled:.0f}× fewer" if paced.throttled else "none"
    return "\n".join(
        [
            SECTION,
            "",
            f"`{command}` ({datetime.now(UTC):%Y-%m-%d}, CPython {platform.python_version()}, "
            f"{os.cpu_count()} cores, shared with other test runs). {paced.messages} welcomes to "
            f"{paced.messages} people who each have a 1:1 chat with the bot (one request per "
            "message), as after a bulk import: outbox items with the production retry policy, "
            "sent by the real `BotNotifier` (Bot Framework SDK over HTTP) to the connector double "
            "on 127.0.0.1 counting Teams' limits on the real clock (per thread 7 / 1 s, 8 / 2 s, "
            "60 / 30 s, 1,800 / h; per app per tenant 50 / s; 429 with Retry-After beyond them). "
            "Paced = the app's `PacedNotifier` (copbot/work/pace.py); naive = the same sender "
            "with no pace, relying on Retry-After alone. Real time, no virtual clock.",
            "",
            *rows,
            "",
            f"- 429s: paced **{paced.throttled}**, naive **{naive.throttled}** ({fewer}).",
            f"- lost / duplicated: paced {paced.lost} / {paced.duplicated}, naive "
            f"{naive.lost} / {naive.duplicated}.",
            f"- paced time against the floor: {paced.seconds:.1f} s for a floor of "
            f"{paced.floor:.0f} s ({paced.seconds / paced.floor:.2f}×; the pace spaces calls 5 % "
            "wider than Teams' 50 per second, so 47.6 per second at most, and slows down after "
            f"429s: it ended at {paced.final_rate:.1f} per second).",
            "",
        ]
    )


async def main_async(args: argparse.Namespace) -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        url = (
            await postgres.create_database(args.postgres)
            if args.postgres
            else f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        )
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            DATABASE_URL=url,
            MICROSOFT_APP_ID="",
            MICROSOFT_APP_PASSWORD="",
            MICROSOFT_APP_TENANT_ID=TENANT,
            DIRECTORY_MODE="local",
            LOG_LEVEL="WARNING",
            LOG_FORMAT="console",
        )
        composition.configure_logging(settings)
        components = composition.build_components(settings)
        db = components.services.db
        await db.upgrade()
        connector = await FakeConnector().start()
        try:
            await remember_chats(db, connector, args.messages)
            paced_notifier = components.services.notifier
            assert isinstance(paced_notifier, PacedNotifier)
            bare = paced_notifier.notifier
            pace = Pace(SystemClock())
            results = [
                await run("paced", PacedNotifier(bare, pace), db, connector, args.messages, pace),
                await run("naive", bare, db, connector, args.messages, None),
            ]
        finally:
            await components.adapter.bot_framework_authentication.close()
            await connector.stop()
            await db.dispose()
            if args.postgres:
                await postgres.drop_database(args.postgres, url)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--postgres", metavar="ADMIN_URL")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    results = asyncio.run(main_async(args))
    command = ".venv/bin/python bench/proactive.py" + (
        f" --postgres {args.postgres}" if args.postgres else ""
    )
    text = table(results, command)
    print(text)
    if args.write:
        doc = DOC.read_text(encoding="utf-8")
        if SECTION in doc:
            start = doc.index(SECTION)
            end = doc.find("\n## ", start + len(SECTION))
            doc = doc[:start] + text + (doc[end + 1 :] if end != -1 else "")
        else:
            doc = doc.rstrip("\n") + "\n\n" + text
        DOC.write_text(doc, encoding="utf-8")


if __name__ == "__main__":
    main()
