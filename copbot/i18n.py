"""Languages and translated messages.

Messages live in `copbot/messages/*.py`, one module per feature, each a dict
``{key: {"en": ..., "fr": ..., "es": ...}}``; `tests/unit/test_i18n.py` checks that every key has
all three languages and the same placeholders in each.

A message that counts something has one key per CLDR plural category of its `count`
(`key#one`, `key#other`, and `key#many` where a language needs it): `t(lang, "key", count=2)`
picks the form the language's rules ask for ("1 question", "2 questions"; French "0 question"),
falling back to `key#other`, and writes the number the language's way ("1,000" / "1 000").

A message is Teams markdown (`copbot.markup.Markdown`); every value put into it is escaped unless
it is `Markdown` already (another message, `escape`'s result, the catalog's own texts marked with
`trusted`): names, reasons and questions people typed show as typed, never as markup.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import Literal, get_args

from babel import Locale
from babel.numbers import format_decimal

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
    return primary if primary in LANGS else DEFAULT_LANG


PLURAL = "#"  # "meetings_minutes#one": the form of a counted message for one CLDR category


@functools.cache
def _locale(lang: Lang) -> Locale:
    return Locale.parse(lang)


def plural_form(lang: Lang, count: int) -> str:
    """The CLDR plural category of `count` in `lang`: 'one', 'many' or 'other' for our three."""
    return str(_locale(lang).plural_form(abs(count)))


def counted(
    count: float | Decimal, one: str, other: str | None = None, *, shown: str | None = None
) -> str:
    """English text of the command line, counted by CLDR's rule: '1 problem', '2 problems',
    '1.5 days' (`shown`: the number as written, when not `count` itself)."""
    form = _locale("en").plural_form(abs(count))
    noun = one if form == "one" else (other or one + "s")
    return f"{shown if shown is not None else count} {noun}"


def pick(text: Localized, lang: Lang) -> str:
    """The text in `lang`, falling back to English, then to any language given."""
    return text.get(lang) or text.get(DEFAULT_LANG) or next(iter(text.values()), "")


def fold(text: str) -> str:
    """Case- and accent-insensitive form for matching: 'Résilience' -> 'resilience'."""
    if text.isascii():  # most text: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


NNBSP = "\u202f"  # narrow no-break space: French puts one before : ; ! ? and inside « »
_FR_BEFORE = re.compile(r"(?<=\S)[ \u00a0]?([:;!?])(?=[\s*_)\]]|$)|(?<=\S)[ \u00a0]?(»)")
_FR_AFTER = re.compile(r"«[ \u00a0]?")


def french_typography(text: str) -> str:
    """'Points focaux: X' -> 'Points focaux\u202f: X'; '«oui»' -> '«\u202foui\u202f»'. Times
    (10:00) and links (https://) are left alone: their colon is not followed by a space."""
    spaced = _FR_BEFORE.sub(lambda m: NNBSP + (m.group(1) or m.group(2)), text)
    return _FR_AFTER.sub("«" + NNBSP, spaced)


def colon(lang: Lang, label: str, value: str) -> str:
    """'Focal points: A, B' / 'Points focaux\u202f: A, B' for text built in code."""
    return f"{label}{NNBSP if lang == 'fr' else ''}: {value}"


class Messages:
    """All user-facing strings, merged from the feature modules (French typography applied)."""

    def __init__(self, *tables: Mapping[str, Localized]):
        self._table: dict[str, Localized] = {}
        for table in tables:
            for key, value in table.items():
                if key in self._table:
                    raise ValueError(f"message key defined twice: {key}")
                fr = value.get("fr")
                self._table[key] = {**value, "fr": french_typography(fr)} if fr else value

    def __call__(self, lang: Lang, key: str, **values: object) -> Markdown:
        if key not in self._table and f"{key}{PLURAL}other" in self._table:
            key, values = self._plural(lang, key, values)
        return Markdown(pick(self._table[key], lang)).format(**values)

    def _plural(
        self, lang: Lang, key: str, values: dict[str, object]
    ) -> tuple[str, dict[str, object]]:
        count = values.get("count")
        if not isinstance(count, int):
            raise TypeError(f"{key} counts something: give it count=<int>")
        form = f"{key}{PLURAL}{plural_form(lang, count)}"
        chosen = form if form in self._table else f"{key}{PLURAL}other"
        number = Markdown(format_decimal(count, locale=_locale(lang)))  # digits and separators
        return chosen, {**values, "count": number}

    def keys(self) -> list[str]:
        return list(self._table)

    def raw(self, key: str) -> Localized:
        return self._table[key]


def load_messages() -> Messages:
    from copbot.messages import all_tables

    return Messages(*all_tables())


# The one shared instance; message tables are static data.
t = load_messages()
