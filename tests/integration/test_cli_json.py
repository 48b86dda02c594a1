"""Every `--json` / `--jsonl` output of `copbot` is JSON alone on stdout, even with logs at INFO
(the database migration logs `db.upgraded`): logs go to stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

COPBOT = str(Path(sys.executable).parent / "copbot")


def cli_database_url(db_url: str) -> str:
    return db_url.replace("sqlite+aiosqlite:", "sqlite:")


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["requests", "--json"], None),
        (["report", "--json"], None),
        (["recommend", "--jsonl"], '{"q": "water and sanitation"}\n{"q": "GBV prevention"}\n'),
    ],
    ids=["requests", "report", "recommend"],
)
def test_json_output_is_json_alone_and_logs_go_to_stderr(
    tmp_path: Path, db_url: str, args: list[str], stdin: str | None
) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DATABASE_URL": cli_database_url(db_url),
        "LOG_LEVEL": "INFO",
    }
    done = subprocess.run(
        [COPBOT, *args],
        env=env,
        cwd=tmp_path,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    if args[-1] == "--jsonl":
        lines = done.stdout.splitlines()
        assert len(lines) == 2 and all(isinstance(json.loads(line), dict) for line in lines)
    else:
        assert isinstance(json.loads(done.stdout), dict)
    assert "db.upgraded" not in done.stdout
    if args[0] == "requests":  # it migrates the database and says so, on stderr
        assert "db.upgraded" in done.stderr
