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

from copbot.finder.index import CatalogIndex, content_words
from copbot.finder.lexicon import ADMIN_WORDS, COP_WORDS, REQUEST_RE
from copbot.finder.model import Credit, Key, Match, Recommendation
from copbot.finder.text import (
    Token,
    expand,
    tokenize,
)
from copbot.finder.weights import (
    ADMIN_EVIDENCE,
    COMPLETE_MIN,
    CROSS_EVIDENCE,
    CROSS_GENERIC,
    EVIDENCE_MIN,
    EXPLAINED,
    FIRST_WORDS,
    FIRST_WORDS_FLOOR,
    GENERIC_IDF,
    INFORMATIVE,
    MARGIN,
    MARGIN_COMPLETE,
    OWN_TOPIC,
    OWN_WORDS,
    PHRASE_BOOST,
    SCORE_SCALE,
    SECOND_SHARE,
    THEMATIC_SHARE,
    WINDOW_SLACK,
)
from copbot.glossary import Occurrence
from copbot.i18n import Lang, fold

_SENTENCE_RE = re.compile(r"[^.?!;\n]+[.?!;\n]*")


def _rarity(hit: tuple[int, float]) -> float:
    return hit[1]


class Finder(CatalogIndex):
    """Ranks every community of the catalog for a question, with its reasons."""

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
        for token in content_words(tokens):
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
        self, credits: dict[int, Credit], query: dict[Key, list[tuple[int, float]]]
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
        self, ranking: tuple[Match, ...], order: list[int], credits: dict[int, Credit]
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
        credit: Credit,
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

    def _credits(
        self, content: list[Token], lang: Lang
    ) -> tuple[dict[int, Credit], dict[Key, list[tuple[int, float]]]]:
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
        credits: dict[int, Credit] = defaultdict(Credit)
        candidates: set[int] = set()
        for key, hits in query.items():
            candidates.update(self._anchored.get(key, ()))
            informative = [(p, idf * lateness[p]) for p, idf in hits if idf >= INFORMATIVE]
            if not informative:
                continue
            # Credit.add inlined (the innermost loop of a question): any >= topical >= whole, so
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
        self, ranking: tuple[Match, ...], order: list[int], credits: dict[int, Credit]
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


def _first_own(credit: Credit, others: Iterable[Credit]) -> int:
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


def _own(credit: Credit, other: Credit) -> float:
    """The topical credit a community earns beyond what another earns on the same words."""
    return sum(max(0.0, value - other.total.get(p, 0.0)) for p, value in credit.topical.items())
