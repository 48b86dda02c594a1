"""Outbound Bot Framework credentials for tests: a fixed token instead of MSAL's login call.

FACTS.md: the seam is the `credentials_factory=` of the authentication class. Inbound validation
still runs for real (is_valid_app_id answers for our app id only).
"""

from __future__ import annotations

from botframework.connector.auth import (
    AppCredentials,
    MicrosoftAppCredentials,
    ServiceClientCredentialsFactory,
)

OUTBOUND_TOKEN = "outbound-test-token"


class _FixedTokenCredentials(MicrosoftAppCredentials):
    def get_access_token(self, force_refresh: bool = False) -> str:
        return OUTBOUND_TOKEN


class FixedCredentialsFactory(ServiceClientCredentialsFactory):
    def __init__(self, app_id: str):
        self.app_id = app_id

    async def is_valid_app_id(self, app_id: str) -> bool:
        return app_id == self.app_id

    async def is_authentication_disabled(self) -> bool:
        return False

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> AppCredentials:
        return _FixedTokenCredentials(app_id, "unused", oauth_scope=oauth_scope)
