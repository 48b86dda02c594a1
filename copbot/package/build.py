"""Builds the Teams app package from ``manifest/`` and checks it before anything is written.

``build_package(values)`` fills the template's placeholders, validates the manifest and each
localization file against the official JSON schema, applies Teams' own rules
(``copbot.package.rules``, ``copbot.package.icons``), and returns the files with every problem
found. ``write_zip`` writes only a package without problems, atomically: a failed build leaves
nothing behind (and an older zip at the same place untouched).
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from copbot.package import icons, rules, schema
from copbot.package.problems import PackageProblem, json_path

MANIFEST_DIR = Path(__file__).resolve().parents[2] / "manifest"
TEMPLATE = "manifest.template.json"
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # fixed: the same inputs give the same bytes


@dataclass(frozen=True)
class PackageValues:
    """What the template's placeholders are filled with (from settings, via the CLI)."""

    app_id: str  # {{MICROSOFT_APP_ID}}: the bot's Entra app (client) id
    public_base_url: str  # its host becomes {{DOMAIN}}
    version: str  # {{APP_VERSION}}: raise it for every upload of a changed package
    teams_app_id: str = ""  # {{TEAMS_APP_ID}}: the Teams app's id; default: the bot's app id

    @property
    def domain(self) -> str:
        return (urlsplit(self.public_base_url).hostname or "").lower()

    def placeholders(self) -> dict[str, str]:
        return {
            "MICROSOFT_APP_ID": self.app_id.strip().lower(),
            "TEAMS_APP_ID": (self.teams_app_id or self.app_id).strip().lower(),
            "DOMAIN": self.domain,
            "APP_VERSION": self.version.strip(),
        }


@dataclass
class Package:
    files: dict[str, bytes] = field(default_factory=dict)  # name at the zip's root -> content
    problems: list[PackageProblem] = field(default_factory=list)
    manifest: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def fill_template(text: str, values: dict[str, str]) -> str:
    """Replace ``{{NAME}}`` with the JSON-escaped value; unknown placeholders stay (and are
    reported by the rules)."""

    def replace(match: Any) -> str:
        name = match.group(1)
        if name not in values or not values[name]:
            return match.group(0)
        return json.dumps(values[name])[1:-1]

    return rules.PLACEHOLDER_RE.sub(replace, text)


def build_package(
    values: PackageValues, manifest_dir: Path = MANIFEST_DIR, schema_dir: Path | None = None
) -> Package:
    schema_dir = schema_dir or manifest_dir / "schema"
    package = Package()
    problems = package.problems
    if urlsplit(values.public_base_url).scheme != "https":
        problems.append(
            PackageProblem(
                "settings",
                "PUBLIC_BASE_URL",
                f"{values.public_base_url!r}: Teams reaches bots over https only",
            )
        )
    try:
        text = (manifest_dir / TEMPLATE).read_text(encoding="utf-8")
    except OSError as exc:
        problems.append(
            PackageProblem(TEMPLATE, "$", f"cannot read {manifest_dir / TEMPLATE}: {exc.strerror}")
        )
        return package
    try:
        manifest = json.loads(fill_template(text, values.placeholders()))
    except json.JSONDecodeError as exc:
        problems.append(
            PackageProblem(TEMPLATE, "$", f"not valid JSON: {exc.msg} (line {exc.lineno})")
        )
        return package
    package.manifest = manifest
    version = manifest.get("manifestVersion") if isinstance(manifest, dict) else None
    found = schema.validate(
        manifest, schema_dir, str(version), schema.MANIFEST_SCHEMA, "manifest.json"
    )
    found += rules.check_manifest(manifest, bot_host=values.domain or None)
    package.files["manifest.json"] = (
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    ).encode()
    if isinstance(manifest, dict):
        found += _files(manifest, manifest_dir, schema_dir, str(version), package.files)
        found += _languages(manifest)
    problems.extend(_dedupe(found))
    return package


def _files(
    manifest: dict[str, Any],
    manifest_dir: Path,
    schema_dir: Path,
    version: str,
    files: dict[str, bytes],
) -> list[PackageProblem]:
    problems: list[PackageProblem] = []
    icons_value = manifest.get("icons")
    icons_field: dict[str, Any] = icons_value if isinstance(icons_value, dict) else {}
    for parts, name in rules.manifest_files(manifest):
        path = json_path(parts)
        source = manifest_dir / name
        if name in files or "/" in name or "\\" in name:
            continue
        try:
            data = source.read_bytes()
        except OSError:
            problems.append(
                PackageProblem("manifest.json", path, f"{name!r} is not in {manifest_dir}")
            )
            continue
        files[name] = data
        if parts[0] == "icons":
            if name == icons_field.get("color"):
                problems += icons.check_color_icon(data, name, path)
            if name == icons_field.get("outline"):
                problems += icons.check_outline_icon(data, name, path)
            continue
        try:
            strings = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(PackageProblem(name, "$", f"not valid JSON: {exc}"))
            continue
        problems += schema.validate(strings, schema_dir, version, schema.LOCALIZATION_SCHEMA, name)
        problems += rules.check_localization(manifest, name, strings)
    return problems


def _languages(manifest: dict[str, Any]) -> list[PackageProblem]:
    info = manifest.get("localizationInfo")
    if not isinstance(info, dict):
        return []
    default = str(info.get("defaultLanguageTag", "")).lower()
    seen: set[str] = set()
    problems = []
    for i, lang in enumerate(info.get("additionalLanguages") or []):
        tag = str(lang.get("languageTag", "")).lower() if isinstance(lang, dict) else ""
        path = json_path(["localizationInfo", "additionalLanguages", i, "languageTag"])
        if tag == default:
            problems.append(
                PackageProblem("manifest.json", path, f"{tag!r} is the default language")
            )
        elif tag in seen:
            problems.append(PackageProblem("manifest.json", path, f"{tag!r} is listed twice"))
        seen.add(tag)
    return problems


def _dedupe(problems: list[PackageProblem]) -> list[PackageProblem]:
    """One sentence per fault: the schema's, and Teams' rules only for what it did not say."""
    unfilled = {(p.file, p.path) for p in problems if p.message.startswith("placeholder ")}
    out: list[PackageProblem] = []
    for problem in problems:
        if (problem.file, problem.path) in unfilled and not problem.message.startswith(
            "placeholder"
        ):
            continue
        if not any(
            p.file == problem.file
            and p.path == problem.path
            and (p.message == problem.message or _same_kind(p, problem))
            for p in out
        ):
            out.append(problem)
    return out


def _same_kind(a: PackageProblem, b: PackageProblem) -> bool:
    """Two sentences about the same fault (a length, a GUID) from the schema and from a rule."""
    for marker in ("longer than", "not a GUID", "must not be empty"):
        if marker in a.message and marker in b.message:
            return True
    return False


def write_zip(package: Package, out: Path) -> None:
    """Write the package's files at the root of a zip, atomically. Refuses a package with problems."""
    if not package.ok:
        raise ValueError("the package has problems; nothing is written")
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with (
            os.fdopen(fd, "wb") as handle,
            zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive,
        ):
            for name, data in package.files.items():
                info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
