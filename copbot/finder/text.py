"""Words of a text, as the finder sees them: folded, respelled, stemmed per language.

`tokenize` keeps each word's place and spelling as typed (for the reason shown to people),
`stems` gives the stems of a word in each language (Snowball stemmers: "logements" and "logement"
meet, "planificación" and "planificador" meet), and `function_word_evidence` tells which of
English, French and Spanish the little words of a text belong to.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from copbot.finder.lexicon import (
    ALL_FUNCTION_WORDS,
    FUNCTION_WORDS,
    LANGUAGE_CHARS,
    STOP_WORDS,
    respell,
)
from copbot.i18n import LANGS, Lang, fold

_WORD_RE = re.compile(r"[^\W\d_]+|\d+")
# -ism / -ist words of one family share one key in every language (the Spanish and French stemmers
# would make "urbanismo" and "urbanisme" the stem of "urbano", a word of every community).
_ISM_RE = re.compile(r"(?:isme|ismo|ism|iste|ista|ist)(?:s|es|as|os)?$")
WORD_CACHE_SIZE = 50_000  # words whose per-language figures are kept (a few MB at most)
_SNOWBALL_NAMES: dict[Lang, str] = {"en": "english", "fr": "french", "es": "spanish"}
_STEMMERS = {lang: snowballstemmer.stemmer(name) for lang, name in _SNOWBALL_NAMES.items()}


@dataclass(frozen=True)
class Token:
    surface: str  # as typed
    start: int  # offsets in the text
    end: int
    word: str  # folded and respelled: what stop words and vocabularies are checked against
    lower: str  # lower case with accents, respelled: what stemmers read
    position: int  # index among the text's tokens
    stop: bool
    abbreviation: str = ""  # a word of what this abbreviation stands for ("LVC": land, value...)

    @property
    def is_number(self) -> bool:
        return self.word.isdigit()


@lru_cache(maxsize=50_000)
def tokenize(text: str) -> tuple[Token, ...]:
    """The words of a text, in order (cached: catalog phrases repeat, and so do questions)."""
    tokens: list[Token] = []
    for found in _WORD_RE.finditer(text):
        surface = found.group()
        lower = surface.casefold()
        word = respell(fold(lower))
        stop = word in STOP_WORDS or (len(word) == 1 and not word.isdigit())
        tokens.append(
            Token(surface, found.start(), found.end(), word, respell(lower), len(tokens), stop)
        )
    # "UN-Habitat" / "ONU-Hábitat" is the organisation, not the word for housing settlements.
    for i in range(len(tokens) - 1):
        if tokens[i].word in ("un", "onu") and tokens[i + 1].word == "habitat":
            tokens[i + 1] = _as_stop(tokens[i + 1])
    return tuple(tokens)


def _as_stop(token: Token) -> Token:
    return Token(
        token.surface, token.start, token.end, token.word, token.lower, token.position, True
    )


def expand(tokens: tuple[Token, ...], spans: list[tuple[int, int, str, str]]) -> tuple[Token, ...]:
    """The tokens of a question with each abbreviation read as what it stands for.

    `spans` are (start, end, abbreviation as written, meaning) in order of place; the meaning's
    words take the abbreviation's place (and its offsets) and carry it in `abbreviation`.
    """
    out: list[Token] = []
    index = 0
    for start, end, written, meaning in spans:
        while index < len(tokens) and tokens[index].end <= start:
            out.append(tokens[index])
            index += 1
        while index < len(tokens) and tokens[index].start < end:
            index += 1  # the abbreviation's own tokens ("SDG", "11")
        for word in tokenize(meaning):
            out.append(
                Token(word.surface, start, end, word.word, word.lower, 0, word.stop, written)
            )
    out.extend(tokens[index:])
    return tuple(
        Token(t.surface, t.start, t.end, t.word, t.lower, i, t.stop, t.abbreviation)
        for i, t in enumerate(out)
    )


@lru_cache(maxsize=200_000)
def stems(lower: str, lang: Lang) -> frozenset[str]:
    """The stems of a word (lower case, accents kept) in a language, folded.

    The stem of the word as written and of the word without accents, so a question typed without
    accents ("planificacion") meets the catalog's "planificación".
    """
    folded = fold(lower)
    if len(folded) >= 7 and _ISM_RE.search(folded):
        return frozenset({_ISM_RE.sub("", folded) + "ism"})
    stemmer = _STEMMERS[lang]
    keys = {fold(stemmer.stemWord(lower))}
    if folded != lower:
        keys.add(stemmer.stemWord(folded))
    return frozenset(keys)


def function_word_evidence(text: str, tokens: Iterable[Token]) -> dict[Lang, float]:
    """How much the little words and the letters of a text say it is English, French, Spanish.

    A function word counts 1, shared by several languages it is split between them ("la" is
    French and Spanish); a letter only one language uses (ñ, ç, è...) counts 1.5.
    """
    score: dict[Lang, float] = dict.fromkeys(LANGS, 0.0)
    for token in tokens:
        if token.word not in ALL_FUNCTION_WORDS:
            continue
        langs = [lang for lang in LANGS if token.word in FUNCTION_WORDS[lang]]
        for lang in langs:
            score[lang] += 1 / len(langs)
    if not text.isascii():
        lowered = text.casefold()
        for lang, chars in LANGUAGE_CHARS.items():
            if chars and any(c in lowered for c in chars):
                score[lang] += 1.5
    return score


class TrigramModel:
    """Letter trigrams of each language's catalog text: which language a word looks like.

    Function words and accents say more (see `function_word_evidence`); this decides the rest:
    "vivienda asequible" has neither but looks Spanish.
    """

    def __init__(self, texts: Mapping[Lang, Iterable[str]]):
        self._logp: dict[Lang, dict[str, float]] = {}
        self._unseen: dict[Lang, float] = {}
        for lang in LANGS:
            counts: Counter[str] = Counter()
            for text in texts.get(lang, ()):
                for word in _WORD_RE.findall(text.casefold()):
                    counts.update(_trigrams(word))
            for word in FUNCTION_WORDS[lang]:
                counts.update(_trigrams(word))
            total = sum(counts.values()) + len(counts) + 1
            self._logp[lang] = {tri: math.log((n + 1) / total) for tri, n in counts.items()}
            self._unseen[lang] = math.log(1 / total)
        self._by_word: dict[str, tuple[float, ...]] = {}

    def forget_words(self) -> None:
        self._by_word.clear()

    def _word_loglik(self, word: str) -> tuple[float, ...]:
        """log P(word | language) for each of LANGS, kept per word: people's words repeat."""
        known = self._by_word.get(word)
        if known is None:
            known = tuple(
                sum(self._logp[lang].get(tri, self._unseen[lang]) for tri in _trigrams(word))
                for lang in LANGS
            )
            if len(self._by_word) >= WORD_CACHE_SIZE:
                self._by_word.clear()
            self._by_word[word] = known
        return known

    def posterior(self, words: Iterable[str]) -> dict[Lang, float]:
        """P(language | words), from equal priors; words are lower case with accents."""
        loglik = dict.fromkeys(LANGS, 0.0)
        for word in words:
            for lang, value in zip(LANGS, self._word_loglik(word), strict=True):
                loglik[lang] += value
        top = max(loglik.values())
        weights = {lang: math.exp(value - top) for lang, value in loglik.items()}
        total = sum(weights.values())
        return {lang: w / total for lang, w in weights.items()}


def _trigrams(word: str) -> list[str]:
    padded = f" {word} "
    return [padded[i : i + 3] for i in range(len(padded) - 2)]
