"""The catalog admins edit: the shipped one is complete, a broken one says what and where."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from copbot.catalog import CatalogError, check_catalog, load_catalog, parse_catalog
from copbot.i18n import LANGS

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog" / "communities.yaml"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CATALOG)


def test_the_six_cops_of_the_guidance(catalog) -> None:
    assert catalog.ids() == ["PLG", "SHRSI", "PFE", "UBS", "LHS", "CC"]
    assert [c.id for c in catalog.cross_cutting()] == ["SHRSI", "CC"]


def test_every_cop_is_complete_in_three_languages(catalog) -> None:
    for community in catalog:
        for lang in LANGS:
            assert f"({community.id})" in community.display_name(lang)
            assert community.lead.get(lang).strip()
            assert community.description.get(lang).strip()
            assert community.topics.get(lang), (community.id, lang)
        assert community.focal_points and all("@" in fp.email for fp in community.focal_points)
        assert community.time_zone == "Africa/Nairobi"
        assert community.meetings and "INTERVAL=2" in community.meetings[0].rrule


def test_focal_points_as_the_guidance_lists_them(catalog) -> None:
    names = {c.id: [fp.name for fp in c.focal_points] for c in catalog}
    assert names["PFE"] == [
        "Mariana Saraiva de Melo Pinheiro",
        "Elin Andersdotter Fabre",
        "Salvatore Fundaro",
        "Jia Cong Ang",
    ]
    assert names["CC"] == ["Bernhard Barth", "Cerin Kizhakkethottam", "Diana Carrillo Silva"]
    assert all(fp.aad_object_id == "" for c in catalog for fp in c.focal_points)


def test_ubs_and_lhs_practice_areas(catalog) -> None:
    assert len(catalog.get("UBS").practice_areas) == 4
    assert [a.name.en for a in catalog.get("LHS").practice_areas] == [
        "LHS Governance",
        "LHS Management",
        "LHS Rights and Protection",
        "LHS Finance",
    ]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("ubs", "UBS"),
        ("the climate change community", "CC"),
        ("Changement climatique", "CC"),
        ("Servicios Urbanos Básicos", "UBS"),
        ("sécurité, droits humains et inclusion sociale", "SHRSI"),
        ("nothing like it", None),
    ],
)
def test_a_community_is_found_by_id_or_name_in_any_language(catalog, words, expected) -> None:
    found = catalog.resolve(words)
    assert (found.id if found else None) == expected


def _broken(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load(CATALOG.read_text())
    mutate(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def test_every_problem_is_reported_with_its_line_and_community(tmp_path: Path) -> None:
    def mutate(data):
        data["communities"][3]["focal_points"][0]["email"] = "veronika-at-un.org"
        data["communities"][5]["time_zone"] = "Mars/Olympus"
        del data["communities"][1]["lead"]["fr"]

    path = _broken(tmp_path, mutate)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 3
    text = "\n".join(problems)
    assert "communities[3] (UBS).focal_points[0].email" in text and "veronika-at-un.org" in text
    assert "communities[5] (CC).time_zone" in text and "Mars/Olympus" in text
    assert "communities[1] (SHRSI).lead.fr" in text
    lines = path.read_text().splitlines()
    ubs_line = next(p for p in caught.value.problems if "email" in p.where).where.split(":")[1]
    assert "veronika-at-un.org" in lines[int(ubs_line) - 1]


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("communities:\n  - id: UBS\n    name: {en: [unclosed\n")
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert f"{path}:" in str(caught.value) and "not valid YAML" in str(caught.value)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["communities"][0].update(id="ubs"), "an id is 2-16 capitals"),
        (lambda d: d["communities"].append(dict(d["communities"][0])), "PLG is used twice"),
        (
            lambda d: d["communities"][2]["name"].update(es="Planificación"),
            "spell the abbreviation out",
        ),
        (lambda d: d["communities"][0]["meetings"][0].update(rrule="EVERY SO OFTEN"), "RRULE"),
        (lambda d: d["communities"][0]["meetings"][0].update(time="25:99"), "HH:MM"),
        (lambda d: d["communities"][0].update(graph_group_id="not-a-guid"), "GUID"),
        (lambda d: d["communities"][0].update(focal_points=[]), "at least 1"),
        (lambda d: d["communities"][0].update(colour="blue"), "Extra inputs"),
        (lambda d: d.update(communities=[]), "at least 1"),
    ],
)
def test_each_kind_of_mistake_is_caught(tmp_path: Path, mutate, message: str) -> None:
    with pytest.raises(CatalogError) as caught:
        load_catalog(_broken(tmp_path, mutate))
    assert message in str(caught.value)


def test_missing_file_is_a_clear_problem(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot read the catalog"):
        load_catalog(tmp_path / "nope.yaml")


def test_graph_mode_requires_group_ids_and_reachable_focal_points(catalog) -> None:
    problems = check_catalog(catalog, graph_mode=True)
    errors = [p for p in problems if p.severity == "error"]
    assert any("UBS" in p.where and "graph_group_id" in p.message for p in errors)
    assert any("aad_object_id" in p.message for p in errors)
    local = check_catalog(catalog, graph_mode=False)
    assert all(p.severity == "warning" for p in local)
    assert any("channel_id is empty" in p.message for p in local)


def test_overlay_fills_local_settings_without_copying_the_catalog() -> None:
    overlay = (
        "communities:\n  UBS:\n    channel_id: '19:ubs@thread.tacv2'\n    focal_points:\n"
        "      - {name: Demo Focal, email: demo@un.org, aad_object_id: "
        "00000000-0000-4000-8000-000000000001}\n"
    )
    catalog = parse_catalog(CATALOG.read_text(), str(CATALOG), overlay)
    ubs = catalog.get("UBS")
    assert ubs.channel_id == "19:ubs@thread.tacv2"
    assert ubs.focal_point_ids() == ["00000000-0000-4000-8000-000000000001"]
    assert catalog.focal_point_of("00000000-0000-4000-8000-000000000001") == [ubs]
    assert catalog.get("CC").focal_points[0].name == "Bernhard Barth"


def _glossary_index(data, label: str) -> int:
    return next(
        i for i, e in enumerate(data["glossary"]) if label in e["abbreviations"].get("en", [])
    )


@pytest.mark.parametrize(
    ("mutate", "place", "message"),
    [
        (
            lambda d: d["glossary"][_glossary_index(d, "NDC")].update(cops=["CLIMATE"]),
            "(NDC).cops[0]",
            "no community has the id 'CLIMATE'",
        ),
        (
            lambda d: d["glossary"][_glossary_index(d, "WASH")]["abbreviations"]["fr"].append(
                "BRT"
            ),
            "(BRT).abbreviations.en[0]",
            "BRT is also defined in glossary[0]",
        ),
        (
            lambda d: d["glossary"][_glossary_index(d, "LVC")]["abbreviations"].update(es=["PFE"]),
            "(LVC).abbreviations.es[0]",
            "PFE is a community's id",
        ),
        (
            lambda d: d["glossary"][_glossary_index(d, "GCF")]["abbreviations"].update(
                en=["G C F?"]
            ),
            "(G C F?).abbreviations",
            "is not an abbreviation",
        ),
        (
            lambda d: d["glossary"][_glossary_index(d, "NUA")]["meaning"].pop("es"),
            "(NUA).meaning.es",
            "Field required",
        ),
        (
            lambda d: d["glossary"][_glossary_index(d, "HLP")].update(
                abbreviations={"en": [], "fr": [], "es": []}
            ),
            "glossary[",
            "give at least one abbreviation",
        ),
        (
            lambda d: d["glossary"][_glossary_index(d, "PSUP")].update(stands_for="x"),
            "(PSUP).stands_for",
            "Extra inputs",
        ),
    ],
)
def test_each_glossary_mistake_is_caught_with_its_place(
    tmp_path: Path, mutate, place: str, message: str
) -> None:
    path = _broken(tmp_path, mutate)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    problems = caught.value.problems
    assert len(problems) == 1, problems
    assert place in problems[0].where and message in problems[0].message, str(problems[0])
    line = int(problems[0].where.split(":")[1])
    assert line > path.read_text().splitlines().index("glossary:")


def test_the_glossary_covers_staffs_shorthand_in_three_languages(catalog) -> None:
    from copbot.glossary import Glossary

    glossary = Glossary.of(catalog)
    expected = {
        "WASH": "UBS", "NRW": "UBS", "BRT": "UBS", "GBV": "SHRSI", "VBG": "SHRSI", "LVC": "PFE",
        "NDC": "CC", "CDN": "CC", "VLR": "PLG", "VNR": "PLG", "NUA": "PLG", "NAU": "PLG",
        "HLP": "LHS", "PSUP": "LHS", "STDM": "LHS", "GCF": "CC", "PPP": "PFE", "SDG 11": "PLG",
        "COP": "CC", "UBS": "UBS", "SHRSI": "SHRSI", "CC": "CC",
    }  # fmt: skip
    for abbreviation, cop in expected.items():
        terms = glossary.lookup(abbreviation)
        assert terms and cop in terms[0].cops, abbreviation
        for lang in LANGS:
            assert terms[0].meaning.get(lang), (abbreviation, lang)
