"""Samples of the "which CoP fits me" cards, from the real finder on the real catalog."""

from __future__ import annotations

from functools import cache

from cards.recommendation import not_sure_card, recommendation_card
from copbot.finder.matcher import Finder
from tests.cards.samples import Sample, sample
from tests.cards.samples.data import LANGS, catalog

QUESTIONS = {
    "en": "I work on piped water, sanitation, solid waste and bus rapid transit with [*markdown*]",
    "fr": "Je travaille sur le foncier, le logement social et les expulsions forcées",
    "es": "trabajo en cambio climático, adaptación y financiamiento climático",
}


@cache
def finder() -> Finder:
    return Finder.of(catalog())


def samples() -> list[Sample]:
    out = []
    for lang in LANGS:
        rec = finder().recommend(QUESTIONS[lang], lang)
        assert rec.confident, QUESTIONS[lang]
        out.append(sample(recommendation_card, rec, catalog(), lang, label=f"confident-{lang}"))
        out.append(sample(not_sure_card, lang, label=f"not-sure-{lang}"))
        out.append(sample(not_sure_card, lang, asked=True, label=f"not-sure-asked-{lang}"))
    return out
