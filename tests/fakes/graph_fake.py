"""An in-memory Microsoft Graph v1.0 for tests: a real HTTP server on 127.0.0.1.

It answers the directory endpoints CoP Bot uses the way Graph does (status codes, error JSON,
paging, ``$batch``) and records every request it receives, so a test asserts what Graph would
have got. Faults (throttling, outages, slow answers, refused permissions, expired tokens) are
injected with plain Python methods; ``hold`` keeps requests waiting until the test releases them
(before or after they took effect), so a test can stop a client at an exact point.

    async with GraphFake() as graph:
        alice = graph.add_user("Alice", mail="alice@example.org", job_title="Urban planner")
        team = graph.add_group("PLG", members=[alice.id])
        graph.throttle(times=1, retry_after=0.2, path="/groups/*/members/$ref")
        ...  # point the client at graph.base_url ("http://127.0.0.1:<port>/v1.0")
        assert graph.http_requests("POST", "/groups/*/members/$ref")[0].status == 429

Paths in the fault API and in recorded requests are relative to ``/v1.0`` (``/users/abc``);
patterns are shell globs (``fnmatch``), so ``$`` needs no escaping.

Graph behaviour mirrored here (Microsoft Graph documentation, "Add members" and friends):
- ``POST /groups/{id}/members/$ref`` → 204; already a member → 400 ``Request_BadRequest``
  "One or more added object references already exist for the following modified properties:
  'members'."; unknown user or group → 404 ``Request_ResourceNotFound`` naming the missing id.
- ``PATCH /groups/{id}`` with ``members@odata.bind`` (≤ 20): all or nothing: "If an error
  condition exists in the request body, no members are added and the appropriate response code
  is returned" (same 400 / 404 as above).
- ``$batch``: ≤ 20 requests, each answered on its own (a 429 inside a batch is per item, with
  its own ``Retry-After``); responses may come back in any order (this fake reverses them by
  default so clients must match on ``id``); a body needs a ``Content-Type`` header.
- ``POST /users/{id}/checkMemberGroups``: ≤ 20 group ids; returns those the user belongs to;
  group ids that do not exist are simply absent (Microsoft 365 groups have no nesting, so
  transitive membership is direct membership).
- Collections page with ``@odata.nextLink`` carrying an opaque ``$skiptoken``; ``$top`` must be
  1..999 (default page 100).
- Teams app installation for a user (``TEAMWORK`` below), group membership delta
  (``tests/fakes/graph_delta.py``), Teams members (``TEAMS_MEMBERS``), ``accountEnabled`` and
  deleted users: see the sections further down, each with its page.

Permissions: by default the app holds every permission (as it always did). ``grant_only(...)`` /
``revoke(...)`` make it hold fewer; a call then gets Graph's 403: ``Authorization_RequestDenied``
"Insufficient privileges to complete the operation." for directory calls, and for Teams calls
(``/teams``, ``/appCatalogs``, ``.../teamwork``) ``Forbidden`` "Missing role permissions on the
request. API requires one of '...'. Roles on the request '...'." (what Teams APIs answer).

Drift, as an owner or an admin makes it: ``add_member`` / ``remove_member`` (or write
``group.members`` directly), ``disable_user``, ``delete_user``, ``delete_group``; the next delta
round reports it. ``count(method, path)`` counts requests per path (one delta request per CoP).
"""

from __future__ import annotations

import asyncio
import base64
import collections
import fnmatch
import itertools
import json
import re
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from aiohttp import web

from copbot.clock import Clock, SystemClock
from tests.fakes.graph_delta import (
    EXPIRED_MESSAGE,
    RESET_MESSAGE,
    TOKEN_LIFETIME_SECONDS,
    DeltaEngine,
    DeltaState,
)

ALREADY_EXISTS_MESSAGE = (
    "One or more added object references already exist for the following modified properties: "
    "'members'."
)
GRAPH_CONTENT_TYPE = (
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;"
    "charset=utf-8"
)
MAX_BATCH = 20
MAX_BIND = 20
MAX_CHECK_GROUPS = 20
DEFAULT_PAGE = 100
MAX_TOP = 999

# The properties Graph returns for a user when no $select is given (v1.0 default set).
DEFAULT_USER_PROPERTIES = (
    "businessPhones",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
    "id",
)
KNOWN_USER_PROPERTIES = frozenset(
    [*DEFAULT_USER_PROPERTIES, "accountEnabled", "department", "companyName", "country"]
)
KNOWN_GROUP_PROPERTIES = frozenset(
    {
        "id",
        "displayName",
        "description",
        "mail",
        "mailEnabled",
        "mailNickname",
        "securityEnabled",
        "groupTypes",
        "visibility",
    }
)

Scope = Literal["http", "batch", "any"]
_REF_RE = re.compile(r"^https?://[^/]+/(?:v1\.0|beta)/(?:directoryObjects|users)/([^/?#]+)$")
_USER_BIND_RE = re.compile(r"^https?://[^/]+/(?:v1\.0|beta)/users(?:\('([^']+)'\)|/([^/?#]+))$")
_APP_BIND_RE = re.compile(r"^https?://[^/]+/(?:v1\.0|beta)/appCatalogs/teamsApps/([^/?#]+)$")

# Pages of the Teams-side calls (each handler says which it follows).
TEAMWORK = (
    "https://learn.microsoft.com/microsoftteams/platform/graph-api/proactive-bots-and-messages/"
    "graph-proactive-bots-and-messages"
)
INSTALL_FOR_USER = "https://learn.microsoft.com/graph/api/userteamwork-post-installedapps"
LIST_USER_APPS = "https://learn.microsoft.com/graph/api/userteamwork-list-installedapps"
INSTALLATION_CHAT = "https://learn.microsoft.com/graph/api/userscopeteamsappinstallation-get-chat"
LIST_CATALOG = "https://learn.microsoft.com/graph/api/appcatalogs-list-teamsapps"
TEAMS_MEMBERS = "https://learn.microsoft.com/graph/api/team-post-members"
TEAMS_BULK_ADD = "https://learn.microsoft.com/graph/api/conversationmembers-add"
MAX_TEAM_BULK_ADD = 200  # "up to 200 members" per bulk add (FACTS.md; not on the v1.0 page)

# Application permissions each call accepts ("one of", least privileged first); a call lists one
# tuple per permission it needs.
_READ_USERS = ("User.Read.All", "User.ReadBasic.All", "Directory.Read.All", "User.ReadWrite.All")
_READ_MEMBERS = (
    "GroupMember.Read.All",
    "Group.Read.All",
    "GroupMember.ReadWrite.All",
    "Group.ReadWrite.All",
    "Directory.Read.All",
)
_WRITE_MEMBERS = ("GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All")
_READ_CATALOG = ("AppCatalog.Read.All", "AppCatalog.ReadWrite.All")
_INSTALL_SELF = (
    "TeamsAppInstallation.ReadWriteSelfForUser.All",
    "TeamsAppInstallation.ReadWriteForUser.All",
)
_READ_INSTALLS = (*_INSTALL_SELF, "TeamsAppInstallation.ReadForUser.All")
_WRITE_TEAM_MEMBERS = ("TeamMember.ReadWrite.All",)
ALL_PERMISSIONS = frozenset(
    [
        *_READ_USERS,
        *_READ_MEMBERS,
        *_WRITE_MEMBERS,
        *_READ_CATALOG,
        *_READ_INSTALLS,
        *_WRITE_TEAM_MEMBERS,
    ]
)


# ----------------------------------------------------------------------------- data


@dataclass
class FakeUser:
    id: str
    display_name: str
    mail: str | None = None
    user_principal_name: str | None = None
    job_title: str | None = None
    office_location: str | None = None
    given_name: str | None = None
    surname: str | None = None
    department: str | None = None
    account_enabled: bool = True

    def graph_json(self) -> dict[str, Any]:
        return {
            "businessPhones": [],
            "displayName": self.display_name,
            "givenName": self.given_name,
            "jobTitle": self.job_title,
            "mail": self.mail,
            "mobilePhone": None,
            "officeLocation": self.office_location,
            "preferredLanguage": None,
            "surname": self.surname,
            "userPrincipalName": self.user_principal_name,
            "id": self.id,
            "accountEnabled": self.account_enabled,
            "department": self.department,
            "companyName": None,
            "country": None,
        }


@dataclass
class FakeGroup:
    id: str
    display_name: str
    description: str | None = None
    # dict as an ordered set: Graph lists members in a stable order
    members: dict[str, None] = field(default_factory=dict)

    def graph_json(self) -> dict[str, Any]:
        nickname = re.sub(r"[^A-Za-z0-9]", "", self.display_name) or "group"
        return {
            "id": self.id,
            "displayName": self.display_name,
            "description": self.description,
            "mail": f"{nickname}@example.org",
            "mailEnabled": True,
            "mailNickname": nickname,
            "securityEnabled": False,
            "groupTypes": ["Unified"],
            "visibility": "Private",
        }


@dataclass
class FakeTeamsApp:
    """An app of the organisation's catalog: `id` is the catalog's, `external_id` the manifest's."""

    id: str
    external_id: str
    display_name: str = "CoP Bot"
    distribution_method: str = "organization"
    bot_id: str = ""  # the bot's app id: the 1:1 chat id is 19:<user>_<bot>@unq.gbl.spaces

    def graph_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "externalId": self.external_id,
            "displayName": self.display_name,
            "distributionMethod": self.distribution_method,
        }


@dataclass
class FakeInstallation:
    id: str
    user_id: str
    app_id: str
    chat_id: str


@dataclass
class FakeTeam:
    """A team: its id is its group's id, its members are the group's members (one list)."""

    id: str
    owners: set[str] = field(default_factory=set)
    # per-user failures of the bulk add: user id -> (code, message)
    refused_members: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class RecordedRequest:
    """One request as Graph received it. ``status`` is None while it is still being answered."""

    method: str
    path: str  # relative to /v1.0, percent-decoded: "/groups/g1/members/$ref"
    query: dict[str, str]  # decoded: {"$select": "id", "$top": "2"}
    headers: dict[str, str]  # keys lower-cased
    body: Any  # parsed JSON, the raw text if it was not JSON, or None
    url: str  # as received (top level: absolute; batch item: the item's relative url)
    in_batch: bool = False
    batch_item_id: str | None = None
    received_at: float = field(default_factory=time.monotonic)
    status: int | None = None

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def authorization(self) -> str | None:
        return self.header("authorization")


@dataclass
class Fault:
    """An injected answer. ``remaining`` None = until removed with ``clear_faults``."""

    status: int | None
    remaining: int | None
    method: str | None = None
    path: str | None = None
    scope: Scope = "http"
    retry_after: float | str | None = None
    delay: float = 0.0
    code: str | None = None
    message: str | None = None
    hits: int = 0
    # True: the request takes effect first (Graph did it); only the answer is delayed / held.
    after: bool = False
    # Set: matching requests wait for it (``release()``) before going on.
    gate: asyncio.Event | None = None
    # Set when a matching request arrived (``await fault.arrived.wait()``).
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def release(self) -> None:
        """Let held requests go on (see ``GraphFake.hold``)."""
        if self.gate is not None:
            self.gate.set()

    def matches(self, method: str, path: str, in_batch: bool) -> bool:
        if self.remaining is not None and self.remaining <= 0:
            return False
        if self.scope == "http" and in_batch:
            return False
        if self.scope == "batch" and not in_batch:
            return False
        if self.method and self.method.upper() != method.upper():
            return False
        return not (self.path and not fnmatch.fnmatchcase(path, self.path))


@dataclass
class _Answer:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class _GraphError(Exception):
    def __init__(
        self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


def _not_found(object_id: str) -> _GraphError:
    return _GraphError(
        404,
        "Request_ResourceNotFound",
        f"Resource '{object_id}' does not exist or one of its queried reference-property "
        "objects are not present.",
    )


def _bad_request(message: str, code: str = "Request_BadRequest") -> _GraphError:
    return _GraphError(400, code, message)


def _format_retry_after(value: float | str) -> str:
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# ----------------------------------------------------------------------------- server


class GraphFake:
    """Microsoft Graph v1.0 on 127.0.0.1 (random free port). Use ``async with`` or start/stop."""

    def __init__(
        self,
        *,
        max_page_size: int | None = None,
        shuffle_batch_responses: bool = True,
        public_base: str = "https://graph.microsoft.com/v1.0",
        link_base: str | None = None,
        clock: Clock | None = None,
        delta_page_size: int = 100,
        tenant_id: str = "00000000-0000-0000-0000-0000000000aa",
    ) -> None:
        self.users: dict[str, FakeUser] = {}
        self.groups: dict[str, FakeGroup] = {}
        self.deleted_users: dict[str, FakeUser] = {}
        self.teams: dict[str, FakeTeam] = {}
        self.apps: dict[str, FakeTeamsApp] = {}  # the org catalog, by catalog id
        self.installations: dict[str, FakeInstallation] = {}  # by installation id
        # Called with the user id when the app is installed for someone (e.g. connector.install).
        self.on_install: list[Callable[[str], None]] = []
        # None: the app holds every permission; else only these (see grant_only / revoke).
        self.permissions: set[str] | None = None
        self.clock: Clock = clock or SystemClock()  # delta token ages
        self.delta = DeltaEngine(page_size=delta_page_size)
        self.tenant_id = tenant_id
        self.requests: list[RecordedRequest] = []
        self.faults: list[Fault] = []
        # Server-side cap on a page, below what $top asks for (Graph may return fewer items).
        self.max_page_size = max_page_size
        self.shuffle_batch_responses = shuffle_batch_responses
        self.public_base = public_base
        # Base of the @odata.nextLink URLs it hands out (default: its own base_url).
        self.link_base = link_base
        self._accepted_tokens: set[str] | None = None  # None: any non-empty bearer token
        self._expired_tokens: set[str] = set()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> GraphFake:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_route("*", "/v1.0/{tail:.*}", self._handle_http)
        app.router.add_route("*", "/{tail:.*}", self._handle_outside_version)
        # handler_cancellation: a client that gave up (timeout) cancels a delayed answer.
        self._runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=0.5, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self._port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> GraphFake:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("GraphFake is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """What a client uses as its Graph base URL: ``http://127.0.0.1:<port>/v1.0``."""
        return f"http://127.0.0.1:{self.port}/v1.0"

    # -- seeding -----------------------------------------------------------------------------

    def add_user(
        self,
        display_name: str,
        *,
        id: str | None = None,  # Graph's name
        mail: str | None = None,
        user_principal_name: str | None = None,
        job_title: str | None = None,
        office_location: str | None = None,
        department: str | None = None,
    ) -> FakeUser:
        user_id = id or str(uuid.uuid4())
        upn = user_principal_name or mail or f"{user_id}@example.onmicrosoft.com"
        first, _, last = display_name.partition(" ")
        user = FakeUser(
            id=user_id,
            display_name=display_name,
            mail=mail,
            user_principal_name=upn,
            job_title=job_title,
            office_location=office_location,
            given_name=first or None,
            surname=last or None,
            department=department,
        )
        self.users[user_id] = user
        return user

    def add_group(
        self,
        display_name: str = "Community of Practice",
        *,
        id: str | None = None,  # Graph's name
        members: Iterable[str] = (),
        description: str | None = None,
    ) -> FakeGroup:
        group = FakeGroup(
            id=id or str(uuid.uuid4()), display_name=display_name, description=description
        )
        for member in members:
            if member not in self.users:
                raise KeyError(f"seed the user {member!r} before making it a member")
            group.members[member] = None
        self.groups[group.id] = group
        return group

    def member_ids(self, group_id: str) -> list[str]:
        return list(self.groups[group_id].members)

    # -- drift, as owners and admins make it ---------------------------------------------------

    def add_member(self, group_id: str, user_id: str) -> None:
        """Someone (an owner in Teams, an admin) adds a member outside the bot."""
        if user_id not in self.users:
            raise KeyError(f"seed the user {user_id!r} first")
        self.groups[group_id].members[user_id] = None

    def remove_member(self, group_id: str, user_id: str) -> None:
        self.groups[group_id].members.pop(user_id, None)
        team = self.teams.get(group_id)
        if team is not None:
            team.owners.discard(user_id)

    def disable_user(self, user_id: str) -> None:
        """accountEnabled false (the person left; the account still exists and keeps its groups)."""
        self.users[user_id].account_enabled = False

    def enable_user(self, user_id: str) -> None:
        self.users[user_id].account_enabled = True

    def delete_user(self, user_id: str) -> None:
        """The account is deleted: 404 Request_ResourceNotFound from now on, out of every group."""
        self.deleted_users[user_id] = self.users.pop(user_id)
        for group in self.groups.values():
            group.members.pop(user_id, None)
        for team in self.teams.values():
            team.owners.discard(user_id)

    def delete_group(self, group_id: str) -> None:
        del self.groups[group_id]
        self.teams.pop(group_id, None)

    # -- Teams: apps, installations, teams -----------------------------------------------------

    def add_teams_app(
        self,
        external_id: str,
        *,
        id: str | None = None,  # Graph's name: the catalog id
        display_name: str = "CoP Bot",
        bot_id: str | None = None,
    ) -> FakeTeamsApp:
        """Publish the app in the organisation's catalog (`external_id` = the manifest id)."""
        app = FakeTeamsApp(
            id=id or str(uuid.uuid4()),
            external_id=external_id,
            display_name=display_name,
            bot_id=bot_id or external_id,
        )
        self.apps[app.id] = app
        return app

    def install_app(self, user_id: str, app_id: str) -> FakeInstallation:
        """The app is (already) installed for the user, e.g. they added it themselves."""
        app = self.apps[app_id]
        installation = FakeInstallation(
            id=base64.b64encode(f"{user_id}##{app_id}".encode()).decode(),
            user_id=user_id,
            app_id=app_id,
            chat_id=f"19:{user_id}_{app.bot_id}@unq.gbl.spaces",
        )
        self.installations[installation.id] = installation
        for hook in self.on_install:
            hook(user_id)
        return installation

    def installed_app_ids(self, user_id: str) -> list[str]:
        return [i.app_id for i in self.installations.values() if i.user_id == user_id]

    def add_team(self, group_id: str, *, owners: Iterable[str] = ()) -> FakeTeam:
        """The group has a team (same id); its members are the group's."""
        if group_id not in self.groups:
            raise KeyError(f"seed the group {group_id!r} first")
        team = FakeTeam(id=group_id, owners=set(owners))
        self.teams[group_id] = team
        return team

    def refuse_team_member(
        self, team_id: str, user_id: str, code: str = "Forbidden", message: str = ""
    ) -> None:
        """The bulk add answers this user with a per-item error (a partial failure)."""
        self.teams[team_id].refused_members[user_id] = (code, message)

    # -- permissions -------------------------------------------------------------------------

    def grant_only(self, *permissions: str) -> None:
        """The app registration holds exactly these application permissions."""
        self.permissions = set(permissions)

    def grant(self, *permissions: str) -> None:
        if self.permissions is not None:
            self.permissions.update(permissions)

    def revoke(self, *permissions: str) -> None:
        """E.g. ``revoke("TeamMember.ReadWrite.All")``: calls needing it get Graph's 403."""
        held = set(ALL_PERMISSIONS) if self.permissions is None else self.permissions
        self.permissions = held - set(permissions)

    # -- delta tokens ------------------------------------------------------------------------

    def expire_delta_tokens(self) -> None:
        """Every deltaLink handed out so far is now expired (410 syncStateNotFound)."""
        self.delta.expire_all()

    def reset_delta_sync(self) -> None:
        """Graph's "synchronization reset": the next deltaLink round answers 410 with a
        Location header holding the initial query (code resyncRequired)."""
        self.delta.reset_pending = True

    # -- tokens ------------------------------------------------------------------------------

    def accept_tokens(self, *tokens: str) -> None:
        """From now on only these bearer tokens are valid (others get 401)."""
        self._accepted_tokens = set(tokens)

    def expire_token(self, token: str) -> None:
        """This token now gets 401 InvalidAuthenticationToken "Access token has expired..."."""
        self._expired_tokens.add(token)

    # -- faults ------------------------------------------------------------------------------

    def inject(
        self,
        status: int | None,
        *,
        times: int | None = 1,
        method: str | None = None,
        path: str | None = None,
        scope: Scope = "http",
        retry_after: float | str | None = None,
        delay: float = 0.0,
        code: str | None = None,
        message: str | None = None,
    ) -> Fault:
        """Answer the next ``times`` matching requests with ``status`` (after ``delay`` s).

        ``status=None`` only delays, then answers normally. ``scope`` says where the fault
        applies: "http" (top-level requests, the default), "batch" (items inside ``$batch``),
        "any". Faults are consulted in the order they were added.
        """
        fault = Fault(
            status=status,
            remaining=times,
            method=method,
            path=path,
            scope=scope,
            retry_after=retry_after,
            delay=delay,
            code=code,
            message=message,
        )
        self.faults.append(fault)
        return fault

    def throttle(
        self,
        times: int | None = 1,
        *,
        retry_after: float | str | None = 1,
        method: str | None = None,
        path: str | None = None,
        scope: Scope = "http",
    ) -> Fault:
        """429 TooManyRequests with ``Retry-After`` (seconds; None = no header)."""
        return self.inject(
            429,
            times=times,
            method=method,
            path=path,
            scope=scope,
            retry_after=retry_after,
            code="TooManyRequests",
            message="Too many requests.",
        )

    def unavailable(
        self,
        times: int | None = 1,
        *,
        status: int = 503,
        retry_after: float | str | None = None,
        method: str | None = None,
        path: str | None = None,
        scope: Scope = "http",
    ) -> Fault:
        """503 (or another 5xx) serviceNotAvailable."""
        return self.inject(
            status,
            times=times,
            method=method,
            path=path,
            scope=scope,
            retry_after=retry_after,
            code="serviceNotAvailable",
            message="The service is temporarily unavailable. Please try again later.",
        )

    def delay(
        self,
        seconds: float,
        *,
        times: int | None = 1,
        method: str | None = None,
        path: str | None = None,
        scope: Scope = "http",
    ) -> Fault:
        """Answer normally but only after ``seconds`` (to provoke client timeouts)."""
        return self.inject(None, times=times, method=method, path=path, scope=scope, delay=seconds)

    def hold(
        self,
        *,
        times: int | None = 1,
        method: str | None = None,
        path: str | None = None,
        scope: Scope = "http",
        after: bool = False,
    ) -> Fault:
        """Keep the next ``times`` matching requests waiting until ``fault.release()``.

        ``after=False``: nothing has happened yet while they wait (a client that gives up meanwhile
        changed nothing). ``after=True``: the request takes effect at once (say, the member is
        added) and only its answer waits: Graph did the work, the caller does not know yet.
        ``fault.arrived`` is set when the first one comes in; its record has ``status`` None
        until it is answered.
        """
        fault = self.inject(None, times=times, method=method, path=path, scope=scope)
        fault.gate = asyncio.Event()
        fault.after = after
        return fault

    def slow_answer(
        self,
        seconds: float,
        *,
        times: int | None = 1,
        method: str | None = None,
        path: str | None = None,
        scope: Scope = "http",
    ) -> Fault:
        """The request takes effect at once; its answer comes ``seconds`` later (a client that
        times out meanwhile believes it failed, yet Graph did it)."""
        fault = self.inject(None, times=times, method=method, path=path, scope=scope, delay=seconds)
        fault.after = True
        return fault

    def deny(
        self,
        times: int | None = None,
        *,
        method: str | None = None,
        path: str | None = None,
        scope: Scope = "any",
    ) -> Fault:
        """403 Authorization_RequestDenied, as for an app without the needed permission."""
        return self.inject(
            403,
            times=times,
            method=method,
            path=path,
            scope=scope,
            code="Authorization_RequestDenied",
            message="Insufficient privileges to complete the operation.",
        )

    def clear_faults(self) -> None:
        self.faults.clear()

    # -- recorded requests --------------------------------------------------------------------

    def http_requests(
        self, method: str | None = None, path: str | None = None
    ) -> list[RecordedRequest]:
        """Top-level HTTP requests (not the items inside a batch), optionally filtered."""
        return [r for r in self.requests if not r.in_batch and _match(r, method, path)]

    def batch_items(
        self, method: str | None = None, path: str | None = None
    ) -> list[RecordedRequest]:
        """The requests carried inside ``$batch`` calls, optionally filtered."""
        return [r for r in self.requests if r.in_batch and _match(r, method, path)]

    def clear_requests(self) -> None:
        self.requests.clear()

    def count(self, method: str | None = None, path: str | None = None) -> int:
        """How many top-level requests matched (say ``count("GET", "/groups/delta*")``)."""
        return len(self.http_requests(method, path))

    def request_counts(self) -> collections.Counter[tuple[str, str]]:
        """Top-level requests per (method, path)."""
        return collections.Counter((r.method, r.path) for r in self.requests if not r.in_batch)

    # -- HTTP plumbing ------------------------------------------------------------------------

    async def _handle_outside_version(self, request: web.Request) -> web.Response:
        return self._json_error(
            _bad_request(f"Invalid version: {request.path.strip('/').split('/')[0]}", "BadRequest"),
            request.headers,
        )

    async def _handle_http(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        raw = await request.read()
        body = _parse_body(raw)
        record = RecordedRequest(
            method=request.method,
            path=path,
            query=dict(request.query),
            headers={k.lower(): v for k, v in request.headers.items()},
            body=body,
            url=str(request.url),
        )
        self.requests.append(record)
        try:
            self._check_token(request.headers.get("Authorization"))
            await self._apply_fault(request.method, path, in_batch=False)
            if request.method == "POST" and path == "/$batch":
                answer = await self._batch(body, request.headers)
            else:
                answer = await self._dispatch(
                    request.method, path, record.query, body, record.headers
                )
            await self._apply_fault(request.method, path, in_batch=False, after=True)
        except _GraphError as err:
            record.status = err.status
            return self._json_error(err, request.headers)
        record.status = answer.status
        headers = {
            "request-id": str(uuid.uuid4()),
            "client-request-id": request.headers.get("client-request-id", str(uuid.uuid4())),
            **answer.headers,
        }
        if answer.body is None:
            return web.Response(status=answer.status, headers=headers)
        headers.setdefault("Content-Type", GRAPH_CONTENT_TYPE)
        return web.Response(status=answer.status, headers=headers, body=json.dumps(answer.body))

    def _json_error(self, err: _GraphError, request_headers: Mapping[str, str]) -> web.Response:
        request_id = str(uuid.uuid4())
        client_request_id = request_headers.get("client-request-id", str(uuid.uuid4()))
        headers = {
            "Content-Type": GRAPH_CONTENT_TYPE,
            "request-id": request_id,
            "client-request-id": client_request_id,
            **err.headers,
        }
        body = _error_body(err, request_id, client_request_id)
        return web.Response(status=err.status, headers=headers, body=json.dumps(body))

    def _check_token(self, authorization: str | None) -> None:
        challenge = {
            "WWW-Authenticate": 'Bearer realm="", authorization_uri="https://login.microsoftonline.com'
            '/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"'
        }
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _GraphError(
                401, "InvalidAuthenticationToken", "Access token is empty.", challenge
            )
        token = token.strip()
        if token in self._expired_tokens:
            raise _GraphError(
                401,
                "InvalidAuthenticationToken",
                "Access token has expired or is not yet valid.",
                challenge,
            )
        if self._accepted_tokens is not None and token not in self._accepted_tokens:
            raise _GraphError(
                401, "InvalidAuthenticationToken", "Access token validation failure.", challenge
            )

    async def _apply_fault(
        self, method: str, path: str, *, in_batch: bool, after: bool = False
    ) -> None:
        """Sleep, wait and/or raise the first matching fault; return to answer normally.

        ``after``: the faults that act once the request took effect (``hold(after=True)``,
        ``slow_answer``); the others act before."""
        for fault in self.faults:
            if fault.after != after or not fault.matches(method, path, in_batch):
                continue
            if fault.remaining is not None:
                fault.remaining -= 1
            fault.hits += 1
            fault.arrived.set()
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.gate is not None:
                await fault.gate.wait()
            if fault.status is None:
                return
            headers = {}
            if fault.retry_after is not None:
                headers["Retry-After"] = _format_retry_after(fault.retry_after)
            raise _GraphError(
                fault.status,
                fault.code or "generalException",
                fault.message or f"Injected status {fault.status}.",
                headers,
            )

    # -- $batch -------------------------------------------------------------------------------

    async def _batch(self, body: Any, headers: Mapping[str, str]) -> _Answer:
        if not isinstance(body, dict) or not isinstance(body.get("requests"), list):
            raise _bad_request("Invalid batch payload format.", "BadRequest")
        items = body["requests"]
        if not items:
            raise _bad_request("Invalid batch payload format.", "BadRequest")
        if len(items) > MAX_BATCH:
            raise _bad_request(
                f"The number of requests in the batch ({len(items)}) exceeds the limit "
                f"of {MAX_BATCH}.",
                "BadRequest",
            )
        ids = [str(item.get("id")) if isinstance(item, dict) else None for item in items]
        if any(
            not isinstance(item, dict)
            or not item.get("id")
            or not item.get("method")
            or not item.get("url")
            for item in items
        ):
            raise _bad_request("Invalid batch payload format.", "BadRequest")
        if len(set(ids)) != len(ids):
            raise _bad_request("Batch request contains duplicate request ids.", "BadRequest")

        responses = []
        for item in items:
            responses.append(await self._batch_item(item))
        if self.shuffle_batch_responses:
            responses.reverse()
        return _Answer(200, {"responses": responses})

    async def _batch_item(self, item: dict[str, Any]) -> dict[str, Any]:
        item_id = str(item["id"])
        method = str(item["method"]).upper()
        url = str(item["url"])
        parts = urlsplit(url if url.startswith("/") else "/" + url)
        path = unquote(parts.path)
        if path.startswith("/v1.0/"):
            path = path[len("/v1.0") :]
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        item_headers = {str(k).lower(): str(v) for k, v in (item.get("headers") or {}).items()}
        record = RecordedRequest(
            method=method,
            path=path,
            query=query,
            headers=item_headers,
            body=item.get("body"),
            url=url,
            in_batch=True,
            batch_item_id=item_id,
        )
        self.requests.append(record)
        try:
            if "body" in item and "content-type" not in item_headers:
                raise _bad_request(
                    "Content-Type header must be specified when a body is present.", "BadRequest"
                )
            await self._apply_fault(method, path, in_batch=True)
            answer = await self._dispatch(method, path, query, item.get("body"), item_headers)
            await self._apply_fault(method, path, in_batch=True, after=True)
        except _GraphError as err:
            record.status = err.status
            request_id = str(uuid.uuid4())
            return {
                "id": item_id,
                "status": err.status,
                "headers": {"Content-Type": "application/json", **err.headers},
                "body": _error_body(err, request_id, request_id),
            }
        record.status = answer.status
        response: dict[str, Any] = {
            "id": item_id,
            "status": answer.status,
            "headers": {"Cache-Control": "no-cache", "OData-Version": "4.0", **answer.headers},
        }
        if answer.body is not None:
            response["headers"]["Content-Type"] = GRAPH_CONTENT_TYPE
            response["body"] = answer.body
        return response

    # -- routing ------------------------------------------------------------------------------

    async def _dispatch(
        self,
        method: str,
        path: str,
        query: Mapping[str, str],
        body: Any,
        headers: Mapping[str, str],
    ) -> _Answer:
        segments = [s for s in path.split("/") if s]
        m = method.upper()
        need = self._require
        match segments:
            case ["users"] if m == "GET":
                need(_READ_USERS)
                return self._list_users(query)
            case ["users", key] if m == "GET":
                need(_READ_USERS)
                return self._get_user(key, query)
            case ["users" | "directoryObjects", key, "checkMemberGroups"] if m == "POST":
                need(_READ_USERS, _READ_MEMBERS)
                return self._check_member_groups(key, body)
            case ["groups", "delta" | "delta()" | "microsoft.graph.delta()"] if m == "GET":
                need(_READ_MEMBERS)
                return self._groups_delta(query, path)
            case ["groups", gid] if m == "GET":
                need(_READ_MEMBERS)
                return self._get_group(gid, query)
            case ["groups", gid] if m == "PATCH":
                need(_WRITE_MEMBERS)
                return self._patch_group(gid, body)
            case ["groups", gid, "members", "$ref"] if m == "POST":
                need(_WRITE_MEMBERS)
                return self._add_member_ref(gid, body)
            case ["groups", gid, "members", uid, "$ref"] if m == "DELETE":
                need(_WRITE_MEMBERS)
                return self._remove_member_ref(gid, uid)
            case ["groups", gid, "members"] if m == "GET":
                need(_READ_MEMBERS)
                return self._list_members(gid, query, path, cast=False)
            case ["groups", gid, "members", "graph.user" | "microsoft.graph.user"] if m == "GET":
                need(_READ_MEMBERS)
                return self._list_members(gid, query, path, cast=True)
            case ["appCatalogs", "teamsApps"] if m == "GET":
                need(_READ_CATALOG, teams=True)
                return self._list_catalog(query)
            case ["users", key, "teamwork", "installedApps"] if m == "GET":
                need(_READ_INSTALLS, teams=True)
                return self._list_installed(key, query)
            case ["users", key, "teamwork", "installedApps"] if m == "POST":
                need(_INSTALL_SELF, teams=True)
                return self._install(key, body)
            case ["users", key, "teamwork", "installedApps", iid] if m == "DELETE":
                need(_INSTALL_SELF, teams=True)
                return self._uninstall(key, iid)
            case ["users", key, "teamwork", "installedApps", iid, "chat"] if m == "GET":
                need(_INSTALL_SELF, teams=True)
                return self._installation_chat(key, iid)
            case ["teams", tid, "members"] if m == "POST":
                need(_WRITE_TEAM_MEMBERS, teams=True)
                return self._add_team_member(tid, body)
            case ["teams", tid, "members", "add" | "microsoft.graph.add"] if m == "POST":
                need(_WRITE_TEAM_MEMBERS, teams=True)
                return self._add_team_members(tid, body)
            case ["$batch"]:
                raise _bad_request("Nested batch requests are not supported.", "BadRequest")
        if segments and segments[0] in {"users", "groups", "directoryObjects", "teams"}:
            raise _GraphError(
                405, "Request_BadRequest", f"The {m} method is not supported for '{path}' here."
            )
        raise _bad_request(
            f"Resource not found for the segment '{segments[0] if segments else ''}'.", "BadRequest"
        )

    # permissions

    def _require(self, *needs: tuple[str, ...], teams: bool = False) -> None:
        """Each of ``needs`` is satisfied by one of its permissions, or Graph answers 403."""
        if self.permissions is None:
            return
        for one_of in needs:
            if not self.permissions.intersection(one_of):
                if not teams:
                    raise _GraphError(
                        403,
                        "Authorization_RequestDenied",
                        "Insufficient privileges to complete the operation.",
                    )
                raise _GraphError(
                    403,
                    "Forbidden",
                    "Missing role permissions on the request. API requires one of "
                    f"'{', '.join(one_of)}'. Roles on the request "
                    f"'{', '.join(sorted(self.permissions))}'.",
                )

    # group membership delta (tests/fakes/graph_delta.py has the rules and the pages)

    def _groups_delta(self, query: Mapping[str, str], path: str) -> _Answer:
        engine = self.delta
        if "$skiptoken" in query:
            delta_round = engine.rounds.get(query["$skiptoken"])
            if delta_round is None:
                raise _bad_request("Invalid $skiptoken.", "Directory_InvalidSkipToken")
        else:
            since: DeltaState | None = None
            if "$deltatoken" in query:
                since = self._delta_state(query["$deltatoken"], path)
                group_ids, select = since.group_ids, since.select
            else:
                group_ids = _delta_filter(query.get("$filter"))
                select = query.get("$select", "")
            members = {gid: list(g.members) for gid, g in self.groups.items()}
            delta_round = engine.start(members, group_ids, select, self._now(), since)
        page = delta_round.pages[delta_round.next_page]
        delta_round.next_page += 1
        select = delta_round.final.select
        body: dict[str, Any] = {
            "@odata.context": f"{self.public_base}/$metadata#groups({select or '*'})",
            "value": page,
        }
        link = f"{self.link_base or self.base_url}/groups/delta"
        if delta_round.next_page < len(delta_round.pages):
            body["@odata.nextLink"] = f"{link}?$skiptoken={engine.remember_round(delta_round)}"
        else:
            body["@odata.deltaLink"] = f"{link}?$deltatoken={engine.issue_token(delta_round.final)}"
        return _Answer(200, body)

    def _delta_state(self, token: str, path: str) -> DeltaState:
        engine = self.delta
        if engine.reset_pending:
            engine.reset_pending = False
            location = f"{self.link_base or self.base_url}{path}?$deltatoken="
            raise _GraphError(410, "resyncRequired", RESET_MESSAGE, {"Location": location})
        state = engine.tokens.get(token)
        if state is None or self._now() - state.issued_at > TOKEN_LIFETIME_SECONDS:
            raise _GraphError(410, "syncStateNotFound", EXPIRED_MESSAGE)
        return state

    def _now(self) -> float:
        return self.clock.now().timestamp()

    # Teams apps for a user (TEAMWORK, INSTALL_FOR_USER, LIST_USER_APPS, INSTALLATION_CHAT)

    def _list_catalog(self, query: Mapping[str, str]) -> _Answer:
        apps = list(self.apps.values())
        if "$filter" in query:
            clauses = _parse_filter(query["$filter"], {"id", "externalId", "distributionMethod"})
            apps = [a for a in apps if _matches(a.graph_json(), clauses)]
        return _Answer(
            200,
            {
                "@odata.context": f"{self.public_base}/$metadata#appCatalogs/teamsApps",
                "value": [a.graph_json() for a in apps],
            },
        )

    def _installing_user(self, key: str) -> FakeUser:
        user = self._find_user(key)
        if user is None:
            raise _not_found(key)
        return user

    def _list_installed(self, key: str, query: Mapping[str, str]) -> _Answer:
        user = self._installing_user(key)
        found = [i for i in self.installations.values() if i.user_id == user.id]
        rows = []
        for installation in found:
            app = self.apps[installation.app_id].graph_json()
            row: dict[str, Any] = {"id": installation.id, "teamsApp": app}
            rows.append(row)
        if "$filter" in query:
            clauses = _parse_filter(
                query["$filter"], {"teamsApp/id", "teamsApp/externalId", "teamsApp/displayName"}
            )
            rows = [r for r in rows if _matches(_flatten(r), clauses)]
        if query.get("$expand") != "teamsApp":
            rows = [{"id": r["id"]} for r in rows]
        return _Answer(
            200,
            {
                "@odata.context": f"{self.public_base}/$metadata#users('{user.id}')/teamwork/"
                "installedApps",
                "value": rows,
            },
        )

    def _install(self, key: str, body: Any) -> _Answer:
        user = self._installing_user(key)
        ref = body.get("teamsApp@odata.bind") if isinstance(body, dict) else None
        match = _APP_BIND_RE.match(ref) if isinstance(ref, str) else None
        if match is None:
            raise _bad_request(
                "Invalid request body: 'teamsApp@odata.bind' must name a catalog app.", "BadRequest"
            )
        app_id = unquote(match.group(1))
        if app_id not in self.apps:
            raise _GraphError(404, "NotFound", f"The app {app_id} is not in the app catalog.")
        if app_id in self.installed_app_ids(user.id):
            raise _GraphError(409, "Conflict", "The app is already installed for this user.")
        self.install_app(user.id, app_id)
        return _Answer(201)

    def _installation(self, key: str, iid: str) -> FakeInstallation:
        user = self._installing_user(key)
        installation = self.installations.get(iid)
        if installation is None or installation.user_id != user.id:
            raise _GraphError(404, "NotFound", f"The app installation {iid} was not found.")
        return installation

    def _uninstall(self, key: str, iid: str) -> _Answer:
        del self.installations[self._installation(key, iid).id]
        return _Answer(204)

    def _installation_chat(self, key: str, iid: str) -> _Answer:
        installation = self._installation(key, iid)
        return _Answer(
            200,
            {
                "@odata.context": f"{self.public_base}/$metadata#chats/$entity",
                "id": installation.chat_id,
                "topic": None,
                "createdDateTime": "2026-11-01T09:00:00Z",
                "lastUpdatedDateTime": "2026-11-01T09:00:00Z",
                "chatType": "oneOnOne",
                "webUrl": f"https://teams.microsoft.com/l/chat/{quote(installation.chat_id)}/0",
                "tenantId": self.tenant_id,
            },
        )

    # Teams members (TEAMS_MEMBERS, TEAMS_BULK_ADD)

    def _team(self, tid: str) -> FakeTeam:
        team = self.teams.get(tid)
        if team is None:
            raise _GraphError(404, "NotFound", f"No team found with Group Id {tid}")
        return team

    def _team_member_user(self, item: Any) -> tuple[FakeUser | None, str, list[str]]:
        """(the user or None when unknown, the id asked for, the roles) of a conversationMember."""
        if not isinstance(item, dict) or "aadUserConversationMember" not in str(
            item.get("@odata.type", "")
        ):
            raise _bad_request(
                "A member must be a #microsoft.graph.aadUserConversationMember.", "BadRequest"
            )
        ref = item.get("user@odata.bind")
        match = _USER_BIND_RE.match(ref) if isinstance(ref, str) else None
        if match is None:
            raise _bad_request(f"Invalid value for 'user@odata.bind': {ref!r}.", "BadRequest")
        wanted = unquote(match.group(1) or match.group(2))
        roles = item.get("roles") or []
        if not isinstance(roles, list) or any(r not in {"owner", "guest"} for r in roles):
            raise _bad_request(f"Invalid roles: {roles!r}.", "BadRequest")
        return self._find_user(wanted), wanted, roles

    def _join_team(self, team: FakeTeam, user: FakeUser, roles: list[str]) -> None:
        # A team's members are its group's members: adding to the team adds to the group.
        self.groups[team.id].members[user.id] = None
        if "owner" in roles:
            team.owners.add(user.id)

    def _conversation_member(self, team: FakeTeam, user: FakeUser) -> dict[str, Any]:
        return {
            "@odata.type": "#microsoft.graph.aadUserConversationMember",
            "id": base64.b64encode(f"{team.id}##{user.id}".encode()).decode(),
            "roles": ["owner"] if user.id in team.owners else [],
            "displayName": user.display_name,
            "visibleHistoryStartDateTime": "0001-01-01T00:00:00Z",
            "userId": user.id,
            "email": user.mail,
            "tenantId": self.tenant_id,
        }

    def _add_team_member(self, tid: str, body: Any) -> _Answer:
        team = self._team(tid)
        user, wanted, roles = self._team_member_user(body)
        if user is None:
            raise _GraphError(404, "NotFound", f"User {wanted} was not found.")
        # 201 also for someone already a member (FACTS.md: Graph semantics).
        self._join_team(team, user, roles)
        member = self._conversation_member(team, user)
        return _Answer(
            201,
            {"@odata.context": f"{self.public_base}/$metadata#teams('{tid}')/members/$entity"}
            | member,
        )

    def _add_team_members(self, tid: str, body: Any) -> _Answer:
        team = self._team(tid)
        values = body.get("values") if isinstance(body, dict) else None
        if not isinstance(values, list) or not values:
            raise _bad_request("Invalid request body: 'values' is required.", "BadRequest")
        if len(values) > MAX_TEAM_BULK_ADD:
            raise _bad_request(
                f"Too many members: at most {MAX_TEAM_BULK_ADD} can be added in one request "
                f"({len(values)} were given).",
                "BadRequest",
            )
        results = []
        for item in values:
            user, wanted, roles = self._team_member_user(item)
            error: dict[str, str] | None = None
            if user is None:
                error = {"code": "NotFound", "message": ""}
            elif user.id in team.refused_members:
                code, message = team.refused_members[user.id]
                error = {"code": code, "message": message}
            else:
                self._join_team(team, user, roles)
            results.append(
                {
                    "@odata.type": "#microsoft.graph.aadUserConversationMemberResult",
                    "userId": user.id if user else wanted,
                    "error": error,
                }
            )
        partial = any(r["error"] for r in results)
        kind = "addConversationMemberResult" if partial else "aadUserConversationMemberResult"
        return _Answer(
            207 if partial else 200,
            {
                "@odata.context": f"{self.public_base}/$metadata#Collection(microsoft.graph.{kind})",
                "value": results,
            },
        )

    # users

    def _find_user(self, key: str) -> FakeUser | None:
        if key in self.users:
            return self.users[key]
        lowered = key.lower()
        for user in self.users.values():
            if (user.user_principal_name or "").lower() == lowered:
                return user
        return None

    def _get_user(self, key: str, query: Mapping[str, str]) -> _Answer:
        user = self._find_user(key)
        if user is None:
            raise _not_found(key)
        body = {
            "@odata.context": f"{self.public_base}/$metadata#users/$entity",
            **_project(
                user.graph_json(), query, DEFAULT_USER_PROPERTIES, KNOWN_USER_PROPERTIES, "user"
            ),
        }
        return _Answer(200, body)

    def _list_users(self, query: Mapping[str, str]) -> _Answer:
        users = list(self.users.values())
        if "$filter" in query:
            clauses = _parse_filter(query["$filter"])
            users = [u for u in users if _user_matches(u, clauses)]
        page_size = self._page_size(query)
        offset = _read_skiptoken(query)
        page = users[offset : offset + page_size]
        body: dict[str, Any] = {
            "@odata.context": f"{self.public_base}/$metadata#users",
            "value": [
                _project(
                    u.graph_json(), query, DEFAULT_USER_PROPERTIES, KNOWN_USER_PROPERTIES, "user"
                )
                for u in page
            ],
        }
        if offset + page_size < len(users):
            body["@odata.nextLink"] = self._next_link("/users", query, offset + page_size)
        return _Answer(200, body)

    def _check_member_groups(self, key: str, body: Any) -> _Answer:
        user = self._find_user(key)
        if user is None:
            raise _not_found(key)
        if not isinstance(body, dict) or not isinstance(body.get("groupIds"), list):
            raise _bad_request("Invalid request: groupIds is required.", "Request_BadRequest")
        group_ids = [str(g) for g in body["groupIds"]]
        if len(group_ids) > MAX_CHECK_GROUPS:
            raise _bad_request(
                f"Too many group ids: at most {MAX_CHECK_GROUPS} groups can be checked per request."
            )
        member_of = [g for g in group_ids if g in self.groups and user.id in self.groups[g].members]
        return _Answer(
            200,
            {
                "@odata.context": f"{self.public_base}/$metadata#Collection(Edm.String)",
                "value": member_of,
            },
        )

    # groups

    def _group(self, gid: str) -> FakeGroup:
        group = self.groups.get(gid)
        if group is None:
            raise _not_found(gid)
        return group

    def _get_group(self, gid: str, query: Mapping[str, str]) -> _Answer:
        group = self._group(gid)
        body = {
            "@odata.context": f"{self.public_base}/$metadata#groups/$entity",
            **_project(
                group.graph_json(),
                query,
                tuple(KNOWN_GROUP_PROPERTIES),
                KNOWN_GROUP_PROPERTIES,
                "group",
            ),
        }
        return _Answer(200, body)

    def _user_from_ref(self, ref: Any) -> FakeUser:
        if not isinstance(ref, str):
            raise _bad_request("Invalid object identifier 'null'.")
        match = _REF_RE.match(ref)
        if not match:
            raise _bad_request(f"Invalid object identifier '{ref}'.")
        user_id = unquote(match.group(1))
        user = self.users.get(user_id)
        if user is None:
            raise _not_found(user_id)
        return user

    def _add_member_ref(self, gid: str, body: Any) -> _Answer:
        group = self._group(gid)
        if not isinstance(body, dict) or "@odata.id" not in body:
            raise _bad_request("Invalid request body: '@odata.id' is required.", "BadRequest")
        user = self._user_from_ref(body["@odata.id"])
        if user.id in group.members:
            raise _bad_request(ALREADY_EXISTS_MESSAGE)
        group.members[user.id] = None
        return _Answer(204)

    def _patch_group(self, gid: str, body: Any) -> _Answer:
        group = self._group(gid)
        if not isinstance(body, dict):
            raise _bad_request("Invalid request body.", "BadRequest")
        unknown = [
            k
            for k in body
            if k not in {"@odata.type", "members@odata.bind", "displayName", "description"}
        ]
        if unknown:
            raise _bad_request(
                f"Property '{unknown[0]}' does not exist on type 'microsoft.graph.group'.",
                "BadRequest",
            )
        to_add: list[FakeUser] = []
        if "members@odata.bind" in body:
            refs = body["members@odata.bind"]
            if not isinstance(refs, list):
                raise _bad_request(
                    "Invalid value for 'members@odata.bind': an array is expected.", "BadRequest"
                )
            if len(refs) > MAX_BIND:
                raise _bad_request(
                    f"Unable to add more than {MAX_BIND} members in a single request "
                    f"({len(refs)} were given)."
                )
            # All or nothing: resolve and validate every reference before changing anything.
            to_add = [self._user_from_ref(ref) for ref in refs]
            ids = [u.id for u in to_add]
            if len(set(ids)) != len(ids) or any(i in group.members for i in ids):
                raise _bad_request(ALREADY_EXISTS_MESSAGE)
        if "displayName" in body:
            group.display_name = str(body["displayName"])
        if "description" in body:
            group.description = body["description"]
        for user in to_add:
            group.members[user.id] = None
        return _Answer(204)

    def _remove_member_ref(self, gid: str, uid: str) -> _Answer:
        group = self._group(gid)
        if uid not in group.members:
            raise _not_found(uid)
        del group.members[uid]
        return _Answer(204)

    def _list_members(
        self, gid: str, query: Mapping[str, str], path: str, *, cast: bool
    ) -> _Answer:
        group = self._group(gid)
        members = [self.users[m] for m in group.members if m in self.users]
        if "$filter" in query:
            clauses = _parse_filter(query["$filter"])
            members = [u for u in members if _user_matches(u, clauses)]
        page_size = self._page_size(query)
        offset = _read_skiptoken(query)
        page = members[offset : offset + page_size]
        values = []
        for user in page:
            item = _project(
                user.graph_json(), query, DEFAULT_USER_PROPERTIES, KNOWN_USER_PROPERTIES, "user"
            )
            values.append(item if cast else {"@odata.type": "#microsoft.graph.user", **item})
        context = "users" if cast else "directoryObjects"
        body: dict[str, Any] = {
            "@odata.context": f"{self.public_base}/$metadata#{context}",
            "value": values,
        }
        if offset + page_size < len(members):
            body["@odata.nextLink"] = self._next_link(path, query, offset + page_size)
        return _Answer(200, body)

    # paging

    def _page_size(self, query: Mapping[str, str]) -> int:
        size = DEFAULT_PAGE
        if "$top" in query:
            try:
                size = int(query["$top"])
            except ValueError:
                raise _bad_request(
                    f"Invalid page size specified: '{query['$top']}'.", "BadRequest"
                ) from None
            if not 1 <= size <= MAX_TOP:
                raise _bad_request(
                    f"Invalid page size specified: '{size}'. "
                    f"Must be between 1 and {MAX_TOP} inclusive.",
                    "Request_BadRequest",
                )
        if self.max_page_size is not None:
            size = min(size, self.max_page_size)
        return size

    def _next_link(self, path: str, query: Mapping[str, str], offset: int) -> str:
        params = {k: v for k, v in query.items() if k != "$skiptoken"}
        params["$skiptoken"] = _make_skiptoken(offset)
        encoded = "&".join(f"{k}={quote(str(v), safe=',()=')}" for k, v in params.items())
        return f"{self.link_base or self.base_url}{path}?{encoded}"


# ----------------------------------------------------------------------------- helpers


def _match(record: RecordedRequest, method: str | None, path: str | None) -> bool:
    if method and record.method.upper() != method.upper():
        return False
    return not (path and not fnmatch.fnmatchcase(record.path, path))


def _parse_body(raw: bytes) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


def _error_body(err: _GraphError, request_id: str, client_request_id: str) -> dict[str, Any]:
    return {
        "error": {
            "code": err.code,
            "message": err.message,
            "innerError": {
                "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
                "request-id": request_id,
                "client-request-id": client_request_id,
            },
        }
    }


def _project(
    full: dict[str, Any],
    query: Mapping[str, str],
    default: Iterable[str],
    known: frozenset[str],
    type_name: str,
) -> dict[str, Any]:
    if "$select" not in query or not query["$select"].strip():
        return {k: full.get(k) for k in default}
    selected = [s.strip() for s in query["$select"].split(",") if s.strip()]
    for name in selected:
        if name not in known:
            raise _bad_request(
                f"Could not find a property named '{name}' on type 'microsoft.graph.{type_name}'.",
                "BadRequest",
            )
    return {k: full.get(k) for k in selected}


_FILTER_CLAUSE = re.compile(r"^\s*([\w/]+)\s+eq\s+'((?:[^']|'')*)'\s*$", re.IGNORECASE)
_FILTER_IN = re.compile(r"^\s*([\w/]+)\s+in\s+\((.*)\)\s*$", re.IGNORECASE)
_FILTERABLE = {"id", "mail", "userPrincipalName", "displayName", "jobTitle", "officeLocation"}


def _parse_filter(
    expression: str, filterable: Iterable[str] = _FILTERABLE
) -> list[tuple[str, list[str]]]:
    """``a eq 'x' or b eq 'y'`` and ``id in ('x','y')``: the subset CoP Bot sends."""
    clauses: list[tuple[str, list[str]]] = []
    for part in re.split(r"\s+or\s+(?=(?:[^']*'[^']*')*[^']*$)", expression, flags=re.IGNORECASE):
        if m := _FILTER_CLAUSE.match(part):
            prop, value = m.group(1), m.group(2).replace("''", "'")
            values = [value]
        elif m := _FILTER_IN.match(part):
            prop = m.group(1)
            values = [v.replace("''", "'") for v in re.findall(r"'((?:[^']|'')*)'", m.group(2))]
        else:
            raise _bad_request(f"Invalid filter clause: {part.strip()}", "BadRequest")
        if prop not in filterable:
            raise _bad_request(
                f"Unsupported or invalid query filter clause specified for property '{prop}'."
            )
        clauses.append((prop, values))
    return clauses


def _user_matches(user: FakeUser, clauses: list[tuple[str, list[str]]]) -> bool:
    return _matches(user.graph_json(), clauses)


def _matches(data: Mapping[str, Any], clauses: list[tuple[str, list[str]]]) -> bool:
    for prop, values in clauses:
        actual = data.get(prop)
        if actual is not None and any(str(actual).lower() == v.lower() for v in values):
            return True
    return False


def _flatten(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"teamsApp": {"id": 1}} -> {"teamsApp/id": 1}: what a ``teamsApp/id eq`` filter reads."""
    flat: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{key}/"))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _delta_filter(expression: str | None) -> tuple[str, ...] | None:
    """Groups delta takes scoping filters "only by object ID" (delta-query-overview)."""
    if not expression:
        return None
    clauses = _parse_filter(expression, {"id"})
    return tuple(dict.fromkeys(v for _, values in clauses for v in values))


def _make_skiptoken(offset: int) -> str:
    raw = json.dumps({"o": offset, "n": next(_token_counter)}).encode()
    return "RFNwdA" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _read_skiptoken(query: Mapping[str, str]) -> int:
    token = query.get("$skiptoken")
    if not token:
        return 0
    try:
        payload = token.removeprefix("RFNwdA")
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return int(data["o"])
    except (ValueError, KeyError, TypeError):
        raise _bad_request("Invalid $skiptoken.", "Directory_InvalidSkipToken") from None


_token_counter = itertools.count(1)
