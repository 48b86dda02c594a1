"""ReachingNotifier (copbot/delivery/reach.py): which refusals an installation cures, and what
the send ends in when installing is off, forbidden or impossible. Ports only: the Graph and
connector sides are in tests/integration/test_delivery_reach.py and tests/graph/test_installs.py."""

from __future__ import annotations

from typing import Any

import pytest

from copbot.delivery.reach import InstallSettings, ReachingNotifier
from copbot.directory import DirectoryUnavailable, PermissionMissing
from copbot.installer import INSTALL_PERMISSION, InstallOutcome
from copbot.notifier import DeliveryDeferred, SentMessage, Undeliverable

NOT_INSTALLED = Undeliverable(
    "Teams answered 403 (ForbiddenOperationException)",
    status=403,
    code="ForbiddenOperationException",
)
BLOCKED = Undeliverable(
    "Teams answered 403 (ConversationBlockedByUser)", status=403, code="ConversationBlockedByUser"
)


class Teams:
    """Refuses a person until the app is installed for them."""

    def __init__(self, refusal: Undeliverable = NOT_INSTALLED) -> None:
        self.refusal = refusal
        self.installed: set[str] = set()
        self.sent: list[tuple[str, str | None]] = []  # (person, chat id)

    async def send_to_person(self, person_id: str, **kwargs: Any) -> SentMessage:
        if person_id not in self.installed:
            raise self.refusal
        self.sent.append((person_id, None))
        return SentMessage(f"a:{person_id}", "act-1")

    async def send_in_chat(self, person_id: str, chat_id: str, **kwargs: Any) -> SentMessage:
        if person_id not in self.installed:
            raise self.refusal
        self.sent.append((person_id, chat_id))
        return SentMessage(chat_id, "act-2")

    async def send_to_channel(self, channel_id: str, **kwargs: Any) -> SentMessage:
        return SentMessage(channel_id, "act-3")

    async def update_card(self, sent: SentMessage, card: dict[str, Any]) -> None:
        return None


class Installer:
    def __init__(self, teams: Teams, failure: Exception | None = None) -> None:
        self.teams = teams
        self.failure = failure
        self.calls: list[str] = []

    async def catalog_app_id(self, manifest_id: str) -> str | None:
        self.calls.append(f"catalog:{manifest_id}")
        return "catalog-1" if manifest_id == "manifest-1" else None

    async def install_for_user(self, user_id: str, catalog_app_id: str) -> InstallOutcome:
        self.calls.append(f"install:{user_id}:{catalog_app_id}")
        if self.failure is not None:
            raise self.failure
        self.teams.installed.add(user_id)
        return InstallOutcome.INSTALLED

    async def personal_chat_id(self, user_id: str, catalog_app_id: str) -> str | None:
        return f"19:{user_id}_bot@unq.gbl.spaces"


def reaching(
    teams: Teams, installer: Installer, *, enabled: bool = True, **settings: str
) -> ReachingNotifier:
    values = {"manifest_id": "manifest-1", **settings}
    return ReachingNotifier(teams, installer, InstallSettings(enabled=enabled, **values))  # type: ignore[arg-type]


async def test_a_person_without_the_app_gets_it_installed_then_the_message_in_graphs_chat() -> None:
    teams = Teams()
    installer = Installer(teams)
    notifier = reaching(teams, installer)
    sent = await notifier.send_to_person("p1", text="hello")
    assert sent.conversation_id == "19:p1_bot@unq.gbl.spaces"
    assert teams.sent == [("p1", "19:p1_bot@unq.gbl.spaces")]
    await notifier.send_to_person("p2", text="hello")
    assert installer.calls.count("catalog:manifest-1") == 1  # the catalog id is found once


async def test_a_set_catalog_id_is_used_as_is() -> None:
    teams = Teams()
    installer = Installer(teams)
    await reaching(teams, installer, catalog_id="set-id").send_to_person("p1", text="hi")
    assert installer.calls == ["install:p1:set-id"]


async def test_installing_off_or_a_block_never_installs() -> None:
    teams = Teams()
    installer = Installer(teams)
    with pytest.raises(Undeliverable) as off:
        await reaching(teams, installer, enabled=False).send_to_person("p1", text="hi")
    assert off.value is NOT_INSTALLED
    blocked = Teams(BLOCKED)
    with pytest.raises(Undeliverable) as refused:
        await reaching(blocked, Installer(blocked)).send_to_person("p1", text="hi")
    assert refused.value is BLOCKED  # installing would not undo the person's block
    assert installer.calls == []


async def test_without_the_permission_the_send_is_undeliverable_naming_it_and_readyz_warns() -> (
    None
):
    teams = Teams()
    forbidden = PermissionMissing("Forbidden", permission=INSTALL_PERMISSION)
    notifier = reaching(teams, Installer(teams, forbidden))
    with pytest.raises(Undeliverable) as refused:
        await notifier.send_to_person("p1", text="hi")
    assert INSTALL_PERMISSION in refused.value.reason
    assert "ForbiddenOperationException" in refused.value.reason  # Teams' own reason first
    name, check, warnings = await notifier.readiness()
    assert name == "proactive_install" and check["ok"] is True
    [warning] = warnings
    assert INSTALL_PERMISSION in warning


async def test_an_app_missing_from_the_catalog_or_graph_down() -> None:
    teams = Teams()
    with pytest.raises(Undeliverable) as missing:
        await reaching(teams, Installer(teams), manifest_id="other").send_to_person("p1", text="")
    assert "TEAMS_APP_CATALOG_ID" in missing.value.reason
    down = Installer(teams, DirectoryUnavailable("Graph 503", retry_after=7))
    with pytest.raises(DeliveryDeferred) as deferred:
        await reaching(teams, down).send_to_person("p1", text="hi")
    assert deferred.value.retry_after == 7  # tried again later, not given up
