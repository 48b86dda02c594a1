"""The bot's own outbound token (to the Bot Framework connector), from the configured login URL.

The SDK builds MSAL with its default instance discovery: for a login host MSAL does not know (a
private or test authority), MSAL first asks login.microsoftonline.com about it. With a configured
login URL nothing may leave for a host nobody set, so discovery is off: MSAL reads the authority's
own OpenID configuration and token endpoint, and nothing else.
"""

from __future__ import annotations

from typing import Any

from botframework.connector.auth import (
    AuthenticationConstants,
    MicrosoftAppCredentials,
    PasswordServiceClientCredentialFactory,
)
from msal import ConfidentialClientApplication


class _ConfiguredAuthorityCredentials(MicrosoftAppCredentials):
    """MicrosoftAppCredentials whose MSAL app uses exactly `authority` (no instance discovery)."""

    def __init__(self, app_id: str, password: str, authority: str, oauth_scope: str):
        super().__init__(app_id, password, oauth_scope=oauth_scope)
        self.oauth_endpoint = authority
        self._msal: ConfidentialClientApplication | None = None

    def get_access_token(self, force_refresh: bool = False) -> str:
        scope = self.oauth_scope
        scopes = [scope if scope.endswith("/.default") else f"{scope}/.default"]
        if self._msal is None:
            self._msal = ConfidentialClientApplication(
                client_id=self.microsoft_app_id,
                client_credential=self.microsoft_app_password,
                authority=self.oauth_endpoint,
                instance_discovery=False,
            )
        result: dict[str, Any] = self._msal.acquire_token_for_client(scopes=scopes) or {}
        if "access_token" in result:
            return str(result["access_token"])
        raise PermissionError(
            f"could not get the bot's token from {self.oauth_endpoint}: "
            f"{result.get('error', 'unknown error')}"
        )


def authority_of(login_url: str, tenant_id: str | None) -> str:
    """The MSAL authority for a login URL: a prefix (ending in "/") gets the tenant appended
    (the Bot Framework's own `botframework.com` tenant for a MultiTenant bot)."""
    if login_url.endswith("/"):
        return login_url + (tenant_id or AuthenticationConstants.DEFAULT_CHANNEL_AUTH_TENANT)
    return login_url


class BotCredentialsFactory(PasswordServiceClientCredentialFactory):
    """App id + secret credentials against the configured login URL and scope."""

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> MicrosoftAppCredentials:
        if await self.is_authentication_disabled():
            return MicrosoftAppCredentials.empty()
        if not await self.is_valid_app_id(app_id):
            raise PermissionError("Invalid app_id")
        return _ConfiguredAuthorityCredentials(
            app_id, self.password, authority_of(login_endpoint, self.tenant_id), oauth_scope
        )
