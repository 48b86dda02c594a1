"""The catalog of Communities of Practice: a YAML file admins edit, validated on load.

`load_catalog(path)` returns a `Catalog` or raises `CatalogError` listing every problem with its
place (``file:line: communities[3] (UBS).focal_points[0].email: ...``, ``file:line:
glossary[4] (NDC).cops[0]: ...``). Besides the communities, the catalog has a glossary: the
abbreviations staff write (WASH, VBG, CDN...), what they stand for in en/fr/es and the communities
they point to (read by `copbot.glossary`). `check_catalog` adds the
checks that depend on how the bot runs (Graph group ids in graph mode, channels for meeting posts)
as warnings or errors.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from copbot.i18n import LANGS, Lang, fold, pick

GUID_RE = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
ID_RE = re.compile(r"^[A-Z][A-Z0-9_-]{1,15}$")
# An abbreviation: a letter, then letters, digits, '+', '.', '-' or single spaces ("SDG 11", "LGBTIQ+").
ABBREVIATION_RE = re.compile(r"^[^\W\d_](?:[^\W_]|[+.&-]| (?! ))*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalizedText(_Strict):
    en: str = Field(min_length=1)
    fr: str = Field(min_length=1)
    es: str = Field(min_length=1)

    def get(self, lang: Lang) -> str:
        return getattr(self, lang)

    def as_dict(self) -> dict[str, str]:
        return {"en": self.en, "fr": self.fr, "es": self.es}


class LocalizedList(_Strict):
    en: list[str] = Field(default_factory=list)
    fr: list[str] = Field(default_factory=list)
    es: list[str] = Field(default_factory=list)

    def get(self, lang: Lang) -> list[str]:
        return getattr(self, lang)

    def all(self) -> Iterator[tuple[Lang, str]]:
        for lang in LANGS:
            for item in self.get(lang):
                yield lang, item


class FocalPoint(_Strict):
    name: str = Field(min_length=1)
    email: str
    aad_object_id: str = ""
    unit: str = ""

    @field_validator("email")
    @classmethod
    def _email(cls, v: str) -> str:
        if not EMAIL_RE.match(v):
            raise ValueError(f"not an email address: {v!r}")
        return v

    @field_validator("aad_object_id")
    @classmethod
    def _guid(cls, v: str) -> str:
        if v and not GUID_RE.match(v):
            raise ValueError(f"an Entra object id is a GUID, got {v!r}")
        return v.lower()


class PracticeArea(_Strict):
    id: str = Field(min_length=1)
    name: LocalizedText
    keywords: LocalizedList = Field(default_factory=LocalizedList)


class Cadence(_Strict):
    """A recurrence in the CoP's own time zone, as an iCalendar RRULE (RFC 5545)."""

    rrule: str = "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU"
    start_date: str = "2026-01-01"  # the first month the rule counts from (ISO date)
    time: str = "10:00"  # local start time
    duration_minutes: int = Field(60, ge=5, le=600)
    title: LocalizedText | None = None
    # A theme or agenda for some occurrences, keyed by the occurrence's local date (YYYY-MM-DD).
    themes: dict[str, str] = Field(default_factory=dict)

    @field_validator("themes")
    @classmethod
    def _theme_dates(cls, v: dict[str, str]) -> dict[str, str]:
        from datetime import date

        for key in v:
            try:
                date.fromisoformat(str(key))
            except ValueError as exc:
                raise ValueError(
                    f"themes are keyed by the meeting's date (YYYY-MM-DD), got {key!r}"
                ) from exc
        return {str(k): str(t) for k, t in v.items()}

    @field_validator("rrule")
    @classmethod
    def _rrule(cls, v: str) -> str:
        from dateutil.rrule import rrulestr

        try:
            rrulestr(v, dtstart=None, ignoretz=True)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"not a valid iCalendar RRULE ({exc}): {v!r}") from exc
        return v

    @field_validator("time")
    @classmethod
    def _time(cls, v: str) -> str:
        try:
            time.fromisoformat(v)
        except ValueError as exc:
            raise ValueError(f"a time is HH:MM, got {v!r}") from exc
        return v

    @field_validator("start_date")
    @classmethod
    def _date(cls, v: str) -> str:
        from datetime import date

        try:
            date.fromisoformat(v)
        except ValueError as exc:
            raise ValueError(f"a date is YYYY-MM-DD, got {v!r}") from exc
        return v


class OneOffEvent(_Strict):
    """A single event of the CoP (a webinar, a training) in its time zone, besides the cadence."""

    title: LocalizedText | str
    start: str  # local start "YYYY-MM-DD HH:MM"
    duration_minutes: int = Field(60, ge=5, le=600)
    theme: str = ""

    @field_validator("title")
    @classmethod
    def _title(cls, v: LocalizedText | str) -> LocalizedText | str:
        if isinstance(v, str) and not v.strip():
            raise ValueError("an event needs a title")
        return v

    @field_validator("start")
    @classmethod
    def _start(cls, v: str) -> str:
        from datetime import datetime

        try:
            parsed = datetime.fromisoformat(v.strip().replace(" ", "T", 1))
        except ValueError as exc:
            raise ValueError(
                f"an event start is 'YYYY-MM-DD HH:MM' (local time), got {v!r}"
            ) from exc
        if parsed.tzinfo is not None:
            raise ValueError(
                f"an event start is local to the CoP's time_zone, without offset: {v!r}"
            )
        return parsed.strftime("%Y-%m-%d %H:%M")

    def title_in(self, lang: Lang) -> str:
        return self.title if isinstance(self.title, str) else self.title.get(lang)


class Community(_Strict):
    id: str
    name: LocalizedText  # full name with the abbreviation spelled out: "Urban Basic Services (UBS)"
    short_name: LocalizedText | None = None
    lead: LocalizedText  # one sentence
    description: LocalizedText
    cross_cutting: bool = False
    practice_areas: list[PracticeArea] = Field(default_factory=list)
    topics: LocalizedList = Field(default_factory=LocalizedList)
    aliases: LocalizedList = Field(default_factory=LocalizedList)
    focal_points: list[FocalPoint] = Field(min_length=1)
    focal_points_channel_id: str = ""
    graph_group_id: str = ""
    team_id: str = ""
    channel_id: str = ""
    team_url: str = ""
    time_zone: str = "Africa/Nairobi"
    meetings: list[Cadence] = Field(default_factory=lambda: [Cadence()])
    events: list[OneOffEvent] = Field(default_factory=list)  # one-off webinars, trainings...
    channel_language: Lang = "en"  # the language of the bot's posts in the CoP's channel

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not ID_RE.match(v):
            raise ValueError(f"an id is 2-16 capitals, digits, '-' or '_', like UBS; got {v!r}")
        return v

    @field_validator("time_zone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            zoneinfo.ZoneInfo(v)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {v!r}") from exc
        return v

    @field_validator("graph_group_id")
    @classmethod
    def _group(cls, v: str) -> str:
        if v and not GUID_RE.match(v):
            raise ValueError(f"a Graph group id is a GUID, got {v!r}")
        return v.lower()

    @model_validator(mode="after")
    def _abbreviation_spelled_out(self) -> Community:
        for lang in LANGS:
            if f"({self.id})" not in self.name.get(lang):
                raise ValueError(
                    f"name.{lang} must spell the abbreviation out, like 'Full Name ({self.id})'"
                )
        return self

    @model_validator(mode="after")
    def _events_once(self) -> Community:
        starts = [e.start for e in self.events]
        for start in starts:
            if starts.count(start) > 1:
                raise ValueError(f"two events start at {start}: give each its own time")
        return self

    # -- reading helpers --------------------------------------------------------------------
    def display_name(self, lang: Lang) -> str:
        return self.name.get(lang)

    def focal_point_ids(self) -> list[str]:
        return [fp.aad_object_id for fp in self.focal_points if fp.aad_object_id]

    @property
    def group_key(self) -> str:
        """The directory group: the Graph group id, or ``local:<id>`` when none is set."""
        return self.graph_group_id or f"local:{self.id}"


class GlossaryEntry(_Strict):
    """An abbreviation staff write, what it stands for, and the communities it points to.

    `abbreviations` per language ("GBV" in English, "VBG" in French and Spanish); `meaning` is
    what it stands for, in each language; `cops` the communities it is evidence for (none for a
    general term such as "CoP"). `match_case`: recognised only as written ("COP", the climate
    conference, is not "CoP"). `after`: recognised in a question only right after one of these
    words ("the next COP") or right before a number ("COP30"); asked about ("what does COP
    mean?"), it is always answered.
    """

    abbreviations: LocalizedList
    meaning: LocalizedText
    cops: list[str] = Field(default_factory=list)
    note: LocalizedText | None = None
    match_case: bool = False
    after: LocalizedList | None = None

    @field_validator("abbreviations")
    @classmethod
    def _abbreviations(cls, v: LocalizedList) -> LocalizedList:
        if not any(v.get(lang) for lang in LANGS):
            raise ValueError("give at least one abbreviation (en, fr or es)")
        for lang, abbreviation in v.all():
            if not ABBREVIATION_RE.match(abbreviation) or len(abbreviation) > 24:
                raise ValueError(
                    f"{lang}: {abbreviation!r} is not an abbreviation (letters, digits, '+', '.', "
                    "'-' and single spaces, at most 24 characters, starting with a letter)"
                )
        return v

    @property
    def label(self) -> str:
        """The abbreviation to name the entry by: the first English one, else any."""
        return next(abbreviation for _, abbreviation in self.abbreviations.all())

    def abbreviation(self, lang: Lang) -> str:
        """The abbreviation in `lang` (the English one when `lang` has none)."""
        own = self.abbreviations.get(lang)
        return own[0] if own else self.label


class _CatalogFile(_Strict):
    version: int = 1
    communities: list[Community] = Field(min_length=1)
    glossary: list[GlossaryEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> _CatalogFile:
        seen: set[str] = set()
        for c in self.communities:
            if c.id in seen:
                raise ValueError(f"community id {c.id} is used twice")
            seen.add(c.id)
        return self


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


@dataclass(frozen=True)
class Catalog:
    communities: tuple[Community, ...]
    source: str = ""
    _by_id: Mapping[str, Community] = field(default_factory=dict, repr=False)
    glossary: tuple[GlossaryEntry, ...] = ()

    @classmethod
    def of(
        cls,
        communities: Iterable[Community],
        source: str = "",
        glossary: Iterable[GlossaryEntry] = (),
    ) -> Catalog:
        items = tuple(communities)
        return cls(items, source, {c.id: c for c in items}, tuple(glossary))

    def __iter__(self) -> Iterator[Community]:
        return iter(self.communities)

    def __len__(self) -> int:
        return len(self.communities)

    def get(self, cop_id: str) -> Community | None:
        return self._by_id.get(cop_id.upper())

    def ids(self) -> list[str]:
        return [c.id for c in self.communities]

    def cross_cutting(self) -> list[Community]:
        return [c for c in self.communities if c.cross_cutting]

    def focal_point_of(self, aad_object_id: str) -> list[Community]:
        key = aad_object_id.lower()
        return [c for c in self.communities if key in c.focal_point_ids()]

    @functools.cached_property
    def _name_patterns(self) -> list[tuple[int, re.Pattern[str], Community]]:
        """Every name, short name and alias, folded, longest first (built once per catalog)."""
        patterns = []
        for c in self.communities:
            names = [c.name.get(lang) for lang in LANGS]
            if c.short_name:
                names += [c.short_name.get(lang) for lang in LANGS]
            names += [alias for _, alias in c.aliases.all()]
            for name in names:
                candidate = fold(re.sub(r"\s*\([^)]*\)", "", name)).strip()
                if candidate:
                    pattern = re.compile(rf"(?<![a-z0-9]){re.escape(candidate)}(?![a-z0-9])")
                    patterns.append((len(candidate), pattern, c))
        return sorted(patterns, key=lambda p: -p[0])

    @functools.cached_property
    def _exact_names(self) -> dict[str, Community]:
        names: dict[str, Community] = {}
        for c in self.communities:
            spelled = [c.id, *(c.name.get(lang) for lang in LANGS)]
            if c.short_name:
                spelled += [c.short_name.get(lang) for lang in LANGS]
            spelled += [alias for _, alias in c.aliases.all()]
            for name in spelled:
                names.setdefault(fold(name).strip(), c)
        return names

    def by_exact_name(self, text: str) -> Community | None:
        """The community whose id, name or alias is the whole of `text` ("UBS", "climat")."""
        return self._exact_names.get(fold(text).strip(" .!?"))

    def resolve(self, text: str) -> Community | None:
        """The community a person names: by id ("UBS"), or by name / alias in any language.

        The longest name found wins ("Climate Change" over "climate")."""
        words = fold(text)
        tokens = set(re.findall(r"[a-z0-9]+", words))
        for c in self.communities:
            if c.id.lower() in tokens:
                return c
        return next((c for _, pattern, c in self._name_patterns if pattern.search(words)), None)

    def localized_name(self, cop_id: str, lang: Lang) -> str:
        c = self.get(cop_id)
        return c.display_name(lang) if c else cop_id


# -- loading ------------------------------------------------------------------------------------


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


def _glossary_problems(parsed: _CatalogFile) -> list[tuple[tuple[Any, ...], str]]:
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
        parsed = _CatalogFile.model_validate(data)
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
    return Catalog.of(parsed.communities, source, parsed.glossary)


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


def localized(text: LocalizedText | Mapping[str, str], lang: Lang) -> str:
    return text.get(lang) if isinstance(text, LocalizedText) else pick(text, lang)
