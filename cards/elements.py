"""Building blocks of Adaptive Cards (schema 1.5, what Teams renders), as plain dicts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from copbot.i18n import Lang, t
from copbot.markup import Markdown, escape, plain, trusted
from copbot.meetings.dates import format_short_date, local, time_with_utc

__all__ = ["Markdown", "escape", "plain", "trusted"]  # cards escape with the one boundary

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"

Element = dict[str, Any]


def card(
    body: list[Element],
    actions: list[Element] | None = None,
    *,
    fallback_text: str,
    version: str = VERSION,
    **extra: Any,
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": version,
        "fallbackText": fallback_text,
        "body": body,
    }
    if actions:
        result["actions"] = actions
    result.update(extra)
    return result


def text(
    value: str,
    *,
    size: str | None = None,
    weight: str | None = None,
    color: str | None = None,
    subtle: bool = False,
    wrap: bool = True,
    spacing: str | None = None,
    separator: bool = False,
) -> Element:
    block: Element = {"type": "TextBlock", "text": value, "wrap": wrap}
    if size:
        block["size"] = size
    if weight:
        block["weight"] = weight
    if color:
        block["color"] = color
    if subtle:
        block["isSubtle"] = True
    if spacing:
        block["spacing"] = spacing
    if separator:
        block["separator"] = True
    return block


def heading(value: str) -> Element:
    return text(value, size="Large", weight="Bolder")


def facts(pairs: Sequence[tuple[str, str]]) -> Element:
    return {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in pairs]}


def container(
    items: list[Element], *, separator: bool = False, style: str | None = None
) -> Element:
    block: Element = {"type": "Container", "items": items}
    if separator:
        block["separator"] = True
        block["spacing"] = "Medium"
    if style:
        block["style"] = style
    return block


def action_set(actions: list[Element]) -> Element:
    return {"type": "ActionSet", "actions": actions}


def submit(title: str, verb: str, *, style: str | None = None, **data: Any) -> Element:
    action: Element = {
        "type": "Action.Submit",
        "title": plain(title),  # button titles are not markdown
        "data": {"verb": verb, **data},
    }
    if style:
        action["style"] = style
    return action


def execute(title: str, verb: str, *, style: str | None = None, **data: Any) -> Element:
    """A Universal Action: reaches the bot as an `adaptiveCard/action` invoke."""
    action: Element = {"type": "Action.Execute", "title": plain(title), "verb": verb, "data": data}
    if style:
        action["style"] = style
    return action


def open_url(title: str, url: str) -> Element:
    return {"type": "Action.OpenUrl", "title": plain(title), "url": url}


def bullet_list(lines: Sequence[str]) -> Element:
    """One item per line; a line that is not `Markdown` is escaped."""
    return text(Markdown("\n").join(Markdown("- ") + line for line in lines))


# -- times: in the reader's zone (Adaptive Cards DATE()/TIME(), TextBlocks only) ---------------


def card_date(when: datetime) -> str:
    """A date each reader sees in their own locale (Adaptive Cards text function)."""
    return "{{DATE(" + when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") + ", SHORT)}}"


def card_time(when: datetime) -> str:
    return "{{TIME(" + when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") + ")}}"


def reader_time(when: datetime, time_zone: str, lang: Lang) -> Markdown:
    """'{{DATE()}} {{TIME()}} your time · 10:00 Nairobi time (07:00 UTC)': Teams shows the first
    part in the reader's zone and format; the second names its zone, for clients that show
    DATE()/TIME() in another zone or not at all (the Playground shows the browser's zone, unnamed).
    """
    return t(
        lang,
        "dates_reader_time",
        reader=trusted(f"{card_date(when)} {card_time(when)}"),
        zoned=trusted(
            f"{format_short_date(local(when, time_zone), lang)}, "
            f"{time_with_utc(when, time_zone, lang)}"
        ),
    )


def your_time(when: datetime, lang: Lang) -> Markdown:
    """'Your time: {{DATE()}} {{TIME()}}', beside a time that names its zone."""
    return t(lang, "dates_your_time", reader=trusted(f"{card_date(when)} {card_time(when)}"))
