"""Samples of cards/communities.py: the list of all CoPs, and each CoP in detail."""

from __future__ import annotations

from cards.communities import community_details_card, community_list_card
from cards.elements import execute, submit, text
from tests.cards.samples import Sample, sample
from tests.cards.samples.data import LANGS, catalog


def samples() -> list[Sample]:
    found = [sample(community_list_card, catalog(), lang, label=lang) for lang in LANGS]
    for community in catalog():
        for lang in LANGS:
            found.append(
                sample(community_details_card, community, lang, label=f"{community.id}-{lang}")
            )
    # What features add to the details card (next meeting, join buttons), at their most.
    ubs = catalog().get("UBS")
    found.append(
        sample(
            community_details_card,
            ubs,
            "fr",
            extra_body=[text("Prochaine réunion : mardi 8 décembre 2026, 10:00 (Nairobi)")],
            actions=[
                execute("Rejoindre en principale", "join", cop="UBS", primary=True),
                execute("Rejoindre en secondaire", "join", cop="UBS", primary=False),
                submit("Calendrier", "calendar", cop="UBS"),
            ],
            label="UBS-fr-with-feature-parts",
        )
    )
    return found
