"""`copbot package` as an admin runs it: settings from the environment, a zip or a list of problems."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

COPBOT = str(Path(sys.executable).parent / "copbot")
APP_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"


def copbot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COPBOT, "package", *args],
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), **env},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_package_fills_ids_and_domain_from_settings(tmp_path: Path) -> None:
    result = copbot(
        tmp_path,
        "--out",
        "build/copbot.zip",
        "--version",
        "2.0.1",
        MICROSOFT_APP_ID=APP_ID.upper(),
        PUBLIC_BASE_URL="https://cop-bot.unhabitat.example/",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Wrote build/copbot.zip" in result.stdout
    with zipfile.ZipFile(tmp_path / "build" / "copbot.zip") as archive:
        assert sorted(archive.namelist()) == sorted(
            ["manifest.json", "color.png", "outline.png", "fr.json", "es.json"]
        )
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["bots"][0]["botId"] == APP_ID
    assert manifest["validDomains"] == ["cop-bot.unhabitat.example"]
    assert manifest["version"] == "2.0.1"


def test_app_id_option_overrides_the_setting(tmp_path: Path) -> None:
    other = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"
    result = copbot(
        tmp_path,
        "--app-id",
        other,
        MICROSOFT_APP_ID=APP_ID,
        PUBLIC_BASE_URL="https://bot.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(tmp_path / "build" / "copbot.zip") as archive:
        assert json.loads(archive.read("manifest.json"))["id"] == other


def test_a_bad_package_prints_each_problem_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "build" / "copbot.zip"
    out.parent.mkdir()
    out.write_bytes(b"the previous package")
    result = copbot(
        tmp_path,
        "--out",
        str(out),
        MICROSOFT_APP_ID="not-a-guid",
        PUBLIC_BASE_URL="https://bot.example.org",
    )
    assert result.returncode == 1
    assert "error: manifest.json: $.bots[0].botId: not a GUID: 'not-a-guid'" in result.stdout
    assert re.search(rf"\d+ problems? found: {re.escape(str(out))} was not written", result.stderr)
    assert out.read_bytes() == b"the previous package"
    assert sorted(p.name for p in out.parent.iterdir()) == ["copbot.zip"]
