"""Teams' own rules for an app package that its JSON schema does not express (or expresses
more loosely than Teams clients and the Teams admin centre accept).

Each rule returns ``PackageProblem``s with the JSON path of the field at fault. Limits come from
Microsoft's app manifest documentation:
- ``name.short`` ≤ 30, ``name.full`` ≤ 100, ``description.short`` ≤ 80, ``description.full``
  ≤ 4000, ``developer.name`` ≤ 32 characters, in the manifest and in every localization file;
- a bot's command menu: at most 10 commands per list, a command title ≤ 32 characters and its
  description ≤ 128 (the v1.30 schema allows 12 / 128 / 4000, older clients show only these);
  one list per scope, and only scopes the bot has;
- ids are GUIDs: the app ``id``, ``bots[].botId`` and ``webApplicationInfo.id`` (the bot's Entra
  app, so the same GUID as the bot);
- ``validDomains`` are host names without scheme or path, and include the bot's public host;
- the developer's website, privacy and terms-of-use links are https;
- icons: see ``copbot.package.icons``; every file the manifest names is at the package root.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from copbot.package.problems import PackageProblem, json_path

GUID_RE = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
ZERO_GUID = "00000000-0000-0000-0000-000000000000"
PLACEHOLDER_RE = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")
DOMAIN_RE = re.compile(
    r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$"
)

MAX_COMMANDS = 10
MAX_COMMAND_TITLE = 32
MAX_COMMAND_DESCRIPTION = 128
TEXT_LIMITS = {
    "name.short": 30,
    "name.full": 100,
    "description.short": 80,
    "description.full": 4000,
    "developer.name": 32,
}
_COMMAND_KEY = re.compile(
    r"^bots\[(\d+)\]\.commandLists\[(\d+)\]\.commands\[(\d+)\]\.(title|description|prompt)$"
)


def check_manifest(manifest: Any, *, bot_host: str | None = None) -> list[PackageProblem]:
    """Teams' rules on manifest.json (already parsed). ``bot_host``: must be in validDomains."""
    if not isinstance(manifest, dict):
        return [PackageProblem("manifest.json", "$", "the manifest must be a JSON object")]
    problems: list[PackageProblem] = []
    problems += _placeholders(manifest, "manifest.json")
    problems += _ids(manifest)
    problems += _version(manifest)
    for key, limit in TEXT_LIMITS.items():
        value = _dotted(manifest, key)
        problems += _text("manifest.json", key.split("."), value, limit)
    problems += _commands(manifest)
    problems += _domains(manifest, bot_host)
    problems += _root_files(manifest)
    problems += _developer_urls(manifest)
    return problems


def check_localization(manifest: Any, file: str, strings: Any) -> list[PackageProblem]:
    """A localization file: its strings fit Teams' limits, name fields that exist in the
    manifest, and translate every localizable string the manifest has."""
    if not isinstance(strings, dict):
        return [PackageProblem(file, "$", "a localization file must be a JSON object")]
    problems: list[PackageProblem] = _placeholders(strings, file)
    for key, value in strings.items():
        if key in {"$schema", "localizationKeys"}:
            continue
        if key in TEXT_LIMITS:
            problems += _text(file, [key], value, TEXT_LIMITS[key])
        elif match := _COMMAND_KEY.match(key):
            bot, lst, cmd, field = (int(match[1]), int(match[2]), int(match[3]), match[4])
            command = _command(manifest, bot, lst, cmd)
            if command is None:
                problems.append(
                    PackageProblem(file, json_path([key]), "the manifest has no such command")
                )
                continue
            if field not in command:
                problems.append(
                    PackageProblem(file, json_path([key]), f"the manifest's command has no {field}")
                )
            limit = MAX_COMMAND_TITLE if field == "title" else MAX_COMMAND_DESCRIPTION
            if field != "prompt":
                problems += _text(file, [key], value, limit)
    for key in sorted(localizable_keys(manifest)):
        if key not in strings:
            problems.append(PackageProblem(file, json_path([key]), "missing translation"))
    return problems


def localizable_keys(manifest: Mapping[str, Any]) -> set[str]:
    """The keys a complete translation of this manifest has (of the fields CoP Bot uses)."""
    keys = {k for k in TEXT_LIMITS if k != "developer.name" and _dotted(manifest, k) is not None}
    for b, bot in enumerate(_list(manifest.get("bots"))):
        for lst_i, lst in enumerate(
            _list(bot.get("commandLists") if isinstance(bot, dict) else None)
        ):
            commands = _list(lst.get("commands") if isinstance(lst, dict) else None)
            for c, command in enumerate(commands):
                if not isinstance(command, dict):
                    continue
                for field in ("title", "description"):
                    if field in command:
                        keys.add(f"bots[{b}].commandLists[{lst_i}].commands[{c}].{field}")
    return keys


# -- rules ----------------------------------------------------------------------------------------


PLACEHOLDER_HINTS = {
    "MICROSOFT_APP_ID": "set MICROSOFT_APP_ID (or pass --app-id)",
    "TEAMS_APP_ID": "set MICROSOFT_APP_ID (or pass --teams-app-id)",
    "DOMAIN": "set PUBLIC_BASE_URL",
    "APP_VERSION": "pass --version",
}
SEMVER_RE = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")


def _placeholders(document: Any, file: str) -> list[PackageProblem]:
    problems = []
    for parts, value in _strings(document):
        for name in PLACEHOLDER_RE.findall(value):
            hint = PLACEHOLDER_HINTS.get(name)
            message = f"placeholder {{{{{name}}}}} was not filled in" + (
                f": {hint}" if hint else ""
            )
            problems.append(PackageProblem(file, json_path(parts), message))
    return problems


def _version(manifest: dict[str, Any]) -> list[PackageProblem]:
    version = manifest.get("version")
    if (
        isinstance(version, str)
        and not PLACEHOLDER_RE.search(version)
        and not SEMVER_RE.match(version)
    ):
        return [
            PackageProblem(
                "manifest.json", "$.version", f"{version!r} is not a version like 1.0.0 (semver)"
            )
        ]
    return []


def _ids(manifest: dict[str, Any]) -> list[PackageProblem]:
    problems = []
    found: list[tuple[list[str | int], Any]] = [(["id"], manifest.get("id"))]
    bots = _list(manifest.get("bots"))
    for i, bot in enumerate(bots):
        if isinstance(bot, dict):
            found.append((["bots", i, "botId"], bot.get("botId")))
    web = manifest.get("webApplicationInfo")
    if isinstance(web, dict):
        found.append((["webApplicationInfo", "id"], web.get("id")))
    for parts, value in found:
        if value is None:
            continue  # the schema reports missing required fields
        if not isinstance(value, str) or not GUID_RE.match(value):
            if not (isinstance(value, str) and PLACEHOLDER_RE.search(value)):
                problems.append(
                    PackageProblem("manifest.json", json_path(parts), f"not a GUID: {value!r}")
                )
        elif value == ZERO_GUID:
            problems.append(
                PackageProblem(
                    "manifest.json", json_path(parts), "the all-zero GUID is a placeholder"
                )
            )
    if isinstance(web, dict) and bots and isinstance(bots[0], dict):
        bot_id, web_id = bots[0].get("botId"), web.get("id")
        if isinstance(bot_id, str) and isinstance(web_id, str) and bot_id.lower() != web_id.lower():
            problems.append(
                PackageProblem(
                    "manifest.json",
                    "$.webApplicationInfo.id",
                    f"must be the bot's Entra app id ({bot_id}), not {web_id}",
                )
            )
        resource = web.get("resource")
        if (
            isinstance(resource, str)
            and isinstance(web_id, str)
            and web_id.lower() not in resource.lower()
        ):
            problems.append(
                PackageProblem(
                    "manifest.json",
                    "$.webApplicationInfo.resource",
                    f"must name the app id, like api://botid-{web_id}",
                )
            )
    return problems


def _text(file: str, parts: Sequence[str | int], value: Any, limit: int) -> list[PackageProblem]:
    if value is None:
        return []
    path = json_path(parts) if file == "manifest.json" else json_path([".".join(map(str, parts))])
    if not isinstance(value, str):
        return [PackageProblem(file, path, "must be text")]
    if not value.strip():
        return [PackageProblem(file, path, "must not be empty")]
    if len(value) > limit:
        return [PackageProblem(file, path, f"longer than {limit} characters ({len(value)})")]
    return []


def _commands(manifest: dict[str, Any]) -> list[PackageProblem]:
    problems = []
    for b, bot in enumerate(_list(manifest.get("bots"))):
        if not isinstance(bot, dict):
            continue
        bot_scopes = set(_list(bot.get("scopes")))
        seen_scopes: dict[str, int] = {}
        for i, lst in enumerate(_list(bot.get("commandLists"))):
            if not isinstance(lst, dict):
                continue
            base: list[str | int] = ["bots", b, "commandLists", i]
            for scope in _list(lst.get("scopes")):
                if scope not in bot_scopes:
                    problems.append(
                        PackageProblem(
                            "manifest.json",
                            json_path([*base, "scopes"]),
                            f"scope {scope!r} is not one of the bot's scopes",
                        )
                    )
                if scope in seen_scopes:
                    problems.append(
                        PackageProblem(
                            "manifest.json",
                            json_path([*base, "scopes"]),
                            f"scope {scope!r} already has a command list "
                            f"(commandLists[{seen_scopes[scope]}]): one list per scope",
                        )
                    )
                seen_scopes.setdefault(scope, i)
            commands = _list(lst.get("commands"))
            if len(commands) > MAX_COMMANDS:
                problems.append(
                    PackageProblem(
                        "manifest.json",
                        json_path([*base, "commands"]),
                        f"{len(commands)} commands; Teams shows at most {MAX_COMMANDS} per list",
                    )
                )
            titles: dict[str, int] = {}
            for c, command in enumerate(commands):
                if not isinstance(command, dict):
                    continue
                where: list[str | int] = [*base, "commands", c]
                problems += _text(
                    "manifest.json", [*where, "title"], command.get("title"), MAX_COMMAND_TITLE
                )
                problems += _text(
                    "manifest.json",
                    [*where, "description"],
                    command.get("description"),
                    MAX_COMMAND_DESCRIPTION,
                )
                title = str(command.get("title", "")).strip().lower()
                if title in titles:
                    problems.append(
                        PackageProblem(
                            "manifest.json",
                            json_path([*where, "title"]),
                            f"same title as commands[{titles[title]}]",
                        )
                    )
                titles.setdefault(title, c)
    return problems


def _domains(manifest: dict[str, Any], bot_host: str | None) -> list[PackageProblem]:
    problems = []
    domains = _list(manifest.get("validDomains"))
    for i, domain in enumerate(domains):
        path = json_path(["validDomains", i])
        if not isinstance(domain, str) or PLACEHOLDER_RE.search(domain):
            continue
        if "://" in domain or "/" in domain:
            problems.append(
                PackageProblem(
                    "manifest.json", path, f"{domain!r}: a host name only, no scheme or path"
                )
            )
        elif _is_local(domain):
            problems.append(
                PackageProblem(
                    "manifest.json",
                    path,
                    f"{domain!r} is not a public domain name: set PUBLIC_BASE_URL to the https "
                    "address Teams reaches the bot at",
                )
            )
        elif not DOMAIN_RE.match(domain):
            problems.append(
                PackageProblem(
                    "manifest.json",
                    path,
                    f"{domain!r} is not a domain name Teams accepts (lower case, like bot.example.org "
                    "or *.example.org)",
                )
            )
    if (
        bot_host
        and bot_host not in domains
        and not any(
            isinstance(d, str) and d.startswith("*.") and bot_host.endswith(d[1:]) for d in domains
        )
    ):
        problems.append(
            PackageProblem(
                "manifest.json", "$.validDomains", f"must include the bot's host {bot_host!r}"
            )
        )
    return problems


def _developer_urls(manifest: dict[str, Any]) -> list[PackageProblem]:
    """The links Teams shows on the app's page must be https (the schema accepts http)."""
    developer = manifest.get("developer")
    if not isinstance(developer, dict):
        return []
    return [
        PackageProblem(
            "manifest.json", json_path(["developer", key]), f"{url!r}: Teams needs an https link"
        )
        for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl")
        if isinstance(url := developer.get(key), str) and url.lower().startswith("http://")
    ]


def _root_files(manifest: dict[str, Any]) -> list[PackageProblem]:
    problems = []
    for parts, value in manifest_files(manifest):
        if "/" in value or "\\" in value:
            problems.append(
                PackageProblem(
                    "manifest.json", json_path(parts), f"{value!r}: files sit at the package root"
                )
            )
    return problems


def manifest_files(manifest: Mapping[str, Any]) -> list[tuple[list[str | int], str]]:
    """The files the manifest names (icons, localization files), with their JSON paths."""
    files: list[tuple[list[str | int], str]] = []
    icons = manifest.get("icons")
    if isinstance(icons, dict):
        for name in ("color", "outline", "color32x32"):
            if isinstance(icons.get(name), str):
                files.append((["icons", name], icons[name]))
    info = manifest.get("localizationInfo")
    if isinstance(info, dict):
        if isinstance(info.get("defaultLanguageFile"), str):
            files.append((["localizationInfo", "defaultLanguageFile"], info["defaultLanguageFile"]))
        for i, lang in enumerate(_list(info.get("additionalLanguages"))):
            if isinstance(lang, dict) and isinstance(lang.get("file"), str):
                files.append((["localizationInfo", "additionalLanguages", i, "file"], lang["file"]))
    return files


# -- helpers --------------------------------------------------------------------------------------


def _is_local(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(host.split(":")[0])
    except ValueError:
        return False
    return True


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dotted(document: Mapping[str, Any], key: str) -> Any:
    node: Any = document
    for part in key.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _command(manifest: Mapping[str, Any], bot: int, lst: int, cmd: int) -> dict[str, Any] | None:
    try:
        command = manifest["bots"][bot]["commandLists"][lst]["commands"][cmd]
    except (KeyError, IndexError, TypeError):
        return None
    return command if isinstance(command, dict) else None


def _strings(node: Any, parts: tuple[str | int, ...] = ()) -> Iterator[tuple[list[str | int], str]]:
    if isinstance(node, str):
        yield list(parts), node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*parts, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, (*parts, i))
