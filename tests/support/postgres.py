"""A PostgreSQL for the tests: the one at TEST_POSTGRES_URL / 127.0.0.1:5432, else a throwaway one.

Each test session works in a database of its own (created here, dropped at the end), so two test
runs on one server never see each other's rows. Under CI=true a PostgreSQL must be found.
"""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from contextlib import closing
from dataclasses import dataclass

import asyncpg

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"


@dataclass
class PostgresServer:
    admin_url: str  # a database we may CREATE DATABASE from
    process: subprocess.Popen[bytes] | None = None
    data_dir: str | None = None

    def stop(self) -> None:
        if self.process is not None and self.data_dir:
            binary = _binaries()
            if binary:
                subprocess.run(
                    [
                        os.path.join(binary, "pg_ctl"),
                        "-D",
                        self.data_dir,
                        "-m",
                        "immediate",
                        "stop",
                    ],
                    capture_output=True,
                    check=False,
                )
            shutil.rmtree(self.data_dir, ignore_errors=True)


async def _reachable(url: str) -> str | None:
    try:
        conn = await asyncpg.connect(url, timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        return f"{type(exc).__name__}: {exc}"
    await conn.close()
    return None


def _binaries() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def _free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_throwaway() -> PostgresServer:
    binary = _binaries()
    if binary is None:
        raise RuntimeError("no PostgreSQL binaries (initdb) on this machine")
    data_dir = tempfile.mkdtemp(prefix="copbot-pg-")
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(data_dir, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [*run_as, os.path.join(binary, "initdb"), "-D", data_dir, "-U", "postgres", "-A", "trust"],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    process = subprocess.Popen(
        [
            *run_as,
            os.path.join(binary, "postgres"),
            "-D",
            data_dir,
            "-p",
            str(port),
            "-k",
            data_dir,
            "-h",
            "127.0.0.1",
            "-c",
            "fsync=off",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if asyncio.run(_reachable(url)) is None:
            return PostgresServer(url, process, data_dir)
        time.sleep(0.3)
    process.kill()
    raise RuntimeError("a throwaway PostgreSQL did not start within 30 s")


def find_server() -> tuple[PostgresServer | None, str]:
    """The server to use, or None with the reason none could be had."""
    url = os.environ.get("TEST_POSTGRES_URL", DEFAULT_URL)
    reason = asyncio.run(_reachable(url))
    if reason is None:
        return PostgresServer(url), ""
    try:
        return _start_throwaway(), ""
    except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
        return None, f"no PostgreSQL at {url} ({reason}) and no throwaway one ({exc})"


async def create_database(admin_url: str) -> str:
    name = f"copbot_test_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    base = admin_url.rsplit("/", 1)[0]
    return f"{base}/{name}"


async def drop_database(admin_url: str, url: str) -> None:
    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
