"""Readable in Teams' light, dark and high-contrast themes: a coloured container (good,
attention, warning, accent) holds default-coloured text only. Teams maps both container styles
and text colours to each theme, but not the pair: "Good" text on a "good" container is green on
light green (the question-sent confirmation was)."""

from __future__ import annotations

from typing import Any

from cards.meetings.announcement import announcement_card
from tests.cards.samples import all_samples

COLOURED_CONTAINERS = {"good", "attention", "warning", "accent"}


def coloured_text_on_colour(node: Any, inside: str | None = None) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        style = node.get("style") if node.get("type") in ("Container", "Column") else None
        inside = style if style in COLOURED_CONTAINERS else inside
        colour = node.get("color")
        if node.get("type") == "TextBlock" and inside and colour not in (None, "Default"):
            found.append((inside, f"{colour}: {node.get('text', '')[:40]}"))
        for child in node.values():
            found += coloured_text_on_colour(child, inside)
    elif isinstance(node, list):
        for child in node:
            found += coloured_text_on_colour(child, inside)
    return found


def test_no_card_puts_coloured_text_on_a_coloured_container() -> None:
    found = {
        (sample.name, *pair)
        for sample in all_samples()
        if sample.build is not None
        for pair in coloured_text_on_colour(sample.build(*sample.args, **sample.kwargs))
    }
    assert found == set()


def test_the_question_sent_confirmation_is_default_text_with_an_icon_on_good() -> None:
    ack = [
        s
        for s in all_samples()
        if s.build is announcement_card and s.kwargs.get("acknowledged") is not None
    ]
    assert ack, "a sample with a question sent"
    shown = ack[0].build(*ack[0].args, **ack[0].kwargs)
    [box] = [c for c in shown["body"] if c.get("type") == "Container" and c.get("style") == "good"]
    first = box["items"][0]
    assert first["text"].startswith("✅ ") and "color" not in first
