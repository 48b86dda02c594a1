"""The Teams app package: a valid one, and a manifest broken in many ways, each caught with its path."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from copbot.package import MANIFEST_DIR, PackageValues, build_package, write_zip
from tests.cards.validators import NODE_MODULES, run_node

APP_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
VALUES = PackageValues(app_id=APP_ID, public_base_url="https://copbot.example.org", version="1.2.3")
ROOT_FILES = {"manifest.json", "color.png", "outline.png", "fr.json", "es.json"}


@pytest.fixture
def manifest_dir(tmp_path: Path) -> Path:
    """A copy of manifest/ to break."""
    target = tmp_path / "manifest"
    shutil.copytree(MANIFEST_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def edit_json(path: Path, change: Callable[[Any], None]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def problems_of(manifest_dir: Path, values: PackageValues = VALUES) -> list[str]:
    return [str(p) for p in build_package(values, manifest_dir).problems]


def test_the_shipped_manifest_builds_a_valid_package_with_every_file_at_the_root(
    tmp_path: Path,
) -> None:
    package = build_package(VALUES)
    assert package.problems == []
    out = tmp_path / "build" / "copbot.zip"
    write_zip(package, out)

    with zipfile.ZipFile(out) as archive:
        assert set(archive.namelist()) == ROOT_FILES
        manifest = json.loads(archive.read("manifest.json"))
        fr = json.loads(archive.read("fr.json"))
        outline = Image.open(io.BytesIO(archive.read("outline.png")))
        color = Image.open(io.BytesIO(archive.read("color.png")))
    assert manifest["manifestVersion"] == "1.30"
    assert manifest["id"] == APP_ID
    assert manifest["version"] == "1.2.3"
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    lists = {scope: lst for lst in bot["commandLists"] for scope in lst["scopes"]}
    assert set(lists) == {"personal", "team", "groupChat"}
    assert [c["title"] for c in lists["personal"]["commands"]] == [
        "find a CoP",
        "communities",
        "join",
        "my communities",
        "calendar",
        "help",
    ]
    assert manifest["validDomains"] == ["copbot.example.org"]
    assert manifest["webApplicationInfo"] == {"id": APP_ID, "resource": f"api://botid-{APP_ID}"}
    assert {lang["file"] for lang in manifest["localizationInfo"]["additionalLanguages"]} == {
        "fr.json",
        "es.json",
    }
    assert fr["bots[0].commandLists[0].commands[4].title"] == "calendrier"
    assert (color.size, outline.size, outline.mode) == ((192, 192), (32, 32), "RGBA")


def test_the_same_inputs_give_the_same_zip(tmp_path: Path) -> None:
    write_zip(build_package(VALUES), tmp_path / "a.zip")
    write_zip(build_package(VALUES), tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_microsofts_own_validator_accepts_the_manifest(tmp_path: Path) -> None:
    manifest = json.loads(build_package(VALUES).files["manifest.json"])
    code, result = run_node("validate-manifest.mjs", manifest)
    assert (code, result["errors"]) == (0, [])
    assert result["schema"] == "v1.30/MicrosoftTeams.schema.json"


def test_the_vendored_schemas_are_the_npm_packages_own_newest() -> None:
    shipped = NODE_MODULES / "@microsoft" / "app-manifest" / "build" / "json-schemas" / "teams"
    if not shipped.is_dir():
        run_node("validate-manifest.mjs", {})  # skips (or fails in CI) with the install command
    newest = max(
        (p for p in shipped.iterdir() if p.name[1:].replace(".", "").isdigit()),
        key=lambda p: tuple(int(x) for x in p.name[1:].split(".")),
    )
    assert newest.name == "v1.30", "a newer schema ships: vendor it and raise manifestVersion"
    for name in ("MicrosoftTeams.schema.json", "MicrosoftTeams.Localization.schema.json"):
        vendored = MANIFEST_DIR / "schema" / "v1.30" / name
        assert vendored.read_bytes() == (newest / name).read_bytes(), name


# -- broken packages: each problem is found, with its file and JSON path ---------------------------


def test_an_app_id_that_is_not_a_guid_is_caught_everywhere_it_is_used(manifest_dir: Path) -> None:
    values = PackageValues(
        app_id="copbot-dev", public_base_url=VALUES.public_base_url, version="1.0.0"
    )
    problems = problems_of(manifest_dir, values)
    assert "manifest.json: $.bots[0].botId: not a GUID: 'copbot-dev'" in problems
    assert "manifest.json: $.id: not a GUID: 'copbot-dev'" in problems
    assert "manifest.json: $.webApplicationInfo.id: not a GUID: 'copbot-dev'" in problems


def test_an_unset_app_id_names_the_setting_to_fill(manifest_dir: Path) -> None:
    values = PackageValues(app_id="", public_base_url=VALUES.public_base_url, version="1.0.0")
    problems = problems_of(manifest_dir, values)
    assert (
        "manifest.json: $.bots[0].botId: placeholder {{MICROSOFT_APP_ID}} was not filled in: "
        "set MICROSOFT_APP_ID (or pass --app-id)"
    ) in problems
    assert not any("not a GUID" in p for p in problems)  # one sentence per fault


def test_a_short_name_over_30_characters(manifest_dir: Path) -> None:
    edit_json(
        manifest_dir / "manifest.template.json",
        lambda m: m["name"].update(short="Communities of Practice Bot 2026"),
    )
    assert problems_of(manifest_dir) == [
        "manifest.json: $.name.short: longer than 30 characters (32)"
    ]


def test_a_command_title_over_32_characters_in_the_manifest_and_a_translation(
    manifest_dir: Path,
) -> None:
    long_title = "show me the calendar of every CoP"  # 33
    edit_json(
        manifest_dir / "manifest.template.json",
        lambda m: m["bots"][0]["commandLists"][1]["commands"][0].update(title=long_title),
    )
    edit_json(
        manifest_dir / "es.json",
        lambda s: s.update({"bots[0].commandLists[0].commands[3].title": "x" * 40}),
    )
    problems = problems_of(manifest_dir)
    assert (
        "manifest.json: $.bots[0].commandLists[1].commands[0].title: longer than 32 characters (33)"
        in problems
    )
    assert (
        'es.json: $["bots[0].commandLists[0].commands[3].title"]: longer than 32 characters (40)'
        in problems
    )


def test_too_many_commands_in_one_list(manifest_dir: Path) -> None:
    def eleven(m: Any) -> None:
        m["bots"][0]["commandLists"][0]["commands"] = [
            {"title": f"command {i}", "description": "Something"} for i in range(11)
        ]

    edit_json(manifest_dir / "manifest.template.json", eleven)
    problems = problems_of(manifest_dir)
    assert (
        "manifest.json: $.bots[0].commandLists[0].commands: 11 commands; Teams shows at most 10 "
        "per list"
    ) in problems
    # the translations now name commands the manifest lacks, or miss new ones
    assert (
        'fr.json: $["bots[0].commandLists[0].commands[10].title"]: missing translation' in problems
    )


def test_two_command_lists_for_one_scope_and_a_scope_the_bot_lacks(manifest_dir: Path) -> None:
    def change(m: Any) -> None:
        m["bots"][0]["commandLists"][2]["scopes"] = ["team"]
        m["bots"][0]["scopes"] = ["personal", "team"]
        m["bots"][0]["commandLists"][0]["scopes"] = ["personal", "groupChat"]

    edit_json(manifest_dir / "manifest.template.json", change)
    problems = problems_of(manifest_dir)
    assert (
        "manifest.json: $.bots[0].commandLists[2].scopes: scope 'team' already has a command list "
        "(commandLists[1]): one list per scope"
    ) in problems
    assert (
        "manifest.json: $.bots[0].commandLists[0].scopes: scope 'groupChat' is not one of the "
        "bot's scopes"
    ) in problems


def test_an_outline_icon_that_is_not_white_on_transparent(manifest_dir: Path) -> None:
    (manifest_dir / "outline.png").write_bytes(png(Image.new("RGB", (32, 32), "white")))
    assert problems_of(manifest_dir) == [
        "outline.png: $.icons.outline: outline.png has no transparency: the outline icon is "
        "white on transparent"
    ]
    coloured = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    coloured.paste((0, 94, 184, 255), (8, 8, 24, 24))
    (manifest_dir / "outline.png").write_bytes(png(coloured))
    assert problems_of(manifest_dir) == [
        "outline.png: $.icons.outline: outline.png has 256 pixel(s) that are not white: the "
        "outline icon is white (#FFFFFF) on transparent, only the alpha may vary"
    ]
    (manifest_dir / "outline.png").write_bytes(
        png(Image.new("RGBA", (32, 32), (255, 255, 255, 255)))
    )
    assert problems_of(manifest_dir) == [
        "outline.png: $.icons.outline: outline.png has no transparent pixel: its background must "
        "be transparent"
    ]


def test_a_colour_icon_of_the_wrong_size_or_not_a_png(manifest_dir: Path) -> None:
    (manifest_dir / "color.png").write_bytes(png(Image.new("RGB", (96, 96), "navy")))
    assert problems_of(manifest_dir) == [
        "color.png: $.icons.color: color.png is 96×96 pixels; Teams needs 192×192"
    ]
    jpeg = io.BytesIO()
    Image.new("RGB", (192, 192), "navy").save(jpeg, format="JPEG")
    (manifest_dir / "color.png").write_bytes(jpeg.getvalue())
    assert problems_of(manifest_dir) == [
        "color.png: $.icons.color: color.png is JPEG, Teams needs a PNG"
    ]


def test_a_missing_icon_file(manifest_dir: Path) -> None:
    (manifest_dir / "outline.png").unlink()
    assert problems_of(manifest_dir) == [
        f"manifest.json: $.icons.outline: 'outline.png' is not in {manifest_dir}"
    ]


def test_schema_violations_missing_field_unknown_field_bad_colour(manifest_dir: Path) -> None:
    def change(m: Any) -> None:
        del m["developer"]["privacyUrl"]
        m["bots"][0]["supportsEmoji"] = True
        m["accentColor"] = "blue"

    edit_json(manifest_dir / "manifest.template.json", change)
    problems = problems_of(manifest_dir)
    assert "manifest.json: $.developer.privacyUrl: required but missing" in problems
    assert "manifest.json: $.bots[0].supportsEmoji: unknown field (not in the schema)" in problems
    assert (
        "manifest.json: $.accentColor: 'blue' does not match the pattern ^#[0-9a-fA-F]{6}$"
        in problems
    )
    assert len(problems) == 3


def test_microsofts_validator_agrees_on_schema_violations(manifest_dir: Path) -> None:
    edit_json(manifest_dir / "manifest.template.json", lambda m: m["developer"].pop("privacyUrl"))
    package = build_package(VALUES, manifest_dir)
    assert [str(p) for p in package.problems] == [
        "manifest.json: $.developer.privacyUrl: required but missing"
    ]
    code, result = run_node("validate-manifest.mjs", package.manifest)
    assert code == 1
    assert any("privacyUrl" in error for error in result["errors"])


def test_localization_files_are_checked_against_their_schema_and_the_manifest(
    manifest_dir: Path,
) -> None:
    def change(s: Any) -> None:
        s["name.short"] = "Le robot des communautés de pratique"  # 36
        s["bots[0].commandLists[1].commands[7].title"] = "fantôme"
        del s["bots[0].commandLists[2].commands[1].description"]
        s["greeting"] = "Bonjour"

    edit_json(manifest_dir / "fr.json", change)
    problems = problems_of(manifest_dir)
    assert 'fr.json: $["name.short"]: longer than 30 characters (36)' in problems
    assert "fr.json: $.greeting: unknown field (not in the schema)" in problems
    assert (
        'fr.json: $["bots[0].commandLists[1].commands[7].title"]: the manifest has no such command'
        in problems
    )
    assert (
        'fr.json: $["bots[0].commandLists[2].commands[1].description"]: missing translation'
        in problems
    )


def test_a_local_address_is_not_a_valid_domain_and_http_is_refused(manifest_dir: Path) -> None:
    values = PackageValues(app_id=APP_ID, public_base_url="http://127.0.0.1:3978", version="1.0.0")
    assert problems_of(manifest_dir, values) == [
        "settings: PUBLIC_BASE_URL: 'http://127.0.0.1:3978': Teams reaches bots over https only",
        "manifest.json: $.validDomains[0]: '127.0.0.1' is not a public domain name: set "
        "PUBLIC_BASE_URL to the https address Teams reaches the bot at",
    ]


def test_developer_links_must_be_https(manifest_dir: Path) -> None:
    edit_json(
        manifest_dir / "manifest.template.json",
        lambda m: m["developer"].update(privacyUrl="http://unhabitat.org/privacy"),
    )
    assert problems_of(manifest_dir) == [
        "manifest.json: $.developer.privacyUrl: 'http://unhabitat.org/privacy': Teams needs an "
        "https link"
    ]


def test_a_version_that_is_not_semver_and_a_bot_id_mismatch(manifest_dir: Path) -> None:
    other = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"
    edit_json(
        manifest_dir / "manifest.template.json",
        lambda m: m["webApplicationInfo"].update(id=other, resource=f"api://botid-{other}"),
    )
    values = PackageValues(app_id=APP_ID, public_base_url=VALUES.public_base_url, version="1.0")
    assert problems_of(manifest_dir, values) == [
        f"manifest.json: $.webApplicationInfo.id: must be the bot's Entra app id ({APP_ID}), "
        f"not {other}",
        "manifest.json: $.version: '1.0' is not a version like 1.0.0 (semver)",
    ]


def test_a_package_with_problems_is_never_written(tmp_path: Path, manifest_dir: Path) -> None:
    (manifest_dir / "color.png").write_bytes(png(Image.new("RGB", (10, 10))))
    package = build_package(VALUES, manifest_dir)
    with pytest.raises(ValueError):
        write_zip(package, tmp_path / "copbot.zip")
    assert list(tmp_path.glob("*.zip")) == [] and list(tmp_path.glob(".*tmp")) == []
