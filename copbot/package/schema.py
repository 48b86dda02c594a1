"""The official JSON schemas of the Teams app manifest and its localization files.

The schema files are vendored in ``manifest/schema/v<version>/``, copied unchanged from the npm
package ``@microsoft/app-manifest`` (pinned in ``tools/validators/package.json``; a test checks the
copies are identical), so packaging needs no Node and no network. They are draft-04 schemas,
validated here with ``jsonschema``; each violation becomes a ``PackageProblem`` with its JSON path
and a sentence a person can act on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, validators
from jsonschema.exceptions import ValidationError

from copbot.package.problems import PackageProblem, json_path

MANIFEST_SCHEMA = "MicrosoftTeams.schema.json"
LOCALIZATION_SCHEMA = "MicrosoftTeams.Localization.schema.json"
_GUID_PATTERN = "^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$"


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    """Draft-04 ``pattern`` with ECMA-only syntax tolerated.

    One pattern of the v1.30 schema uses ``\\p{L}`` (Unicode letters), which Python's ``re`` lacks;
    it constrains API-plugin function names, which CoP Bot's manifest does not have. Such a
    pattern is not checked here (the Node validator in the tests checks it).
    """
    if not validator.is_type(instance, "string"):
        return
    try:
        compiled = re.compile(pattern)
    except re.error:
        return
    if not compiled.search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = validators.extend(Draft4Validator, {"pattern": _pattern})


def schema_versions(schema_dir: Path) -> list[str]:
    """The manifest versions we have a schema for: ``["1.30"]``."""
    return sorted(
        p.name.removeprefix("v")
        for p in schema_dir.glob("v*")
        if p.is_dir() and (p / MANIFEST_SCHEMA).is_file()
    )


@cache
def _load(path: Path) -> Any:
    schema = json.loads(path.read_text(encoding="utf-8"))
    return _Validator(schema)


def validate(
    document: Any, schema_dir: Path, version: str, which: str, file: str
) -> list[PackageProblem]:
    """Problems of ``document`` against schema ``which`` of manifest ``version``."""
    path = schema_dir / f"v{version}" / which
    if not path.is_file():
        return [
            PackageProblem(
                file,
                "$.manifestVersion" if which == MANIFEST_SCHEMA else "$",
                f"no schema for manifest version {version!r} in {schema_dir} "
                f"(have: {', '.join(schema_versions(schema_dir)) or 'none'})",
            )
        ]
    validator = _load(path)
    problems = []
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        problems.extend(_describe(error, file))
    return problems


def _describe(error: ValidationError, file: str) -> list[PackageProblem]:
    parts = list(error.absolute_path)
    kind = error.validator
    value = error.validator_value
    instance = error.instance
    if kind == "required" and isinstance(value, list):
        missing = [name for name in value if isinstance(instance, dict) and name not in instance]
        return [
            PackageProblem(file, json_path([*parts, m]), "required but missing") for m in missing
        ]
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    if kind == "additionalProperties" and isinstance(instance, dict):
        known = set(schema.get("properties", {}))
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        extras = [k for k in instance if k not in known and not any(p.search(k) for p in patterns)]
        return [
            PackageProblem(file, json_path([*parts, k]), "unknown field (not in the schema)")
            for k in extras
        ]
    return [PackageProblem(file, json_path(parts), _sentence(kind, value, instance, error))]


def _sentence(kind: Any, value: Any, instance: Any, error: ValidationError) -> str:
    if kind == "maxLength":
        return f"longer than {value} characters ({len(instance)})"
    if kind == "minLength":
        return "must not be empty" if value == 1 else f"shorter than {value} characters"
    if kind == "pattern":
        if value == _GUID_PATTERN:
            return f"not a GUID: {instance!r}"
        return f"{instance!r} does not match the pattern {value}"
    if kind == "maxItems":
        return f"{len(instance)} items; at most {value} allowed"
    if kind == "minItems":
        return f"{len(instance)} items; at least {value} needed"
    if kind == "enum":
        return f"{instance!r} is not one of {', '.join(map(repr, value))}"
    if kind == "const":
        return f"must be {value!r}, not {instance!r}"
    if kind == "type":
        return f"must be of type {value}, not {type(instance).__name__}"
    if kind == "uniqueItems":
        return "items must be unique"
    return error.message
