"""The finder's index of the catalog: every community's entries by stem and language, phrases,
rarity (idf), the words it knows for typos and longer/shorter stems, and what tells the languages
apart. Built once at startup; `copbot.finder.matcher.Finder` scores questions against it."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Self

from copbot.catalog import Catalog, Community
from copbot.finder.lexicon import FUNCTION_WORDS
from copbot.finder.model import Key, Match, Phrase, Worth
from copbot.finder.text import (
    WORD_CACHE_SIZE,
    Token,
    TrigramModel,
    function_word_evidence,
    stems,
    tokenize,
)
from copbot.finder.weights import (
    FIELD_WEIGHTS,
    FOREIGN,
    HINT_MARGIN,
    MIN_RELATED,
    PARTIAL,
    RELATED,
    SIMILARITY_TERMS,
    TOPICAL_FIELDS,
    TRIGRAM_WEIGHT,
    TYPO,
)
from copbot.glossary import Glossary
from copbot.i18n import DEFAULT_LANG, LANGS, Lang

_ABBREVIATION_RE = re.compile(r"\s*\([^)]*\)")
_SPLIT_RE = re.compile(r"\s*(?:,|;|/|\band\b|\bet\b|\by\b|\be\b|&)\s*", re.IGNORECASE)


def split_phrase(phrase: str) -> list[str]:
    """A phrase and its parts: "Water and sanitation / water operators" -> + "water", ..."""
    parts = [p.strip() for p in _SPLIT_RE.split(phrase) if p and p.strip()]
    return [phrase, *parts] if len(parts) > 1 else [phrase]


def content_words(tokens: Iterable[Token]) -> list[Token]:
    return [t for t in tokens if not t.stop]


def _scaled_idf(df: int, n: int) -> float:
    """Inverse document frequency scaled to [0, 1]: 1 for a word of one community only."""
    top = math.log(1 + (n - 1 + 0.5) / 1.5)
    return math.log(1 + (n - df + 0.5) / (df + 0.5)) / top if top > 0 else 1.0


def deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class CatalogIndex:
    """The index of a catalog (immutable at runtime: build it once at startup); `Finder` ranks
    communities with it."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.communities: tuple[Community, ...] = tuple(catalog)
        self._idf: dict[Key, float] = {}
        self._words: dict[Key, dict[int, Worth]] = {}  # stem -> community -> worth
        self._worths: dict[Key, tuple[tuple[int, float, float, float], ...]] = {}  # the same, flat
        self._phrases: list[Phrase] = []
        self._anchored: dict[Key, list[int]] = defaultdict(list)  # rarest stem -> phrases
        self._surface: dict[str, frozenset[Lang]] = {}
        self._prefixes: dict[Key, set[str]] = defaultdict(set)
        self._deletes: dict[str, set[str]] = defaultdict(set)  # word less a letter -> words
        # per community: its stems, weighted by rarity and field, for the cross-cutting suggestion
        self._vocabulary: list[dict[Key, float]] = [{} for _ in self.communities]
        self._norms: list[float] = []
        self._shared: list[list[tuple[Key, float]]] = []  # stems other communities have too
        self._similar: dict[int, dict[int, float]] = {}
        self._zero = tuple(Match(c.id, 0.0) for c in self.communities)
        self._cross = [i for i, c in enumerate(self.communities) if c.cross_cutting]
        self._trigrams: TrigramModel | None = None
        self._met: dict[tuple[str, str], tuple[tuple[Key, float], ...]] = {}  # see _meets
        self.glossary = Glossary.of(catalog)
        # stem -> community -> the catalog's word for it (the reasons show the catalog's words)
        self._surfaces: dict[Key, dict[int, str]] = {}
        self._build()

    @classmethod
    def of(cls, catalog: Catalog) -> Self:
        return cls(catalog)

    def forget_words(self) -> None:
        """Empty the caches of words seen in questions (benchmarks measure without them)."""
        self._met.clear()
        if self._trigrams is not None:
            self._trigrams.forget_words()

    # -- index --------------------------------------------------------------------------------
    def _entries(self, c: Community) -> Iterable[tuple[str, Lang, str]]:
        for lang in LANGS:
            yield "name", lang, _ABBREVIATION_RE.sub("", c.name.get(lang))
            if c.short_name:
                yield "name", lang, c.short_name.get(lang)
            yield "name", lang, c.id
        for lang, alias in c.aliases.all():
            yield "alias", lang, alias
        for area in c.practice_areas:
            for lang in LANGS:
                yield "area", lang, area.name.get(lang)
            for lang, keyword in area.keywords.all():
                yield "keyword", lang, keyword
        for lang, topic in c.topics.all():
            yield "topic", lang, topic
        for term in self.glossary.terms:
            if c.id in term.cops and not term.community:
                for lang in LANGS:
                    yield "glossary", lang, term.meaning.get(lang)

    def _build(self) -> None:
        surface: dict[str, set[Lang]] = defaultdict(set)
        for lang in LANGS:
            for word in FUNCTION_WORDS[lang]:
                surface[word].add(lang)
        texts: dict[Lang, list[str]] = {lang: [] for lang in LANGS}
        words: dict[Key, dict[int, Worth]] = defaultdict(dict)
        phrases: dict[tuple[int, Lang, tuple[frozenset[str], ...]], Phrase] = {}
        phrase_df: dict[tuple[Lang, tuple[str, ...]], set[int]] = defaultdict(set)
        surfaces: dict[Key, dict[int, tuple[int, str]]] = defaultdict(dict)

        def add(cop: int, field_name: str, lang: Lang, tokens: list[Token], part: str) -> None:
            slots = tuple(stems(t.lower, lang) for t in tokens)
            if not slots:
                return
            weight = FIELD_WEIGHTS[field_name]
            topical = field_name in TOPICAL_FIELDS
            single = len(slots) == 1
            for token, slot in zip(tokens, slots, strict=True):
                # the word shown for a stem: a topic of that one word, else a name of it, else
                # the word inside a phrase, else in the lead or description
                if single and topical:
                    rank = 2 if field_name in ("name", "area") else 3
                else:
                    rank = int(topical)
                shown = token.surface
                for stem in slot:
                    known = surfaces[(lang, stem)].get(cop)
                    if (
                        known is None
                        or rank > known[0]
                        or (rank == known[0] and shown.islower() and not known[1].islower())
                    ):
                        surfaces[(lang, stem)][cop] = (rank, shown)
                    worth = words[(lang, stem)].setdefault(cop, Worth())
                    value = weight if single else weight * PARTIAL
                    worth.any = max(worth.any, value)
                    if topical:
                        worth.topical = max(worth.topical, value)
                        if single:
                            worth.whole = max(worth.whole, weight)
            if not single and (cop, lang, slots) not in phrases:
                phrases[(cop, lang, slots)] = Phrase(cop, weight, topical, lang, slots, part)
                phrase_df[(lang, tuple(sorted(min(s) for s in slots)))].add(cop)
            elif not single:
                existing = phrases[(cop, lang, slots)]
                if field_name == "glossary" or (
                    part[:1].islower()
                    and existing.surface[:1].isupper()
                    and existing.weight <= weight
                ):
                    # "New Urban Agenda", not "urban agenda"; "urban mobility", not "Urban mobility"
                    existing.surface = part

        for cop, community in enumerate(self.communities):
            for field_name, lang, phrase in self._entries(community):
                texts[lang].append(phrase)
                for part in split_phrase(phrase):
                    tokens = tokenize(part)
                    for t in tokens:
                        surface[t.word].add(lang)
                    add(cop, field_name, lang, content_words(tokens), part)
            for field_name, text in (
                ("lead", community.lead),
                ("description", community.description),
            ):
                for lang in LANGS:
                    texts[lang].append(text.get(lang))
                    for token in content_words(tokenize(text.get(lang))):
                        surface[token.word].add(lang)
                        if not token.is_number:
                            add(cop, field_name, lang, [token], token.surface)

        n = len(self.communities)
        self._idf = {key: _scaled_idf(len(cops), n) for key, cops in words.items()}
        self._words = dict(words)
        self._worths = {
            key: tuple((cop, w.any, w.topical, w.whole) for cop, w in worths.items())
            for key, worths in self._words.items()
        }
        for entry in phrases.values():
            entry.rarity = _scaled_idf(
                len(phrase_df[(entry.lang, tuple(sorted(min(s) for s in entry.slots)))]), n
            )
            anchor = max(entry.slots, key=lambda s: max(self._idf[(entry.lang, x)] for x in s))
            for stem in anchor:
                self._anchored[(entry.lang, stem)].append(len(self._phrases))
            self._phrases.append(entry)
        self._surface = {word: frozenset(langs) for word, langs in surface.items()}
        self._surfaces = {
            key: {cop: shown for cop, (_, shown) in by_cop.items()}
            for key, by_cop in surfaces.items()
        }
        self._trigrams = TrigramModel(texts)
        for lang, stem in self._idf:
            for end in range(MIN_RELATED, len(stem)):
                self._prefixes[(lang, stem[:end])].add(stem)
        for word in surface:
            if len(word) >= MIN_RELATED and word.isalpha():
                for variant in deletions(word):
                    self._deletes[variant].add(word)
        for key, worths in self._words.items():
            for cop, worth in worths.items():
                self._vocabulary[cop][key] = self._idf[key] * worth.any
        self._norms = [math.sqrt(sum(w * w for w in v.values())) or 1.0 for v in self._vocabulary]
        self._shared = [
            sorted(
                ((k, w) for k, w in v.items() if len(self._words[k]) > 1), key=lambda kw: -kw[1]
            )[:SIMILARITY_TERMS]
            for v in self._vocabulary
        ]

    def _similarity(self, cop: int) -> dict[int, float]:
        """How close a community's vocabulary is to each cross-cutting one's (cosine of stems
        weighted by rarity and field; the descriptions count: "forced evictions" and "human
        rights" bring Land, Housing and Shelter near Safety, Human Rights and Social Inclusion)."""
        cached = self._similar.get(cop)
        if cached is None:
            cached = {}
            for other in self._cross:
                theirs = self._vocabulary[other]
                dot = sum(w * theirs.get(k, 0.0) for k, w in self._shared[cop])
                cached[other] = dot / (self._norms[cop] * self._norms[other])
            self._similar[cop] = cached
        return cached

    # -- languages ----------------------------------------------------------------------------
    def languages_of(self, word: str) -> frozenset[Lang]:
        """The languages whose catalog text or function words contain `word` (folded)."""
        return self._surface.get(word, frozenset())

    def detect_language(self, text: str, tokens: Iterable[Token], hint: Lang | None = None) -> Lang:
        """English, French or Spanish: function words, letters, catalog words, letter trigrams.

        The hint (the person's Teams locale; English without one) wins when nothing says clearly
        otherwise.
        """
        tokens = list(tokens)
        score = function_word_evidence(text, tokens)
        for token in content_words(tokens):
            langs = self.languages_of(token.word)
            if 0 < len(langs) < len(LANGS):
                for lang in langs:
                    score[lang] += 0.5 / len(langs)
        words = [t.surface.casefold() for t in tokens if not t.is_number]
        if words and self._trigrams is not None:
            for lang, p in self._trigrams.posterior(words).items():
                score[lang] += TRIGRAM_WEIGHT * p
        best = max(LANGS, key=lambda lang: score[lang])
        hint = hint or DEFAULT_LANG
        return hint if score[hint] >= score[best] - HINT_MARGIN else best

    # -- which catalog stems a question word meets -------------------------------------------
    def _longer_or_shorter(self, lang: Lang, stem: str) -> Iterable[str]:
        """Catalog stems that `stem` begins, or that begin it ("environment" / "environ")."""
        for end in range(MIN_RELATED, len(stem)):
            if (lang, stem[:end]) in self._idf:
                yield stem[:end]
        yield from self._prefixes.get((lang, stem), ())

    def _typos(self, word: str) -> set[str]:
        """Catalog words one letter away from an unknown word (deleted, added, changed, swapped)."""
        if len(word) < MIN_RELATED or not word.isalpha():
            return set()
        near = set(self._deletes.get(word, ()))
        for variant in deletions(word):
            if variant in self._surface:
                near.add(variant)
            near.update(self._deletes.get(variant, ()))
        # people rarely mistype the first letter ("mission" is no typo of "emission")
        return {other for other in near if other != word and other[0] == word[0]}

    def _query(self, content: list[Token], lang: Lang) -> dict[Key, list[tuple[int, float]]]:
        """(lang, catalog stem) -> [(token position, its rarity x closeness)] of a question.

        A word the catalog does not have, read by another language's stemmer than the
        question's, weighs FOREIGN ("stations" is not "stationnement")."""
        query: dict[Key, list[tuple[int, float]]] = defaultdict(list)
        for token in content:
            unknown = not self.languages_of(token.word)
            for key, value in self._meets(token.word, token.lower):
                if unknown and key[0] != lang:
                    value *= FOREIGN
                query[key].append((token.position, value))
        return query

    def _meets(self, word: str, lower: str) -> tuple[tuple[Key, float], ...]:
        """The catalog stems a word meets, with its rarity x closeness (kept per word)."""
        known = self._met.get((word, lower))
        if known is not None:
            return known
        best: dict[Key, float] = {}
        langs = self.languages_of(word)
        for lang in langs or LANGS:
            for stem in stems(lower, lang):
                own = self._idf.get((lang, stem))
                if own is not None:
                    _offer(best, (lang, stem), own)
                for other in self._longer_or_shorter(lang, stem):
                    idf = self._idf[(lang, other)]
                    _offer(best, (lang, other), RELATED * (idf if own is None else min(own, idf)))
        if not langs:
            for near in self._typos(word):
                for lang in self.languages_of(near):
                    for stem in stems(near, lang):
                        if (lang, stem) in self._idf:
                            _offer(best, (lang, stem), TYPO * self._idf[(lang, stem)])
        known = tuple(best.items())
        if len(self._met) >= WORD_CACHE_SIZE:
            self._met.clear()
        self._met[(word, lower)] = known
        return known


def _offer(best: dict[Key, float], key: Key, value: float) -> None:
    if value > best.get(key, 0.0):
        best[key] = value
