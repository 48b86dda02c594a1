"""Building blocks of Adaptive Cards (schema 1.5, what Teams renders), as plain dicts."""

from __future__ import annotations

from typing import Any

from copbot.markup import Markdown, escape, plain, trusted

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


def facts(pairs: list[tuple[str, str]]) -> Element:
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


def bullet_list(lines: list[str]) -> Element:
    """One item per line; a line that is not `Markdown` is escaped."""
    return text(Markdown("\n").join(Markdown("- ") + line for line in lines))
