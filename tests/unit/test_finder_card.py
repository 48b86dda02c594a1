"""The recommendation card and the "not sure" card: what a person reads and can click."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cards.recommendation import not_sure_card, recommendation_card, summary
from copbot.catalog import Catalog, load_catalog
from copbot.finder import Finder
from tests.fakes.connector import card_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(ROOT / "catalog" / "communities.yaml")


@pytest.fixture(scope="module")
def finder(catalog: Catalog) -> Finder:
    return Finder.of(catalog)


def buttons(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "Action.Submit":
            found.append(node)
        for value in node.values():
            found += buttons(value)
    elif isinstance(node, list):
        for item in node:
            found += buttons(item)
    return found


def test_up_to_three_communities_best_first_with_full_name_lead_reason_and_join_buttons(
    finder: Finder, catalog: Catalog
) -> None:
    rec = finder.recommend("affordable housing finance and municipal revenue")
    card = recommendation_card(rec, catalog, "en")
    assert card["version"] == "1.5" and card["fallbackText"]
    text = card_text(card)
    assert text.splitlines()[0] == "Communities of Practice for your work"
    first = text.index("1. Land, Housing and Shelter (LHS)")
    assert first < text.index("**Planning, Finance and Economy (PFE)**", first)
    assert catalog.get("LHS").lead.en in text  # type: ignore[union-attr]
    assert "Matched: affordable housing finance" in text
    data = [b["data"] for b in buttons(card)]
    assert {"verb": "join", "cop": "LHS", "role": "primary"} in data
    assert {"verb": "join", "cop": "LHS", "role": "secondary"} in data
    assert {"verb": "details", "cop": "LHS"} in data
    assert {"verb": "list"} in data
    assert len(rec.shortlist()) <= 3


def test_the_cross_cutting_suggestion_comes_after_with_a_secondary_join(
    finder: Finder, catalog: Catalog
) -> None:
    rec = finder.recommend("I am a transport engineer")
    assert rec.cross_cutting is not None
    suggested = catalog.get(rec.cross_cutting.cop_id)
    card = recommendation_card(rec, catalog, "en")
    text = card_text(card)
    assert "Also consider a cross-cutting CoP" in text
    assert text.index("Urban Basic Services (UBS)") < text.index(suggested.display_name("en"))  # type: ignore[union-attr]
    data = [b["data"] for b in buttons(card)]
    assert {"verb": "join", "cop": suggested.id, "role": "secondary"} in data  # type: ignore[union-attr]
    assert {"verb": "join", "cop": suggested.id, "role": "primary"} not in data  # type: ignore[union-attr]


def test_the_card_speaks_the_persons_language(finder: Finder, catalog: Catalog) -> None:
    rec = finder.recommend("Je travaille sur le foncier")
    text = card_text(recommendation_card(rec, catalog, "fr"))
    assert "1. Foncier, logement et abris (LHS)" in text
    assert "Correspond à\u202f: foncier" in text
    assert "Rejoindre (principale)" in text
    spanish = card_text(recommendation_card(finder.recommend("vivienda social"), catalog, "es"))
    assert (
        "Tierra, Vivienda y Refugio (LHS)" in spanish and "Coincide con: vivienda social" in spanish
    )


def test_the_reasons_are_the_catalogs_words_and_the_persons_markdown_never_shows(
    finder: Finder, catalog: Catalog
) -> None:
    rec = finder.recommend("**water** and waste_pickers [x](http://evil.example)")
    text = card_text(recommendation_card(rec, catalog, "en"))
    assert "Matched: water, waste pickers" in text
    assert "](http" not in text and "**water**" not in text


def test_summary_names_the_communities(finder: Finder, catalog: Catalog) -> None:
    rec = finder.recommend("water and sanitation")
    assert summary(rec, catalog, "en").startswith(
        "Suggested communities: Urban Basic Services (UBS)"
    )


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "not sure"), ("fr", "Je ne sais pas"), ("es", "No estoy seguro")]
)
def test_not_sure_says_so_asks_about_the_work_and_offers_the_list(lang: str, words: str) -> None:
    card = not_sure_card(lang)  # type: ignore[arg-type]
    assert words in card_text(card) and card["fallbackText"]
    assert {"verb": "list"} in [b["data"] for b in buttons(card)]
    asked = card_text(not_sure_card(lang, asked=True))  # type: ignore[arg-type]
    assert words not in asked


@pytest.mark.parametrize(
    ("question", "lang", "says", "second_title"),
    [
        (
            "municipal finance and also climate adaptation",
            "en",
            "You name two topics. I suggest **Planning, Finance and Economy (PFE)** as your primary "
            "CoP and **Climate Change (CC)** as a secondary one.",
            "Your second topic: join as a secondary CoP",
        ),
        (
            "finances municipales et aussi l'adaptation au climat",
            "fr",
            "Vous citez deux sujets. Je vous propose **Planification, finances et économie (PFE)** "
            "comme CoP principale et **Changement climatique (CC)** comme CoP secondaire.",
            "Votre second sujet\u202f: à rejoindre comme CoP secondaire",
        ),
        (
            "finanzas municipales y también adaptación climática",
            "es",
            "Menciona dos temas. Le sugiero **Planificación, Finanzas y Economía (PFE)** como su CoP "
            "principal y **Cambio Climático (CC)** como CoP secundaria.",
            "Su segundo tema: únase como CoP secundaria",
        ),
    ],
)
def test_two_topics_say_so_with_a_primary_and_a_secondary_to_join(
    finder: Finder, catalog: Catalog, question: str, lang: str, says: str, second_title: str
) -> None:
    rec = finder.recommend(question)
    card = recommendation_card(rec, catalog, lang)  # type: ignore[arg-type]
    text = card_text(card)
    assert says in text
    assert text.index(says) < text.index(second_title)
    data = [b["data"] for b in buttons(card)]
    assert {"verb": "join", "cop": "PFE", "role": "primary"} in data
    assert {"verb": "join", "cop": "CC", "role": "secondary"} in data
    assert {"verb": "join", "cop": "CC", "role": "primary"} not in data
    # the cross-cutting community is the second topic: not suggested a second time
    assert text.count(catalog.get("CC").display_name(lang)) == 2  # type: ignore[union-attr,arg-type]


@pytest.mark.parametrize(
    ("question", "lang", "reason"),
    [
        ("I do LVC studies around the new BRT stations", "en", "land value capture (LVC)"),
        (
            "prévention des VBG dans les espaces publics",
            "fr",
            "violences basées sur le genre (VBG)",
        ),
        ("el PSUP en Haití", "es", "Programa Participativo de Mejoramiento de Barrios Marginales"),
    ],
)
def test_reasons_spell_out_the_abbreviations_they_show(
    finder: Finder, catalog: Catalog, question: str, lang: str, reason: str
) -> None:
    text = card_text(recommendation_card(finder.recommend(question), catalog, lang))  # type: ignore[arg-type]
    assert reason in text
