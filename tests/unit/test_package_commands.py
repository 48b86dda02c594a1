"""Every command the Teams package offers in its menus is one the bot understands, in each language.

Teams puts a command's title in the message box when it is picked; the bot must route that text to
a feature (not to "I did not understand").
"""

from __future__ import annotations

import json

import pytest

from bot.features import build_router
from copbot.i18n import fold
from copbot.package import MANIFEST_DIR

TEMPLATE = json.loads((MANIFEST_DIR / "manifest.template.json").read_text(encoding="utf-8"))


def titles() -> list[tuple[str, str, str]]:
    """(language, JSON path, title) of every command in the manifest and its translations."""
    found = []
    for i, lst in enumerate(TEMPLATE["bots"][0]["commandLists"]):
        for j, command in enumerate(lst["commands"]):
            found.append(("en", f"bots[0].commandLists[{i}].commands[{j}].title", command["title"]))
    for info in TEMPLATE["localizationInfo"]["additionalLanguages"]:
        strings = json.loads((MANIFEST_DIR / info["file"]).read_text(encoding="utf-8"))
        found += [(info["languageTag"], k, v) for k, v in strings.items() if k.endswith(".title")]
    return found


ROUTER = build_router()


@pytest.mark.parametrize(("lang", "path", "title"), titles())
def test_a_menu_command_reaches_a_feature(lang: str, path: str, title: str) -> None:
    found = ROUTER.match(fold(title))
    assert found is not None, f"{lang} {path}: the bot does not understand {title!r}"


def test_each_scope_offers_help() -> None:
    for lst in TEMPLATE["bots"][0]["commandLists"]:
        assert "help" in [c["title"] for c in lst["commands"]], lst["scopes"]
