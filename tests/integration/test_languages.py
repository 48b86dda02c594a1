"""Which language a reader gets (copbot.languages): the locale last seen from them, else a
locale seen on the thing at hand, else their catalog language, the CoP's, the organisation's."""

from __future__ import annotations

from datetime import UTC, datetime

import yaml

from copbot.catalog import parse_catalog
from copbot.languages import catalog_default, channel_language, language_of, spoken
from copbot.store import Database, people
from tests.conftest import ROOT

FP = "f1f1f1f1-0000-4000-8000-000000000001"
OTHER = "f2f2f2f2-0000-4000-8000-000000000002"


def catalog(org: str = "en", **ubs: object):
    text = (ROOT / "catalog" / "communities.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["language"] = org
    overlay = {
        "communities": {
            "UBS": {
                "focal_points": [
                    {"name": "F", "email": "f@un.org", "aad_object_id": FP, "language": "es"},
                    {"name": "O", "email": "o@un.org", "aad_object_id": OTHER},
                ],
                **ubs,
            }
        }
    }
    return parse_catalog(yaml.safe_dump(data), "c.yaml", yaml.safe_dump(overlay))


def test_only_the_languages_we_speak_count() -> None:
    assert spoken("fr-CA") == "fr" and spoken("es_419") == "es" and spoken("en-GB") == "en"
    assert spoken("de-DE") is None and spoken("") is None and spoken(None) is None


def test_catalog_defaults_person_then_cop_then_organisation() -> None:
    cat = catalog(org="fr", language="es", channel_language="fr")
    ubs = cat.get("UBS")
    assert catalog_default(FP, None, cat) == "es"  # their own, found through the catalog
    assert catalog_default(OTHER, ubs, cat) == "es"  # UBS's
    assert catalog_default(OTHER, cat.get("PLG"), cat) == "fr"  # the organisation's
    assert catalog_default(OTHER, None, None) == "en"
    assert channel_language(ubs) == "fr"


async def test_the_last_locale_seen_wins_over_every_default(database: Database) -> None:
    db = database
    cat = catalog(org="es", language="es")
    ubs = cat.get("UBS")
    assert await language_of(db, OTHER, community=ubs, catalog=cat) == "es"
    assert await language_of(db, OTHER, community=ubs, catalog=cat, known="fr-FR") == "fr"
    now = datetime(2026, 12, 1, tzinfo=UTC)
    await people.remember_person(db, OTHER, "O", "en-US", now)
    assert await language_of(db, OTHER, community=ubs, catalog=cat, known="fr-FR") == "en"
    await people.remember_person(db, OTHER, "O", "", now)  # a message without a locale
    assert await language_of(db, OTHER, community=ubs, catalog=cat) == "en"
    await people.remember_person(db, OTHER, "O", "de-DE", now)  # not ours: the defaults
    assert await language_of(db, OTHER, community=ubs, catalog=cat) == "es"
