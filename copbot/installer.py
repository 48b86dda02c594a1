"""Installing CoP Bot for a person, so the bot may write to someone who never opened it.

Teams lets a bot write to a person only when its app is installed for them (or in a team they
belong to). With the application permission `TeamsAppInstallation.ReadWriteSelfForUser.All` (and
`webApplicationInfo` in the manifest) the app installs itself through Graph, then finds the 1:1
chat with the bot. `graph.installs.GraphAppInstaller` implements this protocol;
`graph.local_teamwork.LocalAppInstaller` is local mode (the Playground's users have the app).

https://learn.microsoft.com/microsoftteams/platform/graph-api/proactive-bots-and-messages/graph-proactive-bots-and-messages

Errors are `copbot.directory` errors: `PermissionMissing` (naming the permission to grant),
`UnknownUser`, `UnknownApp`, `DirectoryUnavailable` (throttling, outage: `retry_after`).
"""

from __future__ import annotations

import enum
from typing import Protocol

from copbot.directory import DirectoryError

INSTALL_PERMISSION = "TeamsAppInstallation.ReadWriteSelfForUser.All"
CATALOG_PERMISSION = "AppCatalog.Read.All"  # only to find the catalog id from the manifest id


class InstallOutcome(enum.StrEnum):
    INSTALLED = "installed"
    ALREADY_INSTALLED = "already_installed"  # Graph answers 409: that is success


class UnknownApp(DirectoryError):
    """The app is not in the organisation's app catalog (publish it, or fix the catalog id)."""


class AppInstaller(Protocol):
    async def catalog_app_id(self, manifest_id: str) -> str | None:
        """The catalog's id of the app whose manifest id is ``manifest_id``; None when the app is
        not in the organisation's catalog. Needs AppCatalog.Read.All (or set the id instead)."""
        ...

    async def install_for_user(self, user_id: str, catalog_app_id: str) -> InstallOutcome:
        """Install the app in the person's personal scope; already installed is success."""
        ...

    async def personal_chat_id(self, user_id: str, catalog_app_id: str) -> str | None:
        """The id of the person's 1:1 chat with the bot (a conversation id the connector takes),
        or None when the app is not installed for them."""
        ...


async def install_and_find_chat(
    installer: AppInstaller, user_id: str, catalog_app_id: str
) -> str | None:
    """Install (if needed) and return the 1:1 chat id; None if Graph shows no installation."""
    await installer.install_for_user(user_id, catalog_app_id)
    return await installer.personal_chat_id(user_id, catalog_app_id)
