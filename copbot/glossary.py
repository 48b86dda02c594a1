"""The organisation's abbreviations: what they stand for, where they occur, how to spell them out.

The catalog's `glossary:` section (data admins edit it) plus every community's own abbreviation
(UBS, from "Urban Basic Services (UBS)"):

    glossary = Glossary.of(catalog)
    glossary.lookup("CDN")                 # the entries a person asks about ("que veut dire CDN ?")
    glossary.find("LVC around BRT stations")  # where abbreviations occur in a question (the finder)
    glossary.spell_out("WASH", "fr")       # "eau, hygiène et assainissement (WASH)"

Recognition in questions: an abbreviation is a whole word (a plural "s" allowed: "NDCs"); entries
with `match_case` only as written ("COP" is the climate conference, "CoP" a Community of
Practice); entries with `after` only right after one of those words ("the next COP") or right
before a number ("COP30"). Numbers stay apart: "SDG 11" is not found in "SDG 11.1".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from copbot.catalog import Catalog, GlossaryEntry, LocalizedText
from copbot.i18n import LANGS, Lang, fold

_PARENTHESIS_RE = re.compile(r"\s*\([^)]*\)\s*$")
_LAST_WORD_RE = re.compile(r"([^\W\d_]+)\W*$")
_NUMBER_AFTER_RE = re.compile(r"\s?-?\d")
_DIGIT_AFTER_RE = re.compile(r"\d|[.,]\d")
# what people put around the term they ask about: articles, quotes, "the abbreviation"
_ARTICLES_RE = re.compile(
    r"^(?:(?:the|an?|le|la|les|l'|l’|un|une|des|du|el|los|las|lo|una?|abbreviation|acronym|"
    r"sigle|acronyme|abreviation|sigla|acronimo|abreviatura|term|terme|termino|word|mot|"
    r"palabra)\s*)+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Term:
    """One abbreviation as the bot uses it (a glossary entry, or a community's own)."""

    abbreviations: dict[Lang, tuple[str, ...]]
    meaning: LocalizedText
    cops: tuple[str, ...] = ()
    note: LocalizedText | None = None
    match_case: bool = False
    after: frozenset[str] | None = None  # folded words; None: recognised anywhere
    community: str = ""  # the community whose own abbreviation this is

    @property
    def label(self) -> str:
        return next(a for lang in LANGS for a in self.abbreviations.get(lang, ()))

    def written(self) -> list[str]:
        """Every spelling of the abbreviation, each once."""
        seen: list[str] = []
        for lang in LANGS:
            for abbreviation in self.abbreviations.get(lang, ()):
                if abbreviation not in seen:
                    seen.append(abbreviation)
        return seen

    def abbreviation(self, lang: Lang) -> str:
        own = self.abbreviations.get(lang)
        return own[0] if own else self.label

    def languages_of(self, written: str) -> list[Lang]:
        """The languages in which `written` is this term's abbreviation."""
        key = written if self.match_case else fold(written)
        return [
            lang
            for lang in LANGS
            if any(
                (a if self.match_case else fold(a)) in (key, key.removesuffix("s"))
                for a in self.abbreviations.get(lang, ())
            )
        ]

    def spelled(self, lang: Lang, written: str | None = None) -> str:
        """ "New Urban Agenda (NUA)": the meaning in `lang`, the abbreviation after it."""
        return f"{self.meaning.get(lang)} ({written or self.abbreviation(lang)})"


@dataclass(frozen=True)
class Occurrence:
    """An abbreviation found in a text: where, as written, and which term it is."""

    start: int
    end: int
    written: str
    term: Term

    def language(self, preferred: Lang) -> Lang:
        """The language to read it in: `preferred` when it is an abbreviation of that language."""
        langs = self.term.languages_of(self.written)
        return preferred if preferred in langs or not langs else langs[0]


def _from_entry(entry: GlossaryEntry) -> Term:
    after = None
    if entry.after is not None:
        after = frozenset(fold(word) for _, word in entry.after.all())
    return Term(
        {lang: tuple(entry.abbreviations.get(lang)) for lang in LANGS},
        entry.meaning,
        tuple(entry.cops),
        entry.note,
        entry.match_case,
        after,
    )


def _from_community_name(cop_id: str, names: dict[Lang, str]) -> Term:
    meaning = LocalizedText(
        **{lang: _PARENTHESIS_RE.sub("", names[lang]) or names[lang] for lang in LANGS}
    )
    return Term({lang: (cop_id,) for lang in LANGS}, meaning, (cop_id,), community=cop_id)


def _pattern(written: str) -> str:
    parts = [re.escape(part) for part in written.split()]
    return r"[\s-]*".join(parts) + (r"s?" if written[-1].isalpha() else "")


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...] = ()
    _by_key: dict[str, list[Term]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, catalog: Catalog) -> Glossary:
        terms = [_from_entry(entry) for entry in catalog.glossary]
        terms += [
            _from_community_name(c.id, {lang: c.name.get(lang) for lang in LANGS}) for c in catalog
        ]
        by_key: dict[str, list[Term]] = {}
        for term in terms:
            keys = {fold(w) for w in term.written()}
            keys |= {fold(term.meaning.get(lang)) for lang in LANGS}
            for key in keys:
                by_key.setdefault(_squeeze(key), []).append(term)
        return cls(tuple(terms), by_key)

    def __len__(self) -> int:
        return len(self.terms)

    # -- asking about a term --------------------------------------------------------------------
    def lookup(self, asked: str) -> list[Term]:
        """The terms a person asks about: by abbreviation ("NUA", "nua", "the NUA", "NDCs") or
        by what it stands for ("New Urban Agenda"). Written with the case of an entry that
        matches case ("COP"), only that one; otherwise every term with that spelling."""
        cleaned = _ARTICLES_RE.sub("", asked.strip().strip("\"'«»“”‘’¿?¡!.,;: ")).strip()
        cleaned = cleaned.strip("\"'«»“”‘’ ")
        if not cleaned:
            return []
        key = _squeeze(fold(cleaned))
        found = self._by_key.get(key) or self._by_key.get(key.removesuffix("s"), [])
        exact = [t for t in found if t.match_case and cleaned in t.written()]
        return exact or found

    # -- abbreviations in a text ----------------------------------------------------------------
    @cached_property
    def _patterns(self) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
        """One regular expression for the terms that ignore case, one for those that match it
        (the finder's terms: glossary entries pointing to communities; longest spellings first)."""
        insensitive: list[str] = []
        sensitive: list[str] = []
        for term in self.terms:
            if term.community or not term.cops:
                continue
            (sensitive if term.match_case else insensitive).extend(term.written())

        def compile_(spellings: list[str], flags: int) -> re.Pattern[str] | None:
            if not spellings:
                return None
            ordered = sorted(set(spellings), key=lambda w: (-len(w), w))
            alternation = "|".join(_pattern(w) for w in ordered)
            return re.compile(rf"(?<![\w+&-])(?:{alternation})(?![^\W\d_]|[+&])", flags)

        return compile_(insensitive, re.IGNORECASE), compile_(sensitive, 0)

    @cached_property
    def _finder_terms(self) -> dict[tuple[str, bool], Term]:
        keys: dict[tuple[str, bool], Term] = {}
        for term in self.terms:
            if term.community or not term.cops:
                continue
            for written in term.written():
                key = _squeeze(written) if term.match_case else _squeeze(fold(written))
                keys.setdefault((key, term.match_case), term)
        return keys

    def find(self, text: str) -> list[Occurrence]:
        """The abbreviations of glossary entries that point to communities, in order of place.

        Communities' own abbreviations and general terms ("CoP") are left out: the finder knows
        the communities' names already.
        """
        found: list[Occurrence] = []
        taken: list[tuple[int, int]] = []
        for pattern, case in zip(self._patterns, (False, True), strict=True):
            if pattern is None:
                continue
            for match in pattern.finditer(text):
                written = match.group()
                term = self._term_for(written, case)
                if term is None or any(s < match.end() and match.start() < e for s, e in taken):
                    continue
                if written[-1].isdigit() and _DIGIT_AFTER_RE.match(text, match.end()):
                    continue  # "SDG 11" is not "SDG 11.1"
                if term.after is not None and not self._in_context(text, match, term.after):
                    continue
                found.append(Occurrence(match.start(), match.end(), written, term))
                taken.append((match.start(), match.end()))
        return sorted(found, key=lambda o: o.start)

    def _term_for(self, written: str, case: bool) -> Term | None:
        key = _squeeze(written) if case else _squeeze(fold(written))
        return self._finder_terms.get((key, case)) or self._finder_terms.get(
            (key.removesuffix("s"), case)
        )

    @staticmethod
    def _in_context(text: str, match: re.Match[str], after: frozenset[str]) -> bool:
        if _NUMBER_AFTER_RE.match(text, match.end()):
            return True  # "COP30", "COP 29"
        before = _LAST_WORD_RE.search(text, 0, match.start())
        return before is not None and fold(before.group(1)) in after

    # -- spelling out ---------------------------------------------------------------------------
    @cached_property
    def _every_spelling(self) -> re.Pattern[str] | None:
        spellings = sorted(
            {w for t in self.terms for w in t.written()},
            key=lambda w: (-len(w), w),
        )
        if not spellings:
            return None
        alternation = "|".join(re.escape(w).replace(r"\ ", r"\s") for w in spellings)
        return re.compile(rf"(?<![\w(+&-])(?:{alternation})(?![\w)+&]|\.\d)")

    def spell_out(self, text: str, lang: Lang) -> str:
        """`text` with every abbreviation it contains written out, in `lang` (the reader's):
        "WASH" -> "water, sanitation and hygiene (WASH)", "GHG inventories" -> "greenhouse gases
        (GHG) inventories". Abbreviations already followed by their meaning are left alone."""
        pattern = self._every_spelling
        if pattern is None or not any(c.isupper() for c in text):
            return text

        def spelled(match: re.Match[str]) -> str:
            written = match.group()
            terms = self.lookup(written)
            cased = [t for t in terms if written in t.written()]
            term = (cased or terms)[0] if (cased or terms) else None
            if term is None or (term.match_case and written not in term.written()):
                return written
            return term.spelled(lang, written)

        return pattern.sub(spelled, text)


def _squeeze(text: str) -> str:
    return " ".join(text.split())
