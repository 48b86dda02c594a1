"""Dates and times as people read them, in English, French and Spanish (no Babel needed)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from copbot.i18n import Lang

_DAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}
_MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
}


def format_date(value: datetime, lang: Lang) -> str:
    """'Wednesday 16 December 2026' / 'mercredi 16 décembre 2026' / 'miércoles 16 de diciembre de 2026'."""
    day = _DAYS[lang][value.weekday()]
    month = _MONTHS[lang][value.month - 1]
    if lang == "es":
        return f"{day} {value.day} de {month} de {value.year}"
    if lang == "fr":
        return f"{day} {'1er' if value.day == 1 else value.day} {month} {value.year}"
    return f"{day} {value.day} {month} {value.year}"


def format_time(value: datetime, lang: Lang) -> str:
    """24-hour clock everywhere: UN-Habitat's staff are global."""
    return f"{value.hour:02d}:{value.minute:02d}"


def zone_label(value: datetime) -> str:
    """A short name for the zone at that instant: 'EAT', 'CEST', else 'UTC+03:00'."""
    name = value.tzname() or ""
    if name and name[0] not in "+-" and name != "UTC":
        return name
    offset = value.utcoffset()
    if offset is None or not offset:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def city_of(time_zone: str) -> str:
    """'Africa/Nairobi' -> 'Nairobi', 'America/Argentina/Buenos_Aires' -> 'Buenos Aires'."""
    return time_zone.rsplit("/", 1)[-1].replace("_", " ")


def local(value: datetime, time_zone: str) -> datetime:
    return value.astimezone(ZoneInfo(time_zone))


def when_local(starts_at: datetime, time_zone: str, lang: Lang) -> str:
    """'Wednesday 16 December 2026, 10:00 (Nairobi, EAT)'."""
    at = local(starts_at, time_zone)
    return (
        f"{format_date(at, lang)}, {format_time(at, lang)} ({city_of(time_zone)}, {zone_label(at)})"
    )


def when_utc(starts_at: datetime, lang: Lang) -> str:
    """'Wednesday 16 December 2026, 07:00 UTC'."""
    at = starts_at.astimezone(UTC)
    return f"{format_date(at, lang)}, {format_time(at, lang)} UTC"


def short_local(starts_at: datetime, time_zone: str, lang: Lang) -> str:
    """'16 December 2026, 10:00 EAT' (lists and fallbacks)."""
    at = local(starts_at, time_zone)
    month = _MONTHS[lang][at.month - 1]
    day = f"{at.day} de {month} de {at.year}" if lang == "es" else f"{at.day} {month} {at.year}"
    return f"{day}, {format_time(at, lang)} {zone_label(at)}"
