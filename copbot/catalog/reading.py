"""Reading a catalog file: YAML (plus an optional overlay) to a `Catalog`, or a `CatalogError`
listing every problem with its file:line; `check_catalog` for the checks that depend on how the
bot runs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from copbot.catalog.communities import Catalog
from copbot.catalog.schema import CatalogFile
from copbot.i18n import LANGS, fold


@dataclass(frozen=True)
class Problem:
    where: str
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message}"


class CatalogError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _line_index(
    node: yaml.Node, path: tuple[Any, ...] = ()
) -> Iterator[tuple[tuple[Any, ...], int]]:
    yield path, node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            yield from _line_index(value_node, (*path, key_node.value))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _line_index(item, (*path, i))


def _describe(loc: tuple[Any, ...], data: Any) -> str:
    parts: list[str] = []
    cursor = data
    for i, part in enumerate(loc):
        if isinstance(part, int):
            label = f"[{part}]"
            try:
                cursor = cursor[part]
                if i == 1 and isinstance(cursor, dict):
                    if loc[0] == "communities" and "id" in cursor:
                        label += f" ({cursor['id']})"
                    elif loc[0] == "glossary":
                        label += _glossary_label(cursor)
            except (IndexError, KeyError, TypeError):
                cursor = None
            parts.append(label)
        else:
            try:
                cursor = cursor[part] if isinstance(cursor, dict) else None
            except (KeyError, TypeError):
                cursor = None
            parts.append(("." if parts else "") + str(part))
    return "".join(parts) or "(top)"


def _glossary_label(entry: Mapping[str, Any]) -> str:
    abbreviations = entry.get("abbreviations")
    if isinstance(abbreviations, dict):
        for lang in LANGS:
            names = abbreviations.get(lang)
            if isinstance(names, list) and names and isinstance(names[0], str):
                return f" ({names[0]})"
    return ""


def _glossary_problems(parsed: CatalogFile) -> list[tuple[tuple[Any, ...], str]]:
    """Cross-checks of the glossary against the communities: (place in the file, message)."""
    ids = {c.id for c in parsed.communities}
    problems: list[tuple[tuple[Any, ...], str]] = []
    community_ids = {c.id.casefold() for c in parsed.communities}
    claimed: list[tuple[int, str, bool]] = []  # (entry, abbreviation, match_case)
    reported: set[tuple[int, int, str]] = set()
    for i, entry in enumerate(parsed.glossary):
        for j, cop in enumerate(entry.cops):
            if cop not in ids:
                problems.append(
                    (
                        ("glossary", i, "cops", j),
                        f"no community has the id {cop!r} (known: {', '.join(sorted(ids))})",
                    )
                )
        for lang in LANGS:
            for j, abbreviation in enumerate(entry.abbreviations.get(lang)):
                where = ("glossary", i, "abbreviations", lang, j)
                if abbreviation.casefold() in community_ids and not entry.match_case:
                    problems.append(
                        (
                            where,
                            f"{abbreviation} is a community's id: communities' abbreviations are "
                            "in the glossary already (from their names)",
                        )
                    )
                    continue
                clash = next(
                    (
                        other
                        for other, name, case in claimed
                        if other != i
                        and (
                            name == abbreviation
                            if case and entry.match_case
                            else fold(name) == fold(abbreviation)
                        )
                    ),
                    None,
                )
                if clash is not None and (i, clash, fold(abbreviation)) not in reported:
                    reported.add((i, clash, fold(abbreviation)))
                    problems.append(
                        (
                            where,
                            f"{abbreviation} is also defined in glossary[{clash}]: an abbreviation "
                            "has one entry (list all the communities it points to in its cops)",
                        )
                    )
                claimed.append((i, abbreviation, entry.match_case))
    return problems


def _merge_overlay(data: dict[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """Overlay entries replace fields of the community with the same id (local demo settings)."""
    patches = overlay.get("communities", {}) or {}
    for community in data.get("communities", []) or []:
        patch = patches.get(community.get("id")) if isinstance(community, dict) else None
        if patch:
            community.update(patch)
    return data


def parse_catalog(text: str, source: str = "<catalog>", overlay_text: str | None = None) -> Catalog:
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        raise CatalogError(
            [Problem(where, f"not valid YAML: {getattr(exc, 'problem', exc)}")]
        ) from exc
    if not isinstance(data, dict):
        raise CatalogError([Problem(source, "the catalog must be a mapping with 'communities:'")])
    if overlay_text:
        overlay = yaml.safe_load(overlay_text) or {}
        data = _merge_overlay(data, overlay)
    lines = dict(_line_index(root)) if root is not None else {}
    try:
        parsed = CatalogFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            where = _where(lines, loc, source)
            message = err["msg"].removeprefix("Value error, ")
            problems.append(Problem(f"{where}: {_describe(loc, data)}", message))
        raise CatalogError(problems) from exc
    cross = _glossary_problems(parsed)
    if cross:
        raise CatalogError(
            [
                Problem(f"{_where(lines, loc, source)}: {_describe(loc, data)}", message)
                for loc, message in cross
            ]
        )
    return Catalog.of(parsed.communities, source, parsed.glossary, parsed.language)


def _where(lines: Mapping[tuple[Any, ...], int], loc: tuple[Any, ...], source: str) -> str:
    line = next((lines[loc[:n]] for n in range(len(loc), -1, -1) if loc[:n] in lines), None)
    return f"{source}:{line}" if line else source


def load_catalog(path: Path, overlay: Path | None = None) -> Catalog:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(
            [Problem(str(path), f"cannot read the catalog: {exc.strerror}")]
        ) from exc
    overlay_text = None
    if overlay is not None:
        try:
            overlay_text = overlay.read_text(encoding="utf-8")
        except OSError as exc:
            raise CatalogError(
                [Problem(str(overlay), f"cannot read the overlay: {exc.strerror}")]
            ) from exc
    return parse_catalog(text, str(path), overlay_text)


def check_catalog(catalog: Catalog, *, graph_mode: bool) -> list[Problem]:
    """Checks that depend on how the bot runs. Errors stop the server; warnings are reported."""
    problems: list[Problem] = []
    for c in catalog:
        where = f"{catalog.source}: {c.id}"
        if graph_mode and not c.graph_group_id:
            problems.append(Problem(where, "graph_group_id is empty: joins cannot be carried out"))
        if not c.focal_point_ids():
            problems.append(
                Problem(
                    where,
                    "no focal point has an aad_object_id: approval cards cannot be delivered",
                    "error" if graph_mode else "warning",
                )
            )
        if not c.channel_id:
            problems.append(
                Problem(
                    where,
                    "channel_id is empty: meeting announcements have nowhere to go",
                    "warning",
                )
            )
    return problems
