"""Runs Microsoft's validators (npm, in ``tools/validators``) from the tests.

``make test`` installs them with ``npm ci --prefix tools/validators``. Without them a test that
needs them is skipped with the command to run, except under CI=true, where it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
VALIDATORS = ROOT / "tools" / "validators"
NODE_MODULES = VALIDATORS / "node_modules"
INSTALL = "npm ci --prefix tools/validators"


def require_validators() -> str:
    """The node binary, once the validators are installed; skips (fails in CI) otherwise."""
    node = shutil.which("node")
    missing = None
    if node is None:
        missing = "Node.js is not installed"
    elif (
        not (NODE_MODULES / "adaptivecards").is_dir()
        or not (NODE_MODULES / "@microsoft" / "app-manifest").is_dir()
    ):
        missing = f"the npm validators are not installed: run `{INSTALL}`"
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true needs the validators: {missing}")
        pytest.skip(missing)
    assert node is not None
    return node


def run_node(script: str, payload: Any, *args: str, timeout: float = 120) -> tuple[int, Any]:
    """Run ``tools/validators/<script>`` with ``payload`` (JSON) on stdin; (exit code, JSON out)."""
    node = require_validators()
    result = subprocess.run(
        [node, str(VALIDATORS / script), *args],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode not in {0, 1}:
        raise AssertionError(f"{script} failed ({result.returncode}): {result.stderr}")
    return result.returncode, json.loads(result.stdout)
