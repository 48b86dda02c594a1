"""Samples of cards/sync.py: the admins' alert about a CoP whose focal point left."""

from __future__ import annotations

from cards.sync import focal_point_gone_card
from tests.cards.samples import Sample, sample
from tests.cards.samples.data import LANGS, PEOPLE, catalog


def samples() -> list[Sample]:
    community = catalog().get("UBS")
    name = PEOPLE[0][1]
    return [
        sample(
            focal_point_gone_card, community, name, state, pending, lang, label=f"{state}-{lang}"
        )
        for lang in LANGS
        for state, pending in (("disabled", 0), ("deleted", 12))
    ]
