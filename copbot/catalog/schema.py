"""What a catalog file holds: communities, their focal points, practice areas, meeting cadence and
events, and the glossary, as strict pydantic models (every field checked on load)."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterator, Mapping
from datetime import time

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from copbot import formats
from copbot.i18n import DEFAULT_LANG, LANGS, Lang, pick

GUID_RE = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
ID_RE = re.compile(r"^[A-Z][A-Z0-9_-]{1,15}$")
SERIES_KEY_RE = re.compile(r"^[a-z][a-z0-9-]{1,23}$")
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
    language: Lang | None = None  # what the bot writes to them before Teams told it their locale

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
    format: str | None = None  # an event format (copbot.formats); None: the series' format

    @field_validator("format")
    @classmethod
    def _format(cls, v: str | None) -> str | None:
        return None if v is None else formats.check(v)

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
    format: str | None = None  # an event format (copbot.formats); None: the series' format

    @field_validator("format")
    @classmethod
    def _format(cls, v: str | None) -> str | None:
        return None if v is None else formats.check(v)

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


def _zone(v: str) -> str:
    try:
        zoneinfo.ZoneInfo(v)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown IANA time zone {v!r} (like Africa/Nairobi)") from exc
    return v


class MeetingSeries(_Strict):
    """A community's own series of meetings besides its CoP-wide one (a practice area's).

    Empty `time_zone`, `channel_id` and `team_id` are the community's; its focal points manage it
    with the community's. The CoP-wide series is the community's own fields (key "")."""

    key: str  # lower case, in occurrence ids and `--series`: "finance"
    title: LocalizedText  # "LHS Finance": names the series in posts and the calendar
    aliases: LocalizedList = Field(default_factory=LocalizedList)  # other words for it in chat
    format: str = formats.MEETING
    meetings: list[Cadence] = Field(default_factory=list)
    events: list[OneOffEvent] = Field(default_factory=list)
    time_zone: str = ""
    team_id: str = ""
    channel_id: str = ""
    focal_points: list[FocalPoint] = Field(default_factory=list)

    @field_validator("key")
    @classmethod
    def _key(cls, v: str) -> str:
        if not SERIES_KEY_RE.match(v) or v == "event":
            raise ValueError(
                f"a series key is 2-24 lower-case letters, digits or '-', like finance; got {v!r}"
            )
        return v

    @field_validator("format")
    @classmethod
    def _format(cls, v: str) -> str:
        return formats.check(v)

    @field_validator("time_zone")
    @classmethod
    def _tz(cls, v: str) -> str:
        return _zone(v) if v else v


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
    format: str = formats.MEETING  # the format of the CoP-wide meetings (copbot.formats)
    series: list[MeetingSeries] = Field(default_factory=list)  # practice areas' own meetings
    # The language of people of this CoP whose locale the bot has not seen yet (none: the org's).
    language: Lang | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not ID_RE.match(v):
            raise ValueError(f"an id is 2-16 capitals, digits, '-' or '_', like UBS; got {v!r}")
        return v

    @field_validator("time_zone")
    @classmethod
    def _tz(cls, v: str) -> str:
        return _zone(v)

    @field_validator("format")
    @classmethod
    def _format(cls, v: str) -> str:
        return formats.check(v)

    @model_validator(mode="after")
    def _series_once(self) -> Community:
        keys = [s.key for s in self.series]
        for key in keys:
            if keys.count(key) > 1:
                raise ValueError(f"two series have the key {key!r}: give each its own")
        return self

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

    def series_of(self, key: str) -> MeetingSeries | None:
        """A practice area's series by key; None for the CoP-wide one ("") or an unknown key."""
        return next((s for s in self.series if s.key == key), None) if key else None

    def series_zone(self, key: str) -> str:
        found = self.series_of(key)
        return (found.time_zone if found else "") or self.time_zone

    def series_channel(self, key: str) -> tuple[str, str]:
        """(team id, channel id) where the series' posts go: its own, else the community's."""
        found = self.series_of(key)
        if found and found.channel_id:
            return found.team_id or self.team_id, found.channel_id
        return self.team_id, self.channel_id

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


class CatalogFile(_Strict):
    version: int = 1
    language: Lang = DEFAULT_LANG  # the organisation's default language
    communities: list[Community] = Field(min_length=1)
    glossary: list[GlossaryEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> CatalogFile:
        seen: set[str] = set()
        for c in self.communities:
            if c.id in seen:
                raise ValueError(f"community id {c.id} is used twice")
            seen.add(c.id)
        return self


def localized(text: LocalizedText | Mapping[str, str], lang: Lang) -> str:
    return text.get(lang) if isinstance(text, LocalizedText) else pick(text, lang)
