"""Dates and times as people read them, in English, French and Spanish, from CLDR (Babel).

A time in plain text always names its zone, by the zone's city in the reader's language:
"10:00 Nairobi time (07:00 UTC)", "10:00 heure de Nairobi (07:00 UTC)". Times are on the 24-hour
clock in every language (UN-Habitat's staff are global). On cards, `cards.elements.reader_time`
adds the time in the reader's own zone (Adaptive Cards DATE()/TIME()).
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import get_timezone, get_timezone_location

from copbot.i18n import Lang, t

# The CLDR locale of each language: British English writes "Wednesday, 16 December 2026".
_LOCALES: dict[Lang, str] = {"en": "en_GB", "fr": "fr", "es": "es"}


@functools.cache
def locale_of(lang: Lang) -> Locale:
    return Locale.parse(_LOCALES[lang])


def format_date(value: datetime, lang: Lang) -> str:
    """'Wednesday, 16 December 2026' / 'mercredi 16 décembre 2026' /
    'miércoles, 16 de diciembre de 2026'."""
    return _babel_date(value, "full", locale=locale_of(lang))


def format_short_date(value: datetime, lang: Lang) -> str:
    """'16 December 2026' / '16 décembre 2026' / '16 de diciembre de 2026'."""
    return _babel_date(value, "long", locale=locale_of(lang))


def format_time(value: datetime, lang: Lang) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def zone_label(value: datetime) -> str:
    """A short name for the zone at that instant: 'EAT', 'CEST', else 'UTC+03:00'."""
    name = value.tzname() or ""
    if name and name[0] not in "+-" and name != "UTC":
        return name
    return _offset(value)


def _offset(value: datetime) -> str:
    offset = value.utcoffset()
    if offset is None or not offset:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _is_utc(time_zone: str) -> bool:
    return time_zone in ("UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Etc/Zulu")


@functools.cache
def city_of(time_zone: str, lang: Lang = "en") -> str:
    """The zone's exemplar city in `lang` (CLDR): 'Nairobi', 'São Paulo' in French; '' for a
    zone without a city (UTC, Etc/GMT-3)."""
    if _is_utc(time_zone) or time_zone.startswith("Etc/"):
        return ""
    return str(
        get_timezone_location(get_timezone(time_zone), locale=locale_of(lang), return_city=True)
    )


def local(value: datetime, time_zone: str) -> datetime:
    return value.astimezone(ZoneInfo(time_zone))


def zoned_time(starts_at: datetime, time_zone: str, lang: Lang) -> str:
    """'10:00 Nairobi time' / '10:00 heure de Nairobi' / '10:00 hora de Nairobi'; '07:00 UTC'."""
    at = local(starts_at, time_zone)
    city = city_of(time_zone, lang)
    if not city:
        return f"{format_time(at, lang)} {_offset(at)}"
    return str(t(lang, "dates_city_time", time=format_time(at, lang), city=city))


def time_with_utc(starts_at: datetime, time_zone: str, lang: Lang) -> str:
    """'10:00 Nairobi time (07:00 UTC)'; '07:00 UTC' when the zone is UTC."""
    at = local(starts_at, time_zone)
    zoned = zoned_time(starts_at, time_zone, lang)
    if not at.utcoffset():
        return zoned if not city_of(time_zone, lang) else f"{zoned} (UTC)"
    return f"{zoned} ({format_time(starts_at.astimezone(UTC), lang)} UTC)"


def when_local(starts_at: datetime, time_zone: str, lang: Lang) -> str:
    """'Wednesday, 16 December 2026, 10:00 Nairobi time'."""
    at = local(starts_at, time_zone)
    return f"{format_date(at, lang)}, {zoned_time(starts_at, time_zone, lang)}"


def when_utc(starts_at: datetime, lang: Lang) -> str:
    """'Wednesday, 16 December 2026, 07:00 UTC'."""
    at = starts_at.astimezone(UTC)
    return f"{format_date(at, lang)}, {format_time(at, lang)} UTC"


def when_text(starts_at: datetime, time_zone: str, lang: Lang) -> str:
    """'Wednesday, 16 December 2026, 10:00 Nairobi time (07:00 UTC)': a time in plain text."""
    at = local(starts_at, time_zone)
    return f"{format_date(at, lang)}, {time_with_utc(starts_at, time_zone, lang)}"


def short_local(starts_at: datetime, time_zone: str, lang: Lang) -> str:
    """'16 December 2026, 10:00 Nairobi time' (lists and fallbacks)."""
    at = local(starts_at, time_zone)
    return f"{format_short_date(at, lang)}, {zoned_time(starts_at, time_zone, lang)}"
