"""The Bot Framework SDK releases our SDK patches were written and tested against.

bot/sdk_patches.py, bot/fast_serializer.py, bot/connector_http.py and bot/authentication.py use
names the SDK does not promise to keep (msrest's retry policy and request body, the connector
client's serializer, the authentication factory's private attributes). Another release may rename
them without a word, and a patch would then fail in the middle of a turn or, worse, do nothing.
Each of those modules calls `require` when it is imported, so a different release fails at start
with what to do instead. Bump a version here only together with its pin in pyproject.toml, after
reading the patch against the new release (tests/unit/test_sdk_versions.py keeps the two equal).
"""

from __future__ import annotations

from importlib import metadata

TESTED = {
    "msrest": "0.7.1",
    "botframework-connector": "4.17.1",
    "botbuilder-core": "4.17.1",
    "botbuilder-schema": "4.17.1",
    "botbuilder-integration-aiohttp": "4.17.1",
}


class SdkVersionMismatch(ImportError):
    """An SDK package is installed in a release the patches were not written for."""


def require(module: str, *packages: str) -> None:
    """Raise `SdkVersionMismatch` unless each of ``packages`` is installed in its tested release."""
    for package in packages:
        expected = TESTED[package]
        try:
            installed = metadata.version(package)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != expected:
            found = f"{package} {installed} is installed" if installed else f"{package} is missing"
            raise SdkVersionMismatch(
                f"{module} was written for {package} {expected}, but {found}. It uses names of {package} that are not public API: install the "
                f"locked versions (`make install`), or check {module} against {package} "
                f"{installed} and update bot/sdk_versions.py and pyproject.toml together."
            )
