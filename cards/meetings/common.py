"""What every meetings card shares: the verbs of its buttons, the title and time facts of an
occurrence, its status line, links to the calendar feeds."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from cards.elements import escape, text
from copbot.formats import MEETING
from copbot.i18n import Lang, t
from copbot.meetings.dates import short_local, when_local, when_utc
from copbot.meetings.occurrences import MOVED, SKIPPED, Occurrence

ASK, ANSWERED, SKIP, RESTORE = (
    "meetings_ask",
    "meetings_answered",
    "meetings_skip",
    "meetings_restore",
)


def title(occ: Occurrence, lang: Lang) -> str:
    """The occurrence's title as a card shows it (escaped when a person typed it)."""
    words = occ.title_in(lang)
    return escape(words) if occ.typed_title else words


def error_line(message: str) -> dict[str, Any]:
    return text(message, weight="Bolder", color="Attention")


def feed_url(base_url: str, cop_id: str | None = None, occurrence_id: str | None = None) -> str:
    path = f"{base_url}/calendar/{cop_id or 'all'}.ics"
    return f"{path}?occurrence={quote(occurrence_id, safe='')}" if occurrence_id else path


def when_line(occ: Occurrence, lang: Lang) -> str:
    """'Wednesday 16 December 2026, 10:00 (Nairobi) · 07:00 UTC'."""
    return f"{when_local(occ.starts_at, occ.time_zone, lang)} · {when_utc(occ.starts_at, lang)}"


def kind_facts(occ: Occurrence, lang: Lang) -> list[tuple[str, str]]:
    """Its practice area's series (when it has one) and its format ("Workshop")."""
    pairs = [(t(lang, "meetings_label_series"), escape(occ.series_in(lang)))] if occ.series else []
    return [*pairs, (t(lang, "meetings_label_format"), occ.format_in(lang))]


def kind_line(occ: Occurrence, lang: Lang) -> dict[str, Any] | None:
    """ "LHS Finance · Workshop" under an occurrence in a list (nothing for a CoP-wide meeting)."""
    if not occ.series and occ.format == MEETING:
        return None
    parts = [escape(occ.series_in(lang))] if occ.series else []
    return text(" · ".join([*parts, occ.format_in(lang)]), subtle=True, spacing="Small")


def when_facts(occ: Occurrence, lang: Lang) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = [
        (t(lang, "meetings_label_when"), when_local(occ.starts_at, occ.time_zone, lang)),
        (t(lang, "meetings_label_utc"), when_utc(occ.starts_at, lang)),
        (
            t(lang, "meetings_label_duration"),
            t(lang, "meetings_minutes", count=int(occ.duration.total_seconds() // 60)),
        ),
    ]
    if occ.theme:
        pairs.append((t(lang, "meetings_label_theme"), escape(occ.theme)))
    return pairs


def status_line(occ: Occurrence, lang: Lang) -> dict[str, Any] | None:
    if occ.status == SKIPPED:
        return text(t(lang, "meetings_status_cancelled"), weight="Bolder", color="Attention")
    if occ.status == MOVED and occ.original_starts_at:
        return text(
            t(
                lang,
                "meetings_status_moved_from",
                when=short_local(occ.original_starts_at, occ.time_zone, lang),
            ),
            weight="Bolder",
            color="Warning",
        )
    return None
