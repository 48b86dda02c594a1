"""The one escaping boundary: text people or the directory wrote, shown literally in Teams.

Teams renders a subset of Markdown and some HTML in bot text messages, and Markdown (no HTML) in
Adaptive Card TextBlocks and FactSets; clients also turn bare URLs and e-mail addresses into links
(https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages,
https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-format).
So a reason like ``**no** [link](https://evil.example/login)`` must reach the reader as those
characters, not as bold text and a link.

- `Markdown` is text that is markup on purpose (our message templates, the catalog's texts, what
  `escape` returned). `copbot.i18n.t` returns it, and escapes every value it interpolates that is
  not `Markdown` already: a developer cannot forget to escape a name or a reason in a message.
- `escape(value)` is the escaping itself (CommonMark backslash escapes,
  https://spec.commonmark.org/0.31.2/#backslash-escapes): markup characters, what starts a block at
  the beginning of a line (headings, lists, quotes), what makes an autolink (``://``, ``@``, the
  dots of a domain), HTML and ``<at>`` mentions. Bidirectional overrides and invisible format
  characters are removed (they can make text read differently from what it says); the zero-width
  (non-)joiners that Persian and Indic names need stay.
- `plain(value)` undoes the escapes for surfaces that show text as it is (button titles,
  notification summaries).

`tests/unit/test_escaping.py` drives every message key and every card with hostile strings.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

# Always: inline markup, HTML and entities, tables, mentions and e-mail autolinks.
_ALWAYS = re.compile(r"[\\`*_\[\]<>~&|@]")
# A scheme's "://" (autolinks such as https://...), the dots of a domain (www.x.org, x.com/a).
_SCHEME = re.compile(r":(?=//)")
_DOMAIN_DOT = re.compile(r"(?<=[^\W_])\.(?=[^\W_])")
# What starts a block at the beginning of a line: headings, lists, setext underlines, quotes.
_LINE_START = re.compile(r"^([ \t]*)([#+=-])", re.MULTILINE)
_ORDERED_ITEM = re.compile(r"^([ \t]*\d{1,9})([.)])", re.MULTILINE)
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_NEWLINES = re.compile(r"[ \t]*\n[\s]*")
_LEADING = re.compile(r"^[ \t]+")
_EDGE_BREAKS = re.compile(r"^\s*\n\s*|\s*\n\s*$")
_KEEP_FORMAT = {"\u200c", "\u200d"}  # zero-width non-joiner and joiner (needed by some scripts)
# What may need work: markup characters, line starts (block markers, digits), dots and colons
# (autolinks), controls and anything not ASCII (invisible characters).
_NEEDS_WORK = re.compile(r"[\\`*_\[\]<>~&|@:.]|^[ \t#+=\-\d]|[\n\r\t]|[^\x20-\x7e]")
_ASCII_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


class Markdown(str):
    """Text that is Teams markdown on purpose. Joining it with plain strings escapes those."""

    __slots__ = ()

    def format(self, *args: object, **kwargs: object) -> Markdown:
        return Markdown(_FORMATTER.vformat(self, args, kwargs))

    # ignore: str.format_map accepts any object with __getitem__; ours needs the keys too (every
    # value is escaped before formatting), so it takes a Mapping: narrower on purpose.
    def format_map(self, mapping: Mapping[str, Any]) -> Markdown:  # type: ignore[override]
        return Markdown(_FORMATTER.vformat(self, (), dict(mapping)))

    def __add__(self, other: str) -> Markdown:
        return Markdown(str.__add__(self, escape(other)))

    def __radd__(self, other: str) -> Markdown:
        return Markdown(str.__add__(escape(other), self))

    def join(self, parts: Iterable[str]) -> Markdown:
        return Markdown(str.join(self, (escape(part) for part in parts)))

    def __repr__(self) -> str:
        return f"Markdown({str.__repr__(self)})"


class _EscapingFormatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        formatted = format(value, format_spec)
        if isinstance(value, Markdown) or not isinstance(value, str):
            return formatted  # markup on purpose, or a number/date the bot made
        return escape(formatted)


_FORMATTER = _EscapingFormatter()


def trusted(value: str) -> Markdown:
    """Mark text as markup on purpose (a template, the catalog's own texts). Never for text a
    person or the directory wrote."""
    return value if isinstance(value, Markdown) else Markdown(value)


def _visible_char(match: re.Match[str]) -> str:
    """A non-ASCII character as shown: format characters dropped (but the joiners), line and
    paragraph separators as newlines, control characters as spaces."""
    c = match.group()
    category = unicodedata.category(c)
    if category == "Cf":
        return c if c in _KEEP_FORMAT else ""
    if category in ("Zl", "Zp"):
        return "\n"
    return " " if category == "Cc" else c


def _visible(value: str) -> str:
    """Without control and invisible format characters; one newline between lines, none of them
    indented (an indented line is a code block), no line break at either end."""
    if not value.isascii():
        value = _NON_ASCII.sub(_visible_char, value)
    if _ASCII_CONTROL.search(value):
        value = _ASCII_CONTROL.sub(" ", value.replace("\r\n", "\n").replace("\r", "\n"))
    if "\n" in value:
        value = _NEWLINES.sub("\n", _EDGE_BREAKS.sub(" ", value))
    if value[:1] in (" ", "\t"):
        value = _LEADING.sub(" ", value)  # at most one space where a line may start
    return value


def visible(value: str) -> str:
    """Text for a surface that is not markdown (an input's value) as `escape` would show it:
    without control and invisible format characters."""
    return _visible(value)


def escape(value: object) -> Markdown:
    """`value` (text from people or the directory) as markdown that shows exactly its characters."""
    if isinstance(value, Markdown):
        return value
    text = value if isinstance(value, str) else str(value)
    if not _NEEDS_WORK.search(text):  # most names and words
        return Markdown(text)
    text = _visible(text)
    text = _ALWAYS.sub(r"\\\g<0>", text)
    if ":" in text:
        text = _SCHEME.sub(r"\\:", text)
    if "." in text:
        text = _DOMAIN_DOT.sub(r"\\.", text)
    text = _LINE_START.sub(r"\1\\\2", text)
    text = _ORDERED_ITEM.sub(r"\1\\\2", text)
    return Markdown(text)


def plain(value: str) -> str:
    """Text for a surface that does not render markdown: the escapes removed."""
    return _UNESCAPE.sub(r"\1", value) if "\\" in value else str(value)
