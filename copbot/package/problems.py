"""A problem in the Teams app package: which file, where in it (a JSON path), what is wrong."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True, order=True)
class PackageProblem:
    file: str  # "manifest.json", "fr.json", "outline.png"
    path: str  # JSON path into the file: "$.bots[0].commandLists[1].commands[3].title"
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}"


def json_path(parts: Iterable[str | int]) -> str:
    """``["bots", 0, "botId"]`` -> ``$.bots[0].botId``; odd keys are quoted: ``$["name.short"]``."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.match(part):
            out += f".{part}"
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            out += f'["{escaped}"]'
    return out
