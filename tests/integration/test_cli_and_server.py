"""`copbot` as an admin runs it: check-config, db upgrade, serve (start, ready, stop on SIGTERM)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import aiohttp
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COPBOT = str(Path(sys.executable).parent / "copbot")


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "LOG_FORMAT": "json",
    }
    env.update(values)
    return env


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COPBOT, *args],
        env=_env(tmp_path, **env),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def broken_catalog(tmp_path: Path) -> Path:
    data = yaml.safe_load((ROOT / "catalog" / "communities.yaml").read_text())
    data["communities"][3]["focal_points"][0]["email"] = "not-an-email"
    data["communities"][0]["time_zone"] = "Nowhere/Town"
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_check_config_accepts_the_shipped_catalog(tmp_path: Path) -> None:
    result = run(tmp_path, "check-config")
    assert result.returncode == 0, result.stderr
    assert "OK: 6 communities (PLG, SHRSI, PFE, UBS, LHS, CC)" in result.stdout


def test_check_config_names_the_graph_credential_or_what_it_is_missing(tmp_path: Path) -> None:
    graph = {
        "DIRECTORY_MODE": "graph",
        "MICROSOFT_APP_TENANT_ID": "contoso-tenant",
        "GRAPH_CLIENT_ID": "graph-app",
    }
    # (the shipped catalog has no group ids yet: its problems in Graph mode are reported too)
    result = run(tmp_path, "check-config", **graph, GRAPH_CREDENTIAL="managed_identity")
    assert "credential managed_identity (system-assigned)" in result.stdout
    assert "error: settings" not in result.stdout

    result = run(tmp_path, "check-config", **graph, GRAPH_CLIENT_SECRET="s3cret")
    assert "credential secret (app graph-app, tenant contoso-tenant)" in result.stdout
    assert "s3cret" not in result.stdout + result.stderr

    result = run(tmp_path, "check-config", **graph, GRAPH_CREDENTIAL="certificate")
    assert result.returncode == 1
    assert (
        "error: settings: GRAPH_CREDENTIAL=certificate needs GRAPH_CLIENT_CERTIFICATE_PATH"
        in result.stdout
    )


def test_check_config_prints_every_problem_with_where_it_is(tmp_path: Path) -> None:
    path = broken_catalog(tmp_path)
    result = run(tmp_path, "check-config", CATALOG_PATH=str(path))
    assert result.returncode == 1
    assert f"{path}:" in result.stdout
    assert (
        "communities[3] (UBS).focal_points[0].email: not an email address: 'not-an-email'"
        in result.stdout
    )
    assert "communities[0] (PLG).time_zone: unknown IANA time zone 'Nowhere/Town'" in result.stdout
    assert "2 problems found" in result.stderr


def test_check_config_names_settings_that_cannot_work(tmp_path: Path) -> None:
    result = run(tmp_path, "check-config", MICROSOFT_APP_ID="1c2e3f00-0000-4000-8000-000000000000")
    assert result.returncode == 1
    assert "MICROSOFT_APP_PASSWORD is required" in result.stdout


def test_serve_refuses_an_invalid_catalog_with_the_same_messages(tmp_path: Path) -> None:
    path = broken_catalog(tmp_path)
    result = run(tmp_path, "serve", "--port", str(free_port()), CATALOG_PATH=str(path))
    assert result.returncode == 2
    assert "The catalog is not valid; the server did not start" in result.stderr
    assert "communities[3] (UBS).focal_points[0].email: not an email address" in result.stderr


def test_db_upgrade_on_an_unreachable_database_says_so(tmp_path: Path) -> None:
    result = run(tmp_path, "db", "upgrade", DATABASE_URL="postgresql://postgres@127.0.0.1:1/copbot")
    assert result.returncode == 2
    assert "The database is unreachable" in result.stderr
    assert "Connection refused" in result.stderr


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    result = run(tmp_path, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert "Database is up to date" in result.stdout
    assert (tmp_path / "cli.sqlite3").exists()


def test_serve_on_an_unreachable_database_does_not_start(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        "serve",
        "--port",
        str(free_port()),
        DATABASE_URL="postgresql://postgres@127.0.0.1:1/copbot",
    )
    assert result.returncode == 2
    assert "the database is unreachable" in result.stderr


async def _wait_ready(url: str, process: subprocess.Popen[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            try:
                async with session.get(f"{url}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.2)
    raise AssertionError("the server did not come up")


def _start_server(tmp_path: Path, port: int, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [COPBOT, "serve", "--port", str(port)],
        env=_env(tmp_path, **env),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def test_serve_answers_health_and_readiness_and_stops_cleanly_on_sigterm(
    tmp_path: Path,
) -> None:
    port = free_port()
    process = _start_server(tmp_path, port)
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_ready(url, process)
        async with aiohttp.ClientSession() as session, session.get(f"{url}/readyz") as response:
            body = await response.json()
            assert response.status == 200
            assert body["checks"]["catalog"] == {"ok": True, "communities": 6}
            assert body["checks"]["database"]["ok"] is True
            assert any("channel_id is empty" in w for w in body["warnings"])
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        assert '"event": "app.stopped"' in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()


async def test_readyz_reports_a_database_that_went_away(
    tmp_path: Path, postgres_admin_url: str
) -> None:
    from tests.support import postgres

    db_url = await postgres.create_database(postgres_admin_url)
    port = free_port()
    process = _start_server(tmp_path, port, DATABASE_URL=db_url)
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_ready(url, process)
        await postgres.drop_database(postgres_admin_url, db_url)
        async with aiohttp.ClientSession() as session, session.get(f"{url}/readyz") as response:
            body = await response.json()
        assert response.status == 503
        assert body["status"] == "not ready"
        assert body["checks"]["database"]["ok"] is False
        assert "does not exist" in body["checks"]["database"]["reason"]
        async with aiohttp.ClientSession() as session, session.get(f"{url}/healthz") as response:
            assert response.status == 200  # alive, just not ready
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.parametrize("signum", [signal.SIGINT])
async def test_ctrl_c_stops_the_server_cleanly(tmp_path: Path, signum: int) -> None:
    port = free_port()
    process = _start_server(tmp_path, port)
    try:
        await _wait_ready(f"http://127.0.0.1:{port}", process)
        process.send_signal(signum)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()


def test_check_config_names_a_glossary_problem_and_its_place(tmp_path: Path) -> None:
    text = (ROOT / "catalog" / "communities.yaml").read_text(encoding="utf-8")
    path = tmp_path / "glossary.yaml"
    path.write_text(text.replace("    cops: [PSUP]", "").replace("cops: [LHS]", "cops: [SLUMS]", 1))
    result = run(tmp_path, "check-config", CATALOG_PATH=str(path))
    assert result.returncode == 1
    assert f"{path}:" in result.stdout
    assert (
        "glossary[" in result.stdout
        and ".cops[0]: no community has the id 'SLUMS'" in result.stdout
    )


def test_serve_refuses_to_run_unauthenticated_beyond_loopback(tmp_path: Path) -> None:
    result = run(tmp_path, "serve", "--host", "0.0.0.0", "--port", str(free_port()))
    assert result.returncode == 2
    assert "no MICROSOFT_APP_ID is set" in result.stderr
    assert "ALLOW_UNAUTHENTICATED=true" in result.stderr
    checked = run(tmp_path, "check-config", HOST="0.0.0.0")
    assert checked.returncode == 1 and "no MICROSOFT_APP_ID is set" in checked.stdout


async def test_allow_unauthenticated_serves_beyond_loopback_with_a_warning(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [COPBOT, "serve", "--host", "0.0.0.0", "--port", str(port)],
        env=_env(tmp_path, ALLOW_UNAUTHENTICATED="true"),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        await _wait_ready(f"http://127.0.0.1:{port}", process, timeout=60)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        logged = [
            json.loads(line) for line in process.stderr.read().splitlines() if line[:1] == "{"
        ]
        warning = [e for e in logged if e["event"] == "app.unauthenticated"]
        assert warning and warning[0]["level"] == "warning"
        assert "NOT authenticated" in warning[0]["warning"]
    finally:
        if process.poll() is None:
            process.kill()
