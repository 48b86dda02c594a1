"""Samples of cards/help.py: the help card, with each intro it is sent with."""

from __future__ import annotations

from cards.help import help_card
from tests.cards.samples import Sample, sample
from tests.cards.samples.data import LANGS


def samples() -> list[Sample]:
    return [sample(help_card, lang, label=lang) for lang in LANGS]
