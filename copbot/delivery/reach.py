"""Reaching people who never talked to the bot: install the app for them, then deliver.

Teams lets a bot write to a person only when its app is installed for them (or in a team they
are in). When Teams refuses a 1:1 message with a 403 that an installation cures (not in the
roster, not installed, writes blocked after an uninstall), `ReachingNotifier` installs the app in
the person's personal scope through Graph (`copbot.installer.AppInstaller`: 409 = already
installed), finds their chat with the bot, and sends again, once. A person who blocked the bot,
or a bot an admin disabled, is not installed for.

It is on when `PROACTIVE_INSTALL=true`. The app's catalog id is `TEAMS_APP_CATALOG_ID`, or found
once from its manifest id (`TEAMS_APP_ID`, default the bot's app id). Without the permission
`TeamsAppInstallation.ReadWriteSelfForUser.All` the send is undeliverable with that reason, and
/readyz carries one warning (`readiness`).

It wraps the Notifier for every feature (app.py), so welcomes, answers, reminders and digests
reach new people as approval cards do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import structlog

from copbot.directory import DirectoryError, DirectoryUnavailable, PermissionMissing
from copbot.installer import INSTALL_PERMISSION, AppInstaller, UnknownApp
from copbot.notifier import ChatNotifier, DeliveryDeferred, SentMessage, Undeliverable

log = structlog.get_logger(__name__)

# 403s an installation does not cure: the person blocked the bot; an admin disabled it.
NOT_CURED_BY_INSTALL = frozenset({"ConversationBlockedByUser", "BotDisabledByAdmin"})


@dataclass(frozen=True)
class InstallSettings:
    enabled: bool = False
    manifest_id: str = ""  # the Teams app id (manifest "id")
    catalog_id: str = ""  # the organisation catalog's id of the app, when known


@dataclass
class InstallState:
    """What installing taught us, for /readyz."""

    permission_missing: str | None = None
    app_missing: str | None = None
    installs: int = 0


@dataclass
class ReachingNotifier:
    notifier: ChatNotifier
    installer: AppInstaller
    settings: InstallSettings
    state: InstallState = field(default_factory=InstallState)
    _catalog_id: str | None = None

    async def send_to_person(
        self, person_id: str, *, text: str | None = None, card: dict[str, Any] | None = None
    ) -> SentMessage:
        try:
            return await self.notifier.send_to_person(person_id, text=text, card=card)
        except Undeliverable as exc:
            if not self.settings.enabled or not self._cured_by_install(exc):
                raise
            refused = exc
        chat_id = await self._install(person_id, refused)
        try:
            if chat_id:
                return await self.notifier.send_in_chat(person_id, chat_id, text=text, card=card)
            return await self.notifier.send_to_person(person_id, text=text, card=card)
        except Undeliverable as exc:
            raise Undeliverable(
                f"after installing the app for them: {exc.reason}", status=exc.status, code=exc.code
            ) from exc

    async def send_to_channel(
        self, channel_id: str, *, text: str | None = None, card: dict[str, Any] | None = None
    ) -> SentMessage:
        return await self.notifier.send_to_channel(channel_id, text=text, card=card)

    async def update_card(self, sent: SentMessage, card: dict[str, Any]) -> None:
        await self.notifier.update_card(sent, card)

    async def reply_in_thread(
        self, sent: SentMessage, *, text: str | None = None, card: dict[str, Any] | None = None
    ) -> SentMessage:
        return await self.notifier.reply_in_thread(sent, text=text, card=card)

    # -- installing -------------------------------------------------------------------------
    @staticmethod
    def _cured_by_install(exc: Undeliverable) -> bool:
        return exc.status == 403 and exc.code not in NOT_CURED_BY_INSTALL

    async def _install(self, person_id: str, refused: Undeliverable) -> str | None:
        """Install the app for the person; their chat id with the bot (None: create it)."""
        try:
            catalog_id = await self._catalog_app_id()
            await self.installer.install_for_user(person_id, catalog_id)
            chat_id = await self.installer.personal_chat_id(person_id, catalog_id)
        except PermissionMissing as exc:
            self.state.permission_missing = exc.permission
            log.warning("delivery.install_forbidden", permission=exc.permission)
            raise Undeliverable(
                f"{refused.reason}; the app could not be installed for them: the app "
                f"registration lacks the permission {exc.permission}",
                status=403,
                code="PermissionMissing",
            ) from exc
        except UnknownApp as exc:
            self.state.app_missing = str(exc)
            raise Undeliverable(f"{refused.reason}; {exc}", status=404, code="UnknownApp") from exc
        except DirectoryUnavailable as exc:
            raise DeliveryDeferred(
                f"installing the app for them: {exc}", retry_after=exc.retry_after
            ) from exc
        except DirectoryError as exc:
            raise Undeliverable(
                f"{refused.reason}; installing the app for them failed: {exc}",
                status=exc.status,
                code=exc.code,
            ) from exc
        self.state.installs += 1
        self.state.permission_missing = None
        log.info("delivery.app_installed", person_id=person_id, chat_found=bool(chat_id))
        return chat_id

    async def _catalog_app_id(self) -> str:
        if self.settings.catalog_id:
            return self.settings.catalog_id
        if self._catalog_id is None:
            found = await self.installer.catalog_app_id(self.settings.manifest_id)
            if not found:
                raise UnknownApp(
                    f"the app (manifest id {self.settings.manifest_id or '-'}) is not in the "
                    "organisation's app catalog: publish it, or set TEAMS_APP_CATALOG_ID",
                    status=404,
                )
            self._catalog_id = found
        return self._catalog_id

    # -- /readyz ----------------------------------------------------------------------------
    async def readiness(self) -> tuple[str, dict[str, Any], list[str]]:
        warnings = []
        if self.settings.enabled and self.state.permission_missing:
            warnings.append(
                "warning: delivery: the bot cannot install its app for people who never opened "
                f"it: grant the application permission {self.state.permission_missing} (with "
                "admin consent); until then messages to them are undeliverable"
            )
        if self.settings.enabled and self.state.app_missing:
            warnings.append(f"warning: delivery: {self.state.app_missing}")
        details = {
            "ok": True,
            "proactive_install": self.settings.enabled,
            "installs": self.state.installs,
            "permission_missing": self.state.permission_missing,
        }
        return "proactive_install", details, warnings


__all__ = ["INSTALL_PERMISSION", "InstallSettings", "ReachingNotifier"]
