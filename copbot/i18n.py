"""Languages and translated messages.

Messages live in `copbot/messages/*.py`, one module per feature, each a dict
``{key: {"en": ..., "fr": ..., "es": ...}}``; `tests/unit/test_i18n.py` checks that every key has
all three languages and the same placeholders in each.

A message is Teams markdown (`copbot.markup.Markdown`); every value put into it is escaped unless
it is `Markdown` already (another message, `escape`'s result, the catalog's own texts marked with
`trusted`): names, reasons and questions people typed show as typed, never as markup.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Literal, get_args

from copbot.markup import Markdown

Lang = Literal["en", "fr", "es"]
LANGS: tuple[Lang, ...] = get_args(Lang)
DEFAULT_LANG: Lang = "en"

Localized = Mapping[str, str]  # {"en": ..., "fr": ..., "es": ...}


def lang_from_locale(locale: str | None) -> Lang:
    """'fr-FR' -> 'fr'; anything we do not speak -> English."""
    if not locale:
        return DEFAULT_LANG
    primary = locale.replace("_", "-").split("-", 1)[0].strip().lower()
    return primary if primary in LANGS else DEFAULT_LANG  # type: ignore[return-value]


def pick(text: Localized, lang: Lang) -> str:
    """The text in `lang`, falling back to English, then to any language given."""
    return text.get(lang) or text.get(DEFAULT_LANG) or next(iter(text.values()), "")


def fold(text: str) -> str:
    """Case- and accent-insensitive form for matching: 'Résilience' -> 'resilience'."""
    if text.isascii():  # most text: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Messages:
    """All user-facing strings, merged from the feature modules."""

    def __init__(self, *tables: Mapping[str, Localized]):
        self._table: dict[str, Localized] = {}
        for table in tables:
            for key, value in table.items():
                if key in self._table:
                    raise ValueError(f"message key defined twice: {key}")
                self._table[key] = value

    def __call__(self, lang: Lang, key: str, **values: object) -> Markdown:
        return Markdown(pick(self._table[key], lang)).format(**values)

    def keys(self) -> list[str]:
        return list(self._table)

    def raw(self, key: str) -> Localized:
        return self._table[key]


def load_messages() -> Messages:
    from copbot.messages import all_tables

    return Messages(*all_tables())


# The one shared instance; message tables are static data.
t = load_messages()
