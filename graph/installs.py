"""``GraphAppInstaller``: the domain's `copbot.installer.AppInstaller` on Microsoft Graph.

Requests (https://learn.microsoft.com/microsoftteams/platform/graph-api/proactive-bots-and-messages/graph-proactive-bots-and-messages),
application permissions in brackets:
- catalog id: ``GET /appCatalogs/teamsApps?$filter=externalId eq '{manifest id}'``
  [AppCatalog.Read.All] (https://learn.microsoft.com/graph/api/appcatalogs-list-teamsapps)
- install: ``POST /users/{id}/teamwork/installedApps`` with ``teamsApp@odata.bind``; 201, or
  409 Conflict when it is already installed (success for us)
  [TeamsAppInstallation.ReadWriteSelfForUser.All]
  (https://learn.microsoft.com/graph/api/userteamwork-post-installedapps)
- the 1:1 chat: ``GET /users/{id}/teamwork/installedApps?$expand=teamsApp&$filter=teamsApp/id eq
  '{id}'`` then ``GET /users/{id}/teamwork/installedApps/{installation id}/chat``
  [TeamsAppInstallation.ReadWriteSelfForUser.All]
"""

from __future__ import annotations

import structlog
from kiota_abstractions.api_error import APIError
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.app_catalogs.teams_apps.teams_apps_request_builder import (
    TeamsAppsRequestBuilder,
)
from msgraph.generated.models.user_scope_teams_app_installation import (
    UserScopeTeamsAppInstallation,
)
from msgraph.generated.users.item.teamwork.installed_apps.installed_apps_request_builder import (
    InstalledAppsRequestBuilder,
)

from copbot.directory import UnknownUser
from copbot.installer import CATALOG_PERMISSION, INSTALL_PERMISSION, InstallOutcome, UnknownApp

from .calls import GraphCalls, odata_literal

log = structlog.get_logger(__name__)


class GraphAppInstaller(GraphCalls):
    async def catalog_app_id(self, manifest_id: str) -> str | None:
        config = RequestConfiguration(
            query_parameters=TeamsAppsRequestBuilder.TeamsAppsRequestBuilderGetQueryParameters(
                filter=f"externalId eq {odata_literal(manifest_id)}"
            )
        )
        async with self.refusals("find the app in the organisation's catalog", CATALOG_PERMISSION):
            page = await self._client.app_catalogs.teams_apps.get(request_configuration=config)
        found = [app.id for app in (page.value if page and page.value else []) if app.id]
        log.info("graph.catalog_app_found", found=bool(found))
        return found[0] if found else None

    async def install_for_user(self, user_id: str, catalog_app_id: str) -> InstallOutcome:
        body = UserScopeTeamsAppInstallation(
            additional_data={
                "teamsApp@odata.bind": self.object_url(f"/appCatalogs/teamsApps/{catalog_app_id}")
            }
        )
        async with self.refusals("install the app for a user", INSTALL_PERMISSION):
            try:
                await self._client.users.by_user_id(user_id).teamwork.installed_apps.post(body)
                outcome = InstallOutcome.INSTALLED
            except APIError as exc:
                if exc.response_status_code == 409:
                    outcome = InstallOutcome.ALREADY_INSTALLED
                elif exc.response_status_code == 404:
                    raise self._not_found(exc, user_id, catalog_app_id) from exc
                else:
                    raise
        log.info("graph.app_installed", user_id=user_id, outcome=str(outcome))
        return outcome

    async def personal_chat_id(self, user_id: str, catalog_app_id: str) -> str | None:
        query = InstalledAppsRequestBuilder.InstalledAppsRequestBuilderGetQueryParameters(
            expand=["teamsApp"], filter=f"teamsApp/id eq {odata_literal(catalog_app_id)}"
        )
        installed = self._client.users.by_user_id(user_id).teamwork.installed_apps
        async with self.refusals("find the user's chat with the bot", INSTALL_PERMISSION):
            try:
                page = await installed.get(
                    request_configuration=RequestConfiguration(query_parameters=query)
                )
                found = [i.id for i in (page.value if page and page.value else []) if i.id]
                if not found:
                    return None
                chat = await installed.by_user_scope_teams_app_installation_id(found[0]).chat.get()
            except APIError as exc:
                if exc.response_status_code == 404:
                    raise self._not_found(exc, user_id, catalog_app_id) from exc
                raise
        return chat.id if chat and chat.id else None

    @staticmethod
    def _not_found(exc: APIError, user_id: str, catalog_app_id: str) -> UnknownUser | UnknownApp:
        """Which one is missing: Graph names it in the message."""
        message = str(getattr(getattr(exc, "error", None), "message", "") or exc.message or "")
        if catalog_app_id in message and user_id not in message:
            return UnknownApp(
                f"App {catalog_app_id} is not in the organisation's app catalog", status=404
            )
        return UnknownUser(f"User {user_id} does not exist in the directory", status=404)


__all__ = ["GraphAppInstaller"]
