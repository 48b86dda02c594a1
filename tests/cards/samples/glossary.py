"""Samples of cards/glossary.py: what an abbreviation stands for, with its communities."""

from __future__ import annotations

from cards.glossary import glossary_card
from copbot.glossary import Glossary
from tests.cards.samples import Sample, sample
from tests.cards.samples.data import LANGS, catalog


def samples() -> list[Sample]:
    glossary = Glossary.of(catalog())
    found: list[Sample] = []
    # An abbreviation with communities (HLP), one that means two things (COP / CoP), a CoP's own.
    for asked in ("HLP", "cop", "UBS"):
        terms = glossary.lookup(asked)
        for lang in LANGS:
            found.append(
                sample(glossary_card, terms, asked, catalog(), lang, label=f"{asked}-{lang}")
            )
    return found
