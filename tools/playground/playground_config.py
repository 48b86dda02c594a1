"""Generate `.m365agentsplayground.yml` for the Microsoft 365 Agents Playground (local mode).

The Playground (npm `@microsoft/m365agentsplayground` 0.2.28) validates this file against its
bundled JSON schema (config version "0.1.1", see NOTES.md):

- exactly 5 entries in `users` besides `currentUser` (minItems = maxItems = 5);
- one personal chat, one group chat (all users are in it), one team whose General channel has the
  team's id, plus at most ONE more channel;
- no extra keys anywhere (additionalProperties: false): there is no locale or time zone field.

So the activity locale and time zone are not part of this file. `PlaygroundSetup` carries them
for the tools that do apply them: `locale_proxy.py` rewrites `locale` on the way to the bot, and
the Playground takes its `localTimezone` from the TZ environment variable of its own process.

Usage:
    python tools/playground/playground_config.py                 # rewrite the committed config
    python tools/playground/playground_config.py --current-user kwame.mensah@un.org -o /tmp/x.yml
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

CONFIG_FILE_NAME = ".m365agentsplayground.yml"
CONFIG_VERSION = "0.1.1"
HERE = Path(__file__).resolve().parent

TENANT_ID = "610432d8-1caa-428e-be8c-cecede373dc6"


@dataclasses.dataclass(frozen=True)
class PlaygroundUser:
    """A person of the mock tenant. `id` is the Teams channel account id (`from.id`)."""

    id: str
    name: str
    given_name: str
    surname: str
    email: str
    aad_object_id: str

    @property
    def upn(self) -> str:
        return self.email

    def to_yaml(self) -> dict[str, str]:
        # The Playground's key really is spelled "userPrincipleName".
        return {
            "id": self.id,
            "name": self.name,
            "userPrincipleName": self.upn,
            "aadObjectId": self.aad_object_id,
            "givenName": self.given_name,
            "surname": self.surname,
            "email": self.email,
        }


@dataclasses.dataclass(frozen=True)
class PlaygroundChannel:
    id: str
    name: str


@dataclasses.dataclass(frozen=True)
class PlaygroundTeam:
    """A team. Its General channel always exists and its conversation id is the team `id`."""

    id: str
    name: str
    aad_group_id: str
    channels: tuple[PlaygroundChannel, ...] = ()


@dataclasses.dataclass(frozen=True)
class PlaygroundBot:
    id: str
    name: str


def _user(key: str, given: str, surname: str, email: str, aad: str) -> PlaygroundUser:
    return PlaygroundUser(
        id=f"29:{key}",
        name=f"{given} {surname}",
        given_name=given,
        surname=surname,
        email=email,
        aad_object_id=aad,
    )


# Fictitious UN-Habitat staff. GUIDs are fixed so that tests and stored data stay stable.
AMINA = _user(
    "amina-wanjiru",
    "Amina",
    "Wanjiru",
    "amina.wanjiru@un.org",
    "4f39e9cf-f3b8-41da-92e5-5d8a0203a448",
)
JEAN = _user(
    "jean-moreau", "Jean", "Moreau", "jean.moreau@un.org", "b85226c2-c2b8-40a9-9ab1-a76e156b7dd6"
)
LUCIA = _user(
    "lucia-fernandez",
    "Lucía",
    "Fernández",
    "lucia.fernandez@un.org",
    "65d4b126-87ac-4b6f-b139-2409c04d9e22",
)
KWAME = _user(
    "kwame-mensah", "Kwame", "Mensah", "kwame.mensah@un.org", "3a38b128-ea02-47ac-af53-3e848f64be2a"
)
PRIYA = _user(
    "priya-raman", "Priya", "Raman", "priya.raman@un.org", "736ff60c-684e-45b9-a08b-2b57081087d0"
)
SOFIA = _user(
    "sofia-lindqvist",
    "Sofia",
    "Lindqvist",
    "sofia.lindqvist@un.org",
    "2429f36e-0a8c-46e7-a3d5-5cc19a7854d9",
)

#: Everyone in the default mock tenant; the first one is the default current user.
UN_HABITAT_STAFF: tuple[PlaygroundUser, ...] = (AMINA, JEAN, LUCIA, KWAME, PRIYA, SOFIA)

DEFAULT_BOT = PlaygroundBot(id="28:c651854a-3d7e-4e9d-816e-496f7ed71ac8", name="CoP Bot")

UBS_TEAM = PlaygroundTeam(
    id="19:ubs-cop-general@thread.tacv2",
    name="Urban Basic Services CoP",
    aad_group_id="88f17808-e0c1-40d0-b101-0c5a3efa21b4",
    channels=(
        PlaygroundChannel(id="19:ubs-cop-climate-change@thread.tacv2", name="Climate Change"),
    ),
)

GROUP_CHAT_ID = "19:ubs-cop-group-chat@thread.v2"
GROUP_CHAT_NAME = "UBS CoP focal points"


@dataclasses.dataclass(frozen=True)
class PlaygroundSetup:
    """Everything a Playground run needs: the YAML content plus what the YAML cannot hold.

    `locale` / `timezone` are applied outside the YAML (locale proxy, TZ environment variable).
    """

    people: tuple[PlaygroundUser, ...] = UN_HABITAT_STAFF
    current_user: str | None = None  # id, email or aadObjectId of one of `people`; default first
    team: PlaygroundTeam = UBS_TEAM
    bot: PlaygroundBot = DEFAULT_BOT
    tenant_id: str = TENANT_ID
    locale: str = "en-US"
    timezone: str | None = None
    group_chat_id: str = GROUP_CHAT_ID
    group_chat_name: str = GROUP_CHAT_NAME
    personal_chat_id: str | None = None  # default: derived from the current user

    def me(self) -> PlaygroundUser:
        if self.current_user is None:
            return self.people[0]
        return find_user(self.people, self.current_user)

    def others(self) -> tuple[PlaygroundUser, ...]:
        me = self.me()
        return tuple(u for u in self.people if u != me)

    def personal_chat(self) -> str:
        return self.personal_chat_id or f"a:1copbot-personal-{self.me().aad_object_id}"

    def to_dict(self) -> dict:
        return build_config(
            current_user=self.me(),
            users=self.others(),
            team=self.team,
            bot=self.bot,
            tenant_id=self.tenant_id,
            personal_chat_id=self.personal_chat(),
            group_chat_id=self.group_chat_id,
            group_chat_name=self.group_chat_name,
        )

    def write(self, directory: Path | str) -> Path:
        """Write `<directory>/.m365agentsplayground.yml` and return its path."""
        return write_config(Path(directory) / CONFIG_FILE_NAME, self.to_dict(), locale=self.locale)


def find_user(people: Iterable[PlaygroundUser], key: str) -> PlaygroundUser:
    """The user whose id, email, UPN, aadObjectId or display name equals `key` (case-insensitive)."""
    k = key.casefold()
    for u in people:
        if k in {
            u.id.casefold(),
            u.email.casefold(),
            u.aad_object_id.casefold(),
            u.name.casefold(),
        }:
            return u
    raise KeyError(f"no user {key!r} among {[u.email for u in people]}")


def build_config(
    *,
    current_user: PlaygroundUser,
    users: Sequence[PlaygroundUser],
    team: PlaygroundTeam = UBS_TEAM,
    bot: PlaygroundBot = DEFAULT_BOT,
    tenant_id: str = TENANT_ID,
    personal_chat_id: str | None = None,
    group_chat_id: str = GROUP_CHAT_ID,
    group_chat_name: str = GROUP_CHAT_NAME,
) -> dict:
    """The config as a dict, checked against the Playground's schema and business rules."""
    if len(users) != 5:
        raise ValueError(
            f"the Playground needs exactly 5 users besides the current user, got {len(users)}"
        )
    if len(team.channels) > 1:
        raise ValueError("the Playground supports General plus at most one more channel")
    if len(bot.name) > 42:
        raise ValueError("bot name: at most 42 characters")
    ids = [current_user.id, *(u.id for u in users)]
    if len(set(ids)) != len(ids):
        raise ValueError(f"user ids must be unique: {ids}")
    personal_chat_id = personal_chat_id or f"a:1copbot-personal-{current_user.aad_object_id}"
    conv_ids = [personal_chat_id, group_chat_id, team.id, *(c.id for c in team.channels)]
    if len(set(conv_ids)) != len(conv_ids):
        raise ValueError(f"chat, team and channel ids must be unique: {conv_ids}")
    return {
        "version": CONFIG_VERSION,
        "tenantId": tenant_id,
        "bot": {"id": bot.id, "name": bot.name},
        "currentUser": current_user.to_yaml(),
        "users": [u.to_yaml() for u in users],
        "personalChat": {"id": personal_chat_id},
        "groupChat": {"id": group_chat_id, "name": group_chat_name},
        "team": {
            "id": team.id,
            "name": team.name,
            "aadGroupId": team.aad_group_id,
            "channels": [{"id": c.id, "name": c.name} for c in team.channels],
        },
    }


HEADER = """\
# Microsoft 365 Agents Playground config for CoP Bot local mode (`make run`, e2e tests).
# GENERATED by tools/playground/playground_config.py -- edit that file, then regenerate:
#   .venv/bin/python tools/playground/playground_config.py
# Schema: config version 0.1.1 bundled in @microsoft/m365agentsplayground 0.2.28 (see NOTES.md).
# There is no locale field: activities carry locale "en-US" unless they pass through
# tools/playground/locale_proxy.py (intended locale for this file: {locale}).
"""


def render_yaml(config: dict, *, locale: str = "en-US") -> str:
    body = yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)
    return HEADER.format(locale=locale) + body


def write_config(path: Path | str, config: dict, *, locale: str = "en-US") -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_yaml(config, locale=locale), encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("-o", "--output", default=str(HERE / CONFIG_FILE_NAME))
    p.add_argument("--current-user", help="id, email or aadObjectId of the current user")
    p.add_argument("--locale", default="en-US", help="recorded in the header only")
    args = p.parse_args(argv)
    setup = PlaygroundSetup(current_user=args.current_user, locale=args.locale)
    path = write_config(args.output, setup.to_dict(), locale=setup.locale)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
