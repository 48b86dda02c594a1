"""Property: text people or the directory wrote is never live markup, in any message or card.

Hypothesis builds hostile strings (markdown, HTML, `<at>` mentions, links and autolinks, bidi
overrides, zero-width characters) and puts them into EVERY message key (copbot/messages/*, all
three languages) and into every card family (each sample of tests/cards/samples/, its people's
words and directory data replaced). The result is rendered with a CommonMark renderer that also
autolinks bare URLs and e-mail addresses and parses HTML, as Teams clients do
(https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages,
https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-format):
the hostile text must add no link, emphasis, HTML, mention, heading, list, quote or code, leave no
invisible format character, and (in messages) still be visible as typed.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from copbot.i18n import LANGS, t
from copbot.markup import Markdown, escape, plain
from tests.cards.samples import Sample, all_samples

RENDERER = MarkdownIt("commonmark", {"linkify": True, "html": True}).enable(
    ["linkify", "strikethrough", "table"]
)
LIVE = {
    "link_open",
    "image",
    "html_inline",
    "html_block",
    "strong_open",
    "em_open",
    "s_open",
    "code_inline",
    "fence",
    "code_block",
    "heading_open",
    "bullet_list_open",
    "ordered_list_open",
    "blockquote_open",
    "hr",
    "table_open",
}
ALLOWED_FORMAT = {"\u200c", "\u200d"}  # zero-width (non-)joiners: needed by some scripts
PIECES = [
    "**no**",
    "__no__",
    "_it_",
    "*it*",
    "~~gone~~",
    "`code`",
    "[link](https://evil.example/login)",
    "![img](https://evil.example/i.png)",
    "<https://evil.example>",
    "https://evil.example/login",
    "http://localhost/x",
    "www.evil.com",
    "evil.com/login",
    "x@evil.com",
    "mailto:x@evil.com",
    "<b>bold</b>",
    "<a href='https://evil.example'>a</a>",
    "<at>Amina Wanjiru</at>",
    "&lt;at&gt;x&lt;/at&gt;",
    "&#91;x&#93;(https://evil.example)",
    "<script>alert(1)</script>",
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u200b",  # zero-width space
    "\u200e",  # left-to-right mark
    "\ufeff",  # zero-width no-break space
    "\u200d",
    "# Heading",
    "\n- item",
    "\n1. item",
    "\n> quote",
    "\n    code",
    "\n===",
    "\n---",
    "| a | b |\n|---|---|",
    "\\",
    "\\*",
    "Ana ",
]
hostile_or_blank = st.lists(
    st.sampled_from(PIECES) | st.text(max_size=6), min_size=1, max_size=6
).map("".join)


def live(markdown: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for token in RENDERER.parse(markdown):
        for each in [token, *(token.children or [])]:
            if each.type in LIVE:
                found[each.type] += 1
    return found


def rendered_text(markdown: str) -> str:
    parts = []
    for token in RENDERER.parse(markdown):
        for child in token.children or []:
            parts.append(child.content if child.type in ("text", "text_special") else " ")
        if token.type.endswith("_open") and token.block:
            parts.append(" ")
    return " ".join("".join(parts).split())


# A value with nothing to see may leave a template's own emphasis empty ("****" is a rule):
# the template's matter, not an injection; the escaping itself is tested with blanks too.
hostile = hostile_or_blank.filter(lambda value: visible_form(value) != "")


def invisible(text: str) -> set[str]:
    return {c for c in text if unicodedata.category(c) == "Cf" and c not in ALLOWED_FORMAT}


def visible_form(value: str) -> str:
    """What a reader should see of `value`: controls as spaces, invisible format characters gone."""
    kept = "".join(
        " "
        if unicodedata.category(c) == "Cc"
        else ""
        if unicodedata.category(c) == "Cf" and c not in ALLOWED_FORMAT
        else c
        for c in value
    )
    return " ".join(kept.split())


# -- the escaping itself ------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(value=hostile_or_blank)
def test_an_escaped_value_renders_as_exactly_its_visible_characters(value: str) -> None:
    escaped = escape(value)
    assert live(escaped) == Counter(), escaped
    assert not invisible(escaped)
    assert rendered_text(escaped) == visible_form(value)
    assert " ".join(plain(escaped).split()) == visible_form(value)


def test_markup_on_purpose_is_kept_and_values_joined_to_it_are_escaped() -> None:
    message = Markdown("**{name}** asks") + " *and*"
    assert message.format(name="*x*") == r"**\*x\*** asks \*and\*"
    assert " " + escape("[a](b)") == r" \[a\](b)"
    assert Markdown(", ").join(["**a**", escape("b")]) == r"\*\*a\*\*, b"


# -- every message key --------------------------------------------------------------------------


def placeholders(key: str) -> set[str]:
    names: set[str] = set()
    for template in t.raw(key).values():
        names |= {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return names


MESSAGE_KEYS = [key for key in t.keys() if placeholders(key)]  # noqa: SIM118 (not a dict)


def test_there_are_messages_with_values_to_drive() -> None:
    assert len(MESSAGE_KEYS) > 50


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=hostile)
def test_no_message_lets_a_value_become_markup(value: str) -> None:
    for key in MESSAGE_KEYS:
        names = placeholders(key)
        for lang in LANGS:
            benign = t(lang, key, **dict.fromkeys(names, "Zed"))
            shown = t(lang, key, **dict.fromkeys(names, value))
            # nothing the template does not have (a blank value may break the template's own
            # emphasis, which is no injection)
            assert live(shown) - live(benign) == Counter(), (key, lang, shown)
            assert not invisible(shown), (key, lang)
            if visible_form(value):
                assert visible_form(value) in rendered_text(shown), (key, lang, shown)


# -- every card family --------------------------------------------------------------------------

# Fields that hold ids, codes and settings, not words: kept (a card looks them up or links them;
# links people give are checked before they are stored: copbot/meetings/links.py).
NOT_WORDS = re.compile(
    r"(^|_)(id|ids|lang|locale|status|role|kind|purpose|zone|url|urls|key|cop|occurrence|at|by)$"
)


def replaced(value: Any, words: Callable[[], str], top: bool = True) -> Any:
    """`value` with every text a person or the directory wrote replaced by `words()`."""
    if isinstance(value, enum.Enum | Markdown) or value is None:
        return value
    if isinstance(value, str):
        return value if top else words()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: replaced(getattr(value, f.name), words, top=False)
            for f in dataclasses.fields(value)
            if f.init and not NOT_WORDS.search(f.name)
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, dict) and "type" in value:
        return value  # an Adaptive Card element the caller built: the bot's, not people's
    if isinstance(value, dict):
        return {
            k: v if NOT_WORDS.search(str(k)) else replaced(v, words, top=False)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        items = [replaced(v, words, top=top) for v in value]
        return type(value)(items) if isinstance(value, tuple) else items
    return value  # the catalog, dates, numbers: not people's words


def markdown_surfaces(node: Any, path: str = "") -> dict[str, str]:
    """Every text a card renders as markdown, by its place in the card."""
    found: dict[str, str] = {}
    if isinstance(node, dict):
        if node.get("type") == "TextBlock" and isinstance(node.get("text"), str):
            found[path + ".text"] = node["text"]
        if node.get("type") == "FactSet":
            for i, fact in enumerate(node.get("facts", [])):
                found[f"{path}.facts{i}.title"] = str(fact.get("title", ""))
                found[f"{path}.facts{i}.value"] = str(fact.get("value", ""))
        for key, child in node.items():
            found.update(markdown_surfaces(child, f"{path}.{key}"))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            found.update(markdown_surfaces(child, f"{path}[{i}]"))
    return found


def all_strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for child in node.values() for s in all_strings(child)]
    if isinstance(node, list):
        return [s for child in node for s in all_strings(child)]
    return []


SAMPLES = [s for s in all_samples() if s.build is not None]


def build(sample: Sample, words: Callable[[], str]) -> dict[str, Any]:
    assert sample.build is not None
    kwargs = {name: replaced(value, words) for name, value in sample.kwargs.items()}
    return sample.build(*replaced(sample.args, words), **kwargs)


def test_every_card_family_has_samples_to_drive() -> None:
    families = {s.name.split(".")[0] for s in SAMPLES}
    assert {
        "approval",
        "membership",
        "meetings",
        "communities",
        "admin",
        "recommendation",
    } <= families


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=hostile)
def test_no_card_lets_peoples_words_become_markup(value: str) -> None:
    for sample in SAMPLES:
        benign = build(sample, lambda: "Zed")
        shown = build(sample, lambda: value)  # a crash here is a finding too
        before, after = markdown_surfaces(benign), markdown_surfaces(shown)
        for place, markdown in after.items():
            expected = live(before[place]) if place in before else Counter()
            assert live(markdown) - expected == Counter(), (sample.name, place, markdown)
        for text in all_strings(shown):
            assert not invisible(text), (sample.name, text)


def test_the_card_driver_really_reaches_peoples_words() -> None:
    """The cards that show people's words (not only the catalog's) get the driven strings."""
    marker = "Quokka-Marker"
    reached = {each.name for each in SAMPLES if marker in str(build(each, lambda: marker))}
    assert len(reached) >= len(SAMPLES) / 2, f"only {len(reached)} of {len(SAMPLES)} cards"
    for family in ("approval.approval_card", "meetings.", "admin.admin_report_card"):
        assert any(name.startswith(family) for name in reached), family
