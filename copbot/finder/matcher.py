"""Which Community of Practice fits a person's words: a weighted lexical matcher over the catalog.

The knowledge is the catalog's: every community's names, aliases, practice area names and
keywords, topics (phrases weigh more than single words), and, weakly, its lead and description,
in English, French and Spanish. `Finder.of(catalog)` indexes it once; `recommend(text)` ranks
every community for a question and says whether the best one is a confident answer.

Scoring (per community): each content word of the question earns the best credit any entry of
that community gives it, and the credits add up.

- An entry is a phrase of the catalog ("bus rapid transit", "logement social"; lists in names are
  split too: "Water and sanitation" also gives "water" and "sanitation"), reduced to the stems of
  its content words in its own language. A question's word meets an entry's word when their stems
  meet in that language; a stem the stemmer left longer or shorter ("environment" /
  "environmental") meets at RELATED, and an unknown word one letter from a catalog word
  ("sanitaion") at TYPO. A question's word is only tried in the languages whose catalog text or
  function words contain it, when any does ("urban" is English: it does not meet the French
  "urbain"); an unseen word ("planificador") is tried in all three.
- Credit of a word: field weight x its rarity among communities (inverse document frequency,
  scaled to [0, 1] so that thresholds do not depend on the size of the catalog). A complete
  phrase of several words, its words close together in the question, gives each word
  (1 + PHRASE_BOOST) x its rarity, lifted halfway to the phrase's own rarity ("urban" is common,
  "urban mobility" is not). A phrase only partly present gives its words PARTIAL x their credit.
  People name their main subject first: later words weigh a little less (FIRST_WORDS).
- Lead and description words give a little credit, never confidence.

Confidence: the best community must have topical evidence (names, aliases, practice areas,
keywords, topics): a complete entry whose credit reaches COMPLETE_MIN, or topical credits adding
up to EVIDENCE_MIN, or a complete entry reaching MARGIN_COMPLETE with MARGIN times the credit of
the second community. A greeting, an IT question, gibberish or "what time is it in New York" has
none. Two signals of the question itself count too: a request for practical help ("how do I...",
"where is...", "¿cómo solicito...?") that names no CoP is not a description of one's work
("where is the water cooler?"), and a word of the workplace (password, laptop, allowance,
clearance...) needs ADMIN_EVIDENCE of topical credit. Not confident, the bot says it is not sure
instead of guessing.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from copbot.catalog import Catalog, Community
from copbot.finder.lexicon import ADMIN_WORDS, COP_WORDS, FUNCTION_WORDS, REQUEST_RE
from copbot.finder.text import (
    WORD_CACHE_SIZE,
    Token,
    TrigramModel,
    expand,
    function_word_evidence,
    stems,
    tokenize,
)
from copbot.glossary import Glossary, Occurrence
from copbot.i18n import DEFAULT_LANG, LANGS, Lang, fold

FIELD_WEIGHTS = {
    "name": 1.2,
    "alias": 1.2,
    "area": 1.0,
    "keyword": 1.0,
    "topic": 1.0,
    "glossary": 1.0,  # what a glossary abbreviation pointing to the community stands for
    "lead": 0.2,
    "description": 0.12,
}
TOPICAL_FIELDS = frozenset({"name", "alias", "area", "keyword", "topic", "glossary"})
PHRASE_BOOST = 0.5  # a complete phrase of n >= 2 words: (1 + PHRASE_BOOST) x credit per word
PARTIAL = 0.4  # a phrase only partly present: this share of its words' credit
WINDOW_SLACK = 3  # a phrase's words may be at most len + 3 content words apart in the question
INFORMATIVE = 0.1  # words commoner than this (scaled idf) earn nothing alone; they complete phrases
RELATED = 0.8  # a stem the stemmer left longer or shorter ("environment" / "environmental")
TYPO = 0.7  # an unknown word one letter away from a catalog word ("sanitaion")
MIN_RELATED = 6  # letters: shorter stems are never related by prefix or typo
FIRST_WORDS = 0.04  # each later content word of the question weighs 4 % less...
FIRST_WORDS_FLOOR = 0.8  # ...down to this
COMPLETE_MIN = 0.55  # confidence: one complete topical entry with at least this credit...
EVIDENCE_MIN = 0.9  # ...or topical credits adding up to this...
MARGIN_COMPLETE = 0.4  # ...or a complete topical entry with this credit when the best community...
MARGIN = 2.5  # ...has this many times the credit of the second
ADMIN_EVIDENCE = 3.0  # a question with a workplace word (laptop, allowance...) needs this much
SCORE_SCALE = 1.5  # score = 1 - exp(-credit / SCORE_SCALE), in [0, 1)
SHORTLIST_SHARE = 0.3  # shown communities have at least this share of the best one's credit
TRIGRAM_WEIGHT = 1.2  # language: letter trigrams weigh at most this (a function word weighs 1)
HINT_MARGIN = 0.6  # language: the hint (the person's locale) wins unless beaten by this much
SIMILARITY_TERMS = 300  # cross-cutting closeness: at most this many shared stems, rarest first
CROSS_EVIDENCE = 0.5  # cross-cutting suggestion: topical credit that counts as the person's words
OWN_WORDS = 0.75  # ...from words it gets 3/4 of the credit the best community gets for
EXPLAINED = 10  # the matched words are given for the first communities and the cross-cutting ones
GENERIC_IDF = 0.5  # a word this common among communities ("finance", "rights") is generic...
CROSS_GENERIC = 0.3  # ...and earns a cross-cutting community this share, outside a whole phrase
THEMATIC_SHARE = 0.6  # a thematic topic this strong against a cross-cutting one is the primary
OWN_TOPIC = 0.55  # credit a community earns on words the other one explains less: its own topic
SECOND_SHARE = 0.3  # a second topic has at least this share of the primary's credit
FOREIGN = 0.5  # an unknown word read in another language than the question's

_ABBREVIATION_RE = re.compile(r"\s*\([^)]*\)")
_SENTENCE_RE = re.compile(r"[^.?!;\n]+[.?!;\n]*")
_SPLIT_RE = re.compile(r"\s*(?:,|;|/|\band\b|\bet\b|\by\b|\be\b|&)\s*", re.IGNORECASE)

Key = tuple[Lang, str]  # a stem in a language


@dataclass(frozen=True)
class Match:
    """One community for a question: its score in [0, 1] and the catalog's words that matched."""

    cop_id: str
    score: float
    # the catalog's words the question matched, in the question's order, abbreviations spelled
    # out ("land value capture (LVC)"; for the first EXPLAINED communities and the cross-cutting
    # ones)
    terms: tuple[str, ...] = ()
    credit: float = 0.0  # the unscaled score
    topical: float = 0.0  # the part of the credit from topical fields


@dataclass(frozen=True)
class Recommendation:
    query: str
    lang: Lang  # the language of the question (or the hint when it does not tell)
    ranking: tuple[Match, ...]  # every community, best first
    confident: bool
    cross_cutting: Match | None = None  # suggested as well when the best is not cross-cutting
    readable: bool = False  # the question has words we know (function words or catalog words)
    # the question names a second topic, of another community: offered as a secondary CoP
    second: Match | None = None

    @property
    def best(self) -> Match | None:
        return self.ranking[0] if self.ranking else None

    @property
    def topical(self) -> bool:
        """Some catalog topic matched, even if not enough to be confident."""
        return bool(self.ranking) and self.ranking[0].topical > 0

    def shortlist(self, size: int = 3) -> list[Match]:
        """Up to `size` communities worth showing, best first (those with real evidence)."""
        if not self.ranking or self.ranking[0].credit <= 0:
            return []
        floor = self.ranking[0].credit * SHORTLIST_SHARE
        return [m for m in self.ranking[:size] if m.credit > 0 and m.credit >= floor]

    def match(self, cop_id: str) -> Match | None:
        return next((m for m in self.ranking if m.cop_id == cop_id), None)


@dataclass
class _Phrase:
    """A catalog entry of two words or more, checked whole when its rarest word is asked."""

    cop: int
    weight: float
    topical: bool
    lang: Lang
    slots: tuple[frozenset[str], ...]  # the stems of each content word
    surface: str = ""  # as the catalog writes it (shown in the reasons)
    rarity: float = 0.0  # scaled idf of the phrase itself
    keys: tuple[tuple[Key, ...], ...] = ()  # the slots as index keys

    def __post_init__(self) -> None:
        self.keys = tuple(tuple((self.lang, stem) for stem in slot) for slot in self.slots)


@dataclass
class _Word:
    """What one stem is worth to one community: the best entry containing it."""

    any: float = 0.0  # field weight of the best entry (a phrase counts PARTIAL)
    topical: float = 0.0  # the same among topical fields
    whole: float = 0.0  # field weight of a topical entry that is this word alone


@dataclass
class _Credit:
    total: dict[int, float] = field(default_factory=dict)  # token position -> best credit
    topical: dict[int, float] = field(default_factory=dict)
    complete: float = 0.0  # best credit of a complete topical entry
    phrases: dict[int, int] = field(default_factory=dict)  # position -> the phrase that gave it
    exact: set[int] = field(default_factory=set)  # positions in a phrase written word for word

    def add(self, position: int, value: float, topical: bool, complete: bool) -> None:
        if value > self.total.get(position, 0.0):
            self.total[position] = value
        if topical:
            if value > self.topical.get(position, 0.0):
                self.topical[position] = value
            if complete and value > self.complete:
                self.complete = value


def split_phrase(phrase: str) -> list[str]:
    """A phrase and its parts: "Water and sanitation / water operators" -> + "water", ..."""
    parts = [p.strip() for p in _SPLIT_RE.split(phrase) if p and p.strip()]
    return [phrase, *parts] if len(parts) > 1 else [phrase]


def _content(tokens: Iterable[Token]) -> list[Token]:
    return [t for t in tokens if not t.stop]


def _scaled_idf(df: int, n: int) -> float:
    """Inverse document frequency scaled to [0, 1]: 1 for a word of one community only."""
    top = math.log(1 + (n - 1 + 0.5) / 1.5)
    return math.log(1 + (n - df + 0.5) / (df + 0.5)) / top if top > 0 else 1.0


def _rarity(hit: tuple[int, float]) -> float:
    return hit[1]


def _offer(best: dict[Key, float], key: Key, value: float) -> None:
    if value > best.get(key, 0.0):
        best[key] = value


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Finder:
    """The index of a catalog (immutable at runtime: build it once at startup)."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.communities: tuple[Community, ...] = tuple(catalog)
        self._idf: dict[Key, float] = {}
        self._words: dict[Key, dict[int, _Word]] = {}  # stem -> community -> worth
        self._worths: dict[Key, tuple[tuple[int, float, float, float], ...]] = {}  # the same, flat
        self._phrases: list[_Phrase] = []
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
    def of(cls, catalog: Catalog) -> Finder:
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
        words: dict[Key, dict[int, _Word]] = defaultdict(dict)
        phrases: dict[tuple[int, Lang, tuple[frozenset[str], ...]], _Phrase] = {}
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
                    worth = words[(lang, stem)].setdefault(cop, _Word())
                    value = weight if single else weight * PARTIAL
                    worth.any = max(worth.any, value)
                    if topical:
                        worth.topical = max(worth.topical, value)
                        if single:
                            worth.whole = max(worth.whole, weight)
            if not single and (cop, lang, slots) not in phrases:
                phrases[(cop, lang, slots)] = _Phrase(cop, weight, topical, lang, slots, part)
                phrase_df[(lang, tuple(sorted(min(s) for s in slots)))].add(cop)
            elif not single:
                known = phrases[(cop, lang, slots)]
                if field_name == "glossary" or (
                    part[:1].islower() and known.surface[:1].isupper() and known.weight <= weight
                ):
                    # "New Urban Agenda", not "urban agenda"; "urban mobility", not "Urban mobility"
                    known.surface = part

        for cop, community in enumerate(self.communities):
            for field_name, lang, phrase in self._entries(community):
                texts[lang].append(phrase)
                for part in split_phrase(phrase):
                    tokens = tokenize(part)
                    for t in tokens:
                        surface[t.word].add(lang)
                    add(cop, field_name, lang, _content(tokens), part)
            for field_name, text in (
                ("lead", community.lead),
                ("description", community.description),
            ):
                for lang in LANGS:
                    texts[lang].append(text.get(lang))
                    for token in _content(tokenize(text.get(lang))):
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
        for phrase in phrases.values():
            phrase.rarity = _scaled_idf(
                len(phrase_df[(phrase.lang, tuple(sorted(min(s) for s in phrase.slots)))]), n
            )
            anchor = max(phrase.slots, key=lambda s: max(self._idf[(phrase.lang, x)] for x in s))
            for stem in anchor:
                self._anchored[(phrase.lang, stem)].append(len(self._phrases))
            self._phrases.append(phrase)
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
                for variant in _deletions(word):
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

    # -- questions ----------------------------------------------------------------------------
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
        for token in _content(tokens):
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

    @staticmethod
    def requests(text: str, tokens: Iterable[Token]) -> set[int]:
        """Positions of the words in sentences asking for practical help ("where is...",
        "¿cómo solicito...?") that are not about a CoP ("is there a CoP for water?" is)."""
        inside: set[int] = set()
        for sentence in _SENTENCE_RE.finditer(text):
            words = [t for t in tokens if sentence.start() <= t.start < sentence.end()]
            if REQUEST_RE.match(fold(sentence.group())) and not any(
                t.word in COP_WORDS for t in words
            ):
                inside.update(t.position for t in words)
        return inside

    def recommend(self, text: str, lang_hint: Lang | None = None) -> Recommendation:
        """Every community ranked for `text`, whether the best is a confident answer, and why."""
        tokens = tokenize(text)
        lang = self.detect_language(text, tokens, lang_hint)
        occurrences = self.glossary.find(text) if len(self.glossary) else []
        if occurrences:  # "LVC" is read as "land value capture"
            tokens = expand(
                tokens,
                [
                    (o.start, o.end, o.written, o.term.meaning.get(o.language(lang)))
                    for o in occurrences
                ],
            )
        spelled = {o.start: o for o in occurrences}
        content: list[Token] = []
        seen: set[str] = set()
        for token in _content(tokens):
            if token.word not in seen:
                seen.add(token.word)
                content.append(token)
        readable = any(t.stop and len(t.word) > 1 for t in tokens) or any(
            self.languages_of(t.word) for t in content
        )
        credits, query = self._credits(content, lang)
        totals = self._totals(credits, query)
        # best first; on a tie, a thematic community before a cross-cutting one (it is the
        # primary candidate, the cross-cutting one is suggested as well), then catalog order
        ordered = sorted(
            (-total, self.communities[cop].cross_cutting, cop)
            for cop, total in totals.items()
            if total > 0
        )
        by_position: dict[int, list[tuple[Key, float]]] = defaultdict(list)
        for key, hits in query.items():
            for position, value in hits:
                by_position[position].append((key, value))
        scored: list[tuple[float, int, Match]] = []
        for rank, (minus, _, cop) in enumerate(ordered):
            credit = credits[cop]
            explained = rank < EXPLAINED or self.communities[cop].cross_cutting
            match = Match(
                self.communities[cop].id,
                round(1 - math.exp(minus / SCORE_SCALE), 4),
                self._reasons(cop, credit, tokens, by_position, lang, spelled) if explained else (),
                -minus,
                sum(credit.topical.values()),
            )
            scored.append((minus, cop, match))
        credited = {cop for _, cop, _ in scored}
        order = [cop for _, cop, _ in scored] + [
            cop for cop in range(len(self.communities)) if cop not in credited
        ]
        ranking = tuple(m for _, _, m in scored) + tuple(
            self._zero[cop] for cop in order[len(scored) :]
        )
        confident = False
        top = credits[order[0]] if scored else None
        if top is not None and not set(top.total) <= self.requests(text, tokens):
            second = ranking[1].credit if len(ranking) > 1 else 0.0
            confident = (
                top.complete >= COMPLETE_MIN
                or ranking[0].topical >= EVIDENCE_MIN
                or (top.complete >= MARGIN_COMPLETE and ranking[0].credit >= MARGIN * second)
            )
            if confident and any(t.word in ADMIN_WORDS for t in tokens):
                confident = ranking[0].topical >= ADMIN_EVIDENCE
        suggestion = self._cross_cutting(ranking, order, credits) if scored else None
        other = self._second_topic(ranking, order, credits) if confident else None
        return Recommendation(text, lang, ranking, confident, suggestion, readable, other)

    def _totals(
        self, credits: dict[int, _Credit], query: dict[Key, list[tuple[int, float]]]
    ) -> dict[int, float]:
        """Each community's credit, with two rules for the cross-cutting ones.

        - A word that several communities share ("finance", "rights": GENERIC_IDF) earns a
          cross-cutting community only CROSS_GENERIC of its credit, unless it is part of one of
          its phrases written word for word ("human rights"): "municipal finance and also
          climate adaptation" does not make Climate Change (CC) the primary through "climate
          finance".
        - When a thematic community has a topic of its own in the question, named before the
          cross-cutting one's and at least THEMATIC_SHARE as strong, the thematic one goes first
          (the cross-cutting credit is lowered to a tie, which thematic communities win):
          "municipal finance and also climate adaptation" -> Planning, Finance and Economy
          (PFE), with Climate Change (CC) as the second topic; "women's safety in public
          transport" stays with Safety, Human Rights and Social Inclusion (SHRSI).
        """
        rarity: dict[int, float] = {}
        for hits in query.values():
            for position, value in hits:
                if value > rarity.get(position, 0.0):
                    rarity[position] = value
        generic = {p for p, r in rarity.items() if r < GENERIC_IDF}
        for cop in self._cross:
            credit = credits.get(cop)
            if credit is None:
                continue
            for position in generic & credit.total.keys():
                if position not in credit.exact:
                    credit.total[position] *= CROSS_GENERIC
                    if position in credit.topical:
                        credit.topical[position] *= CROSS_GENERIC
        totals = {cop: sum(credit.total.values()) for cop, credit in credits.items()}
        if not totals:
            return totals
        best = min(totals, key=lambda c: (-totals[c], self.communities[c].cross_cutting, c))
        if not self.communities[best].cross_cutting:
            return totals
        thematic = [
            cop
            for cop, total in totals.items()
            if not self.communities[cop].cross_cutting
            and total >= THEMATIC_SHARE * totals[best]
            and _own(credits[cop], credits[best]) >= OWN_TOPIC
            and _first_own(credits[cop], (credits[best],))
            < _first_own(credits[best], (credits[cop],))
        ]

        if thematic:
            primary = max(thematic, key=lambda c: (totals[c], -c))
            for cop in self._cross:
                if totals.get(cop, 0.0) > totals[primary]:
                    totals[cop] = totals[primary]
        return totals

    def _second_topic(
        self, ranking: tuple[Match, ...], order: list[int], credits: dict[int, _Credit]
    ) -> Match | None:
        """Another community with a topic of its own in the question (words the primary does
        not explain as well), at least SECOND_SHARE as strong: "municipal finance and also
        climate adaptation" names Climate Change (CC) besides Planning, Finance and Economy."""
        primary = credits[order[0]]
        best: tuple[float, int] | None = None
        for rank, cop in enumerate(order[1:EXPLAINED], 1):
            match = ranking[rank]
            if match.credit < SECOND_SHARE * ranking[0].credit or cop not in credits:
                break
            own = _own(credits[cop], primary)
            if own >= OWN_TOPIC and (best is None or own > best[0]):
                best = (own, rank)
        return ranking[best[1]] if best else None

    def _reasons(
        self,
        cop: int,
        credit: _Credit,
        tokens: tuple[Token, ...],
        by_position: dict[int, list[tuple[Key, float]]],
        lang: Lang,
        spelled: dict[int, Occurrence],
    ) -> tuple[str, ...]:
        """The catalog's words the question matched for a community, in the question's order,
        each abbreviation spelled out: "bus rapid transit (BRT)", "sanitation" for "sanitaion"."""
        groups: list[tuple[list[int], str]] = []  # positions, the catalog's words
        last_single = -2
        for position in sorted(credit.total):
            token = tokens[position]
            if token.abbreviation:  # what the person wrote, spelled out: "land value capture (LVC)"
                occurrence = spelled[token.start]
                shown = occurrence.term.spelled(occurrence.language(lang), occurrence.written)
                if not groups or groups[-1][1] != shown:
                    groups.append(([position], shown))
                last_single = -2
                continue
            index = credit.phrases.get(position)
            if index is not None:
                phrase = self._phrases[index]
                shown = phrase.surface
                if groups and groups[-1][1] == shown:
                    groups[-1][0].append(position)
                else:
                    groups.append(([position], shown))
                continue
            best: tuple[float, bool, Key] | None = None
            for key, value in by_position.get(position, ()):
                worth = self._words[key].get(cop)
                if worth is not None:
                    candidate = (worth.any * value, key[0] == lang, key)
                    if best is None or candidate[:2] > best[:2]:
                        best = candidate
            if best is None:
                continue
            key = best[2]
            # a word met in another language than the reply's: the person's own word, unless
            # it is a typo of the catalog's
            shown = self._surfaces[key][cop]
            if key[0] != lang and (
                self.languages_of(token.word) or abs(len(shown) - len(token.surface)) > 1
            ):
                shown = token.surface  # not a typo of the catalog's word ("stations")
            if last_single == position - 1 and groups:
                groups[-1][0].append(position)
                groups[-1] = (groups[-1][0], f"{groups[-1][1]} {shown}")
            else:
                groups.append(([position], shown))
            last_single = position
        terms: list[str] = []
        for _, shown in groups:
            shown = self.glossary.spell_out(shown, lang)
            if shown not in terms:
                terms.append(shown)
        return tuple(terms)

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
        for variant in _deletions(word):
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

    def _credits(
        self, content: list[Token], lang: Lang
    ) -> tuple[dict[int, _Credit], dict[Key, list[tuple[int, float]]]]:
        query = self._query(content, lang)
        place = {t.position: i for i, t in enumerate(content)}
        # the words an abbreviation stands for are in its place ("LVC studies": "studies" is
        # the second word)
        written: dict[int, int] = {}
        for token in content:
            written.setdefault(token.start, len(written))
        lateness = {
            t.position: max(FIRST_WORDS_FLOOR, 1 - FIRST_WORDS * written[t.start]) for t in content
        }
        credits: dict[int, _Credit] = defaultdict(_Credit)
        candidates: set[int] = set()
        for key, hits in query.items():
            candidates.update(self._anchored.get(key, ()))
            informative = [(p, idf * lateness[p]) for p, idf in hits if idf >= INFORMATIVE]
            if not informative:
                continue
            # _Credit.add inlined (the innermost loop of a question): any >= topical >= whole, so
            # the topical and whole credits never raise the total
            for cop, any_entry, topical, whole in self._worths[key]:
                credit = credits[cop]
                total, topical_credit = credit.total, credit.topical
                for position, value in informative:
                    if any_entry * value > total.get(position, 0.0):
                        total[position] = any_entry * value
                    if topical and topical * value > topical_credit.get(position, 0.0):
                        topical_credit[position] = topical * value
                    if whole:
                        if whole * value > topical_credit.get(position, 0.0):
                            topical_credit[position] = whole * value
                        if whole * value > credit.complete:
                            credit.complete = whole * value
        for index in candidates:
            phrase = self._phrases[index]
            present: list[tuple[int, float]] = []
            for keys in phrase.keys:
                hits = [hit for key in keys for hit in query.get(key, ())]
                if not hits:
                    break
                present.append(max(hits, key=_rarity))
            else:
                places = [place[position] for position, _ in present]
                if max(places) - min(places) >= len(phrase.slots) + WINDOW_SLACK:
                    continue
                credit = credits[phrase.cop]
                for position, idf in present:
                    # a common word in a rare phrase ("urban" in "urban mobility") gets halfway
                    specific = (idf + phrase.rarity) / 2 if phrase.rarity > idf else idf
                    value = phrase.weight * specific * (1 + PHRASE_BOOST) * lateness[position]
                    current = credit.total.get(position, 0.0)
                    if value > current or (value == current and phrase.lang == lang):
                        credit.phrases[position] = index  # the question's language on a tie
                    credit.add(position, value, phrase.topical, phrase.topical)
                if places == list(range(places[0], places[0] + len(places))):
                    credit.exact.update(position for position, _ in present)
        return credits, query

    def _cross_cutting(
        self, ranking: tuple[Match, ...], order: list[int], credits: dict[int, _Credit]
    ) -> Match | None:
        """The cross-cutting community that fits best, when the best one is not cross-cutting.

        The one the person's words match most, counting only the words that the best community
        does not explain much better ("access" in "energy access" is not about accessibility);
        when none is matched so, the one whose vocabulary is closest to the best community's,
        returned without matched words.
        """
        top = order[0]
        if not self._cross or self.communities[top].cross_cutting:
            return None
        mine = credits[top].total
        closeness = self._similarity(top)
        candidates = []
        for rank, cop in enumerate(order):
            if cop not in closeness:
                continue
            theirs = credits[cop].topical if cop in credits else {}
            evidence = sum(v for p, v in theirs.items() if v >= OWN_WORDS * mine.get(p, 0.0))
            evidence = evidence if evidence >= CROSS_EVIDENCE else 0.0
            candidates.append((evidence, closeness[cop], -cop, rank))
        if not candidates:
            return None
        evidence, _, _, rank = max(candidates)
        match = ranking[rank]
        if evidence:
            return match
        return Match(match.cop_id, match.score, (), match.credit, match.topical)


def _first_own(credit: _Credit, others: Iterable[_Credit]) -> int:
    """Where the words a community explains better than the others begin in the question."""
    others = tuple(others)
    return min(
        (
            p
            for p, value in credit.topical.items()
            if all(value > other.total.get(p, 0.0) for other in others)
        ),
        default=1 << 30,
    )


def _own(credit: _Credit, other: _Credit) -> float:
    """The topical credit a community earns beyond what another earns on the same words."""
    return sum(max(0.0, value - other.total.get(p, 0.0)) for p, value in credit.topical.items())
