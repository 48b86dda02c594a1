"""The SDK patches refuse to load on an SDK release they were not written for, naming the package,
the installed and the expected versions; the tested versions are the ones pyproject.toml pins."""

from __future__ import annotations

import importlib
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from bot.sdk_versions import TESTED, SdkVersionMismatch

ROOT = Path(__file__).resolve().parents[2]
PATCHED = ["bot.sdk_patches", "bot.fast_serializer", "bot.connector_http", "bot.authentication"]


def test_the_installed_sdk_is_the_tested_one_and_pyproject_pins_it() -> None:
    pins = {}
    for requirement in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "dependencies"
    ]:
        name, _, version = requirement.partition("==")
        pins[re.sub(r"\[.*\]", "", name).lower()] = version
    for package, version in TESTED.items():
        assert pins[package] == version, f"pyproject.toml pins {package} {pins[package]}"
        assert metadata.version(package) == version


@pytest.mark.parametrize("module", PATCHED)
def test_a_different_sdk_release_fails_the_import_with_what_to_do(
    module: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_version = metadata.version

    def newer_msrest_and_connector(package: str) -> str:
        if package in {"msrest", "botframework-connector"}:
            return {"msrest": "0.8.0", "botframework-connector": "4.18.0"}[package]
        return real_version(package)

    monkeypatch.setattr(metadata, "version", newer_msrest_and_connector)
    for name in PATCHED:  # imported afresh; the modules already loaded come back afterwards
        monkeypatch.delitem(sys.modules, name, raising=False)

    with pytest.raises(SdkVersionMismatch) as raised:
        importlib.import_module(module)

    message = str(raised.value)
    assert re.search(r"(msrest 0\.8\.0|botframework-connector 4\.18\.0) is installed", message)
    assert "was written for msrest 0.7.1" in message or (
        "was written for botframework-connector 4.17.1" in message
    )
    assert "make install" in message


def test_a_missing_package_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.sdk_versions import require

    def missing(package: str) -> str:
        raise metadata.PackageNotFoundError(package)

    monkeypatch.setattr(metadata, "version", missing)
    with pytest.raises(
        SdkVersionMismatch, match=r"written for msrest 0\.7\.1, but msrest is missing"
    ):
        require("bot.sdk_patches", "msrest")
