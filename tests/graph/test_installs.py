"""GraphAppInstaller (msgraph-sdk, real HTTP) against the Graph fake: installing CoP Bot for people
who never opened it, and finding their 1:1 chat with the bot."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from copbot.directory import DirectoryUnavailable, PermissionMissing, UnknownUser
from copbot.installer import InstallOutcome, UnknownApp, install_and_find_chat
from graph.installs import GraphAppInstaller
from tests.fakes.connector import FakeConnector
from tests.fakes.graph_fake import GraphFake

MANIFEST_ID = "6a4f0c1e-1111-4222-8333-944455556666"
INSTALLED_APPS = "/users/*/teamwork/installedApps"


@pytest.fixture
def installer(make_client: Callable[..., Any]) -> GraphAppInstaller:
    return make_client(GraphAppInstaller)


async def test_the_catalog_id_is_found_from_the_manifest_id(
    graph: GraphFake, installer: GraphAppInstaller
) -> None:
    graph.add_teams_app("someone-elses-app")
    app = graph.add_teams_app(MANIFEST_ID)

    assert await installer.catalog_app_id(MANIFEST_ID) == app.id
    assert app.id != MANIFEST_ID  # the catalog's id is not the manifest's
    [request] = graph.http_requests("GET", "/appCatalogs/teamsApps")
    assert request.query["$filter"] == f"externalId eq '{MANIFEST_ID}'"


async def test_an_app_missing_from_the_catalog_has_no_id(installer: GraphAppInstaller) -> None:
    assert await installer.catalog_app_id(MANIFEST_ID) is None


async def test_installing_for_a_new_person_then_their_chat_with_the_bot_reaches_them(
    graph: GraphFake, installer: GraphAppInstaller, connector: FakeConnector
) -> None:
    app = graph.add_teams_app(MANIFEST_ID, bot_id="bot-app-id")
    fatima = graph.add_user("Fatima Focal")
    connector.require_installation()
    graph.on_install.append(connector.install)  # Teams: installed = reachable
    assert not connector.can_reach(fatima.id)

    assert await installer.personal_chat_id(fatima.id, app.id) is None  # not installed yet
    assert await installer.install_for_user(fatima.id, app.id) is InstallOutcome.INSTALLED
    chat_id = await installer.personal_chat_id(fatima.id, app.id)

    assert chat_id == f"19:{fatima.id}_bot-app-id@unq.gbl.spaces"
    assert connector.can_reach(fatima.id)
    [post] = graph.http_requests("POST", INSTALLED_APPS)
    assert post.status == 201
    assert post.body["teamsApp@odata.bind"] == (
        f"https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/{app.id}"
    )
    [listing, _] = graph.http_requests("GET", f"{INSTALLED_APPS}*")[1:]
    assert listing.query == {"$expand": "teamsApp", "$filter": f"teamsApp/id eq '{app.id}'"}


async def test_already_installed_is_success_not_an_error(
    graph: GraphFake, installer: GraphAppInstaller
) -> None:
    app = graph.add_teams_app(MANIFEST_ID)
    omar = graph.add_user("Omar")
    graph.install_app(omar.id, app.id)  # he added it himself

    assert await installer.install_for_user(omar.id, app.id) is InstallOutcome.ALREADY_INSTALLED
    assert graph.http_requests("POST", INSTALLED_APPS)[0].status == 409
    assert graph.installed_app_ids(omar.id) == [app.id]  # still once


async def test_install_and_find_chat_gives_the_chat_either_way(
    graph: GraphFake, installer: GraphAppInstaller
) -> None:
    app = graph.add_teams_app(MANIFEST_ID)
    new, known = graph.add_user("New"), graph.add_user("Known")
    graph.install_app(known.id, app.id)

    for person in (new, known):
        chat = await install_and_find_chat(installer, person.id, app.id)
        assert chat == f"19:{person.id}_{MANIFEST_ID}@unq.gbl.spaces"


async def test_without_the_permission_the_error_names_it(
    graph: GraphFake, installer: GraphAppInstaller
) -> None:
    app = graph.add_teams_app(MANIFEST_ID)
    lena = graph.add_user("Lena")
    graph.grant_only("User.Read.All", "GroupMember.ReadWrite.All")  # what CoP Bot had so far

    with pytest.raises(PermissionMissing) as refused:
        await installer.install_for_user(lena.id, app.id)

    assert refused.value.permission == "TeamsAppInstallation.ReadWriteSelfForUser.All"
    assert refused.value.status == 403
    assert "TeamsAppInstallation.ReadWriteSelfForUser.All" in str(refused.value)
    [post] = graph.http_requests("POST", INSTALLED_APPS)
    assert post.status == 403
    assert graph.installed_app_ids(lena.id) == []
    with pytest.raises(PermissionMissing):
        await installer.personal_chat_id(lena.id, app.id)


async def test_finding_the_catalog_id_needs_app_catalog_read(
    graph: GraphFake, installer: GraphAppInstaller
) -> None:
    graph.add_teams_app(MANIFEST_ID)
    graph.grant_only("TeamsAppInstallation.ReadWriteSelfForUser.All")

    with pytest.raises(PermissionMissing) as refused:
        await installer.catalog_app_id(MANIFEST_ID)

    assert refused.value.permission == "AppCatalog.Read.All"


async def test_an_unknown_person_and_an_unknown_app_are_told_apart(
    graph: GraphFake, installer: GraphAppInstaller
) -> None:
    app = graph.add_teams_app(MANIFEST_ID)
    user = graph.add_user("Ana")

    with pytest.raises(UnknownUser):
        await installer.install_for_user("no-such-user", app.id)
    with pytest.raises(UnknownApp):
        await installer.install_for_user(user.id, "no-such-app")
    graph.delete_user(user.id)
    with pytest.raises(UnknownUser):
        await installer.personal_chat_id(user.id, app.id)


async def test_throttling_is_waited_out_when_short_and_handed_back_when_long(
    graph: GraphFake, installer: GraphAppInstaller
) -> None:
    app = graph.add_teams_app(MANIFEST_ID)
    ana, ben = graph.add_user("Ana"), graph.add_user("Ben")

    graph.throttle(times=1, retry_after=0.2, path=INSTALLED_APPS)
    assert await installer.install_for_user(ana.id, app.id) is InstallOutcome.INSTALLED
    assert [r.status for r in graph.http_requests("POST", INSTALLED_APPS)] == [429, 201]

    graph.throttle(times=None, retry_after=120, path=INSTALLED_APPS)
    with pytest.raises(DirectoryUnavailable) as later:
        await installer.install_for_user(ben.id, app.id)
    assert later.value.retry_after == 120
    assert later.value.status == 429
    assert graph.installed_app_ids(ben.id) == []


async def test_a_graph_outage_is_passing_not_permanent(
    graph: GraphFake, installer: GraphAppInstaller
) -> None:
    app = graph.add_teams_app(MANIFEST_ID)
    ana = graph.add_user("Ana")
    graph.unavailable(times=None, status=502, path=INSTALLED_APPS)

    with pytest.raises(DirectoryUnavailable) as caught:
        await installer.install_for_user(ana.id, app.id)

    assert caught.value.status == 502
