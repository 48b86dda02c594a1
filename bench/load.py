"""Load benchmark: many simulated users through the real HTTP route, against an echo-bot baseline.

    .venv/bin/python bench/load.py [--users 50] [--turns 4000] [--memory-turns 10000]

Both bots run as separate processes (`copbot serve`, on PostgreSQL when one is reachable as in
production, else SQLite; and bench/echo_bot.py on the same aiohttp + CloudAdapter stack), the
connector that receives their replies is a third (bench/sink_connector.py, stateless), and this
process plays the users. Measured in one run:

1. saturation: N users sending back to back (no think time): throughput, p50/p99, errors, for
   the echo bot and for CoP Bot's "which CoP fits me" turns, and the ratio between them;
2. people-paced: N users each sending about one message a second (what 50 people in a chat do):
   p50/p99 of CoP Bot turns in a mix of questions, joins and card actions;
3. memory: CoP Bot's resident memory after 1,000 and after M turns.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import postgres  # noqa: E402

QUESTIONS = [
    "I work on water supply and sanitation in informal settlements",
    "which CoP fits me? I work on bus rapid transit in Addis",
    "Je travaille sur le foncier et la sécurité de la tenure",
    "trabajo en vivienda social y asentamientos informales",
    "climate adaptation and heat action plans",
    "gender equality and safer public spaces for women",
    "municipal finance and property tax reform",
    "national urban policy and local governance",
]
COPS = ["PLG", "SHRSI", "PFE", "UBS", "LHS", "CC"]


def free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def kind_of(activity: dict[str, Any]) -> str:
    if activity["type"] == "invoke":
        return "card action (Execute)"
    value = activity.get("value")
    if isinstance(value, dict):
        return f"card button: {value.get('verb')}"
    return "my communities" if activity.get("text") == "my communities" else "which CoP fits me"


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    seconds: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (
            f"{self.name:<34} {len(self.latencies):>6} turns {self.throughput:>8.1f}/s "
            f"p50 {percentile(self.latencies, 0.5) * 1000:>7.1f} ms "
            f"p99 {percentile(self.latencies, 0.99) * 1000:>7.1f} ms  errors {self.errors}"
        )


class Server:
    def __init__(self, command: list[str], env: dict[str, str], port: int):
        self.port = port
        self.process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/messages"

    async def wait_ready(self, session: aiohttp.ClientSession) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.process.stderr.read().decode()[-2000:])  # type: ignore[union-attr]
            try:
                async with session.get(f"http://127.0.0.1:{self.port}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Users:
    """Builds the activities a simulated user sends."""

    ids = itertools.count(1)

    def __init__(self, connector_url: str, count: int):
        self.connector_url = connector_url
        self.users = [
            {
                "id": f"29:user-{i}",
                "name": f"User {i}",
                "aadObjectId": f"00000000-0000-4000-8000-{i:012d}",
            }
            for i in range(count)
        ]

    def activity(self, user: int, **fields: Any) -> dict[str, Any]:
        account = self.users[user]
        return {
            "type": "message",
            "id": f"load-{next(self.ids)}",
            "serviceUrl": self.connector_url,
            "channelId": "msteams",
            "from": account,
            "recipient": {"id": "28:copbot", "name": "CoP Bot"},
            "conversation": {"id": f"a:personal-{account['id']}", "conversationType": "personal"},
            "locale": "en-US",
            **fields,
        }

    def question(self, user: int) -> dict[str, Any]:
        return self.activity(user, text=random.choice(QUESTIONS))

    def mixed(self, user: int) -> dict[str, Any]:
        roll = random.random()
        if roll < 0.6:
            return self.question(user)
        if roll < 0.75:
            return self.activity(user, value={"verb": "details", "cop": random.choice(COPS)})
        if roll < 0.85:
            return self.activity(user, text="my communities")
        if roll < 0.95:
            cop = random.choice(COPS)
            return self.activity(user, value={"verb": "join", "cop": cop, "role": "secondary"})
        return self.activity(
            user,
            type="invoke",
            name="adaptiveCard/action",
            value={
                "action": {
                    "type": "Action.Execute",
                    "verb": "details",
                    "data": {"cop": random.choice(COPS)},
                }
            },
        )


async def drive(
    session: aiohttp.ClientSession,
    url: str,
    users: Users,
    make: str,
    *,
    turns: int,
    concurrency: int,
    think: float = 0.0,
    name: str,
) -> Result:
    result = Result(name)
    remaining = itertools.count()

    async def user_loop(index: int) -> None:
        if think:  # people do not start in lockstep: spread the first messages over one pause
            await asyncio.sleep(random.uniform(0, think))
        while next(remaining) < turns:
            activity = getattr(users, make)(index)
            started = time.perf_counter()
            try:
                async with session.post(
                    url, data=json.dumps(activity), headers={"Content-Type": "application/json"}
                ) as response:
                    await response.read()
                    if response.status >= 400:
                        result.errors += 1
            except aiohttp.ClientError:
                result.errors += 1
            elapsed = time.perf_counter() - started
            result.latencies.append(elapsed)
            result.by_kind.setdefault(kind_of(activity), []).append(elapsed)
            if think:
                await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))

    started = time.perf_counter()
    await asyncio.gather(*(user_loop(i % len(users.users)) for i in range(concurrency)))
    result.seconds = time.perf_counter() - started
    return result


def database_url(tmp: Path) -> tuple[str, str | None]:
    """A fresh PostgreSQL database when a server is reachable (what production runs), else SQLite."""
    admin = os.environ.get("TEST_POSTGRES_URL", postgres.DEFAULT_URL)
    if asyncio.run(postgres._reachable(admin)) is None:
        url = asyncio.run(postgres.create_database(admin))
        return url, admin
    return f"sqlite:///{tmp / 'load.sqlite3'}", None


def start_sink() -> tuple[subprocess.Popen[str], str]:
    sink = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "sink_connector.py")],
        stdout=subprocess.PIPE,
        text=True,
    )
    return sink, sink.stdout.readline().strip()  # type: ignore[union-attr]


async def main(args: argparse.Namespace, db_url: str, connector_url: str) -> None:
    users = Users(connector_url, args.users)
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "json",
        "MICROSOFT_APP_ID": "",
    }
    python = sys.executable
    echo = Server([python, "bench/echo_bot.py", str(port := free_port())], env, port)
    stock = Server([python, "bench/echo_bot.py", str(port3 := free_port()), "--stock"], env, port3)
    bot = Server(
        [str(Path(python).parent / "copbot"), "serve", "--port", str(port2 := free_port())],
        env,
        port2,
    )
    connector_limit = aiohttp.TCPConnector(limit=args.users * 2)
    async with aiohttp.ClientSession(connector=connector_limit) as session:
        try:
            await echo.wait_ready(session)
            await stock.wait_ready(session)
            await bot.wait_ready(session)
            # Warm every server up (imports, caches, the finder index, database pages), every
            # simulated user once: what a running bot has seen before a busy hour.
            for server in (echo, stock, bot):
                await drive(
                    session,
                    server.url,
                    users,
                    "question",
                    turns=max(200, args.users * 4),
                    concurrency=args.users,
                    name="warm-up",
                )

            database = "PostgreSQL" if db_url.startswith("postgres") else "SQLite"
            print(
                f"CoP Bot load benchmark: {args.users} users, {os.cpu_count()} cores, "
                f"Python {sys.version.split()[0]}, CoP Bot on {database}"
            )
            print(f"\n1. saturation (no think time), {args.trials} interleaved trials")
            ratios: list[float] = []
            cpu_ratios: list[float] = []
            errors = 0
            for trial in range(1, args.trials + 1):
                runs = {}
                for name, server in (
                    ("echo bot (baseline)", echo),
                    ("echo bot on the SDK as shipped", stock),
                    ("CoP Bot: which CoP fits me", bot),
                ):
                    cpu = cpu_seconds(server.process.pid)
                    run = await drive(
                        session,
                        server.url,
                        users,
                        "question",
                        turns=args.turns,
                        concurrency=args.users,
                        name=f"#{trial} {name}",
                    )
                    runs[name] = (run, (cpu_seconds(server.process.pid) - cpu) / len(run.latencies))
                    errors += run.errors
                    print(run.line() + f"  CPU {runs[name][1] * 1000:.2f} ms/turn")
                (echo_run, echo_cpu), (cop_run, cop_cpu) = (
                    runs["echo bot (baseline)"],
                    runs["CoP Bot: which CoP fits me"],
                )
                ratios.append(cop_run.throughput / echo_run.throughput)
                cpu_ratios.append(echo_cpu / cop_cpu)
            print(
                f"ratio CoP Bot / echo throughput: median {statistics.median(ratios):.2f} "
                f"(trials {', '.join(f'{r:.2f}' for r in ratios)}; target >= 0.70); "
                f"by CPU per turn: median {statistics.median(cpu_ratios):.2f}"
            )
            mixed = await drive(
                session,
                bot.url,
                users,
                "mixed",
                turns=args.turns,
                concurrency=args.users,
                name="CoP Bot: mixed (questions/joins/cards)",
            )
            print(mixed.line())

            print(f"\n2. people-paced: {args.users} users, about one message a second each")
            paced = await drive(
                session,
                bot.url,
                users,
                "mixed",
                turns=args.paced_turns,
                concurrency=args.users,
                think=1.0,
                name="CoP Bot: mixed, paced",
            )
            print(paced.line() + "  (target p99 <= 50 ms)")
            for kind, values in sorted(paced.by_kind.items()):
                print(
                    f"    {kind:<30} {len(values):>5} turns  p50 {percentile(values, 0.5) * 1000:6.1f} ms"
                    f"  p99 {percentile(values, 0.99) * 1000:6.1f} ms"
                )
            paced_echo = await drive(
                session,
                echo.url,
                users,
                "question",
                turns=args.paced_turns,
                concurrency=args.users,
                think=1.0,
                name="echo bot, paced",
            )
            print(paced_echo.line())

            print(f"\n3. memory over {args.memory_turns} turns")
            done = baseline_turns = 1000
            await drive(
                session,
                bot.url,
                users,
                "mixed",
                turns=baseline_turns,
                concurrency=args.users,
                name="memory",
            )
            at_1000 = rss_mb(bot.process.pid)
            await drive(
                session,
                bot.url,
                users,
                "mixed",
                turns=args.memory_turns - done,
                concurrency=args.users,
                name="memory",
            )
            at_end = rss_mb(bot.process.pid)
            growth = (at_end - at_1000) / at_1000
            print(
                f"RSS after 1,000 turns {at_1000:.1f} MB, after {args.memory_turns:,} turns {at_end:.1f} MB: growth {growth:+.1%} (target <= +10%)"
            )
            total_errors = errors + mixed.errors + paced.errors
            async with session.get(f"{connector_url}count") as response:
                replies = (await response.json())["n"]
            print(
                f"\nerrors in all runs: {total_errors}; replies the connector received: {replies}"
            )
        finally:
            echo.stop()
            stock.stop()
            bot.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--turns", type=int, default=3000)
    parser.add_argument("--paced-turns", type=int, default=1500)
    parser.add_argument("--memory-turns", type=int, default=10000)
    arguments = parser.parse_args()
    url, admin_url = database_url(Path(tempfile.mkdtemp(prefix="copbot-load-")))
    sink, sink_url = start_sink()
    try:
        asyncio.run(main(arguments, url, sink_url))
    finally:
        sink.kill()
        if admin_url:
            asyncio.run(postgres.drop_database(admin_url, url))
