"""The Bot Framework adapter: authentication configuration and the turn error handler."""

from __future__ import annotations

import traceback
from dataclasses import dataclass

import structlog
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botframework.connector.auth import ServiceClientCredentialsFactory

from copbot.i18n import lang_from_locale, t

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class AdapterConfig:
    """The names ConfigurationBotFrameworkAuthentication reads (as attributes)."""

    APP_ID: str = ""
    APP_PASSWORD: str = ""
    APP_TYPE: str = "SingleTenant"
    APP_TENANTID: str = ""
    # Overrides for tests and national clouds; None keeps the SDK's public-cloud defaults.
    TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL: str | None = None
    TO_BOT_FROM_CHANNEL_TOKEN_ISSUER: str | None = None
    TO_CHANNEL_FROM_BOT_LOGIN_URL: str | None = None
    TO_CHANNEL_FROM_BOT_OAUTH_SCOPE: str | None = None


def build_adapter(
    config: AdapterConfig, credentials_factory: ServiceClientCredentialsFactory | None = None
) -> CloudAdapter:
    auth = ConfigurationBotFrameworkAuthentication(config, credentials_factory=credentials_factory)
    adapter = CloudAdapter(auth)
    adapter.on_turn_error = _on_turn_error
    return adapter


async def _on_turn_error(context: TurnContext, error: Exception) -> None:
    """A bug in a handler: log it with ids (no message text) and tell the person politely."""
    activity = context.activity
    log.error(
        "turn.error",
        activity_type=activity.type,
        error=type(error).__name__,
        traceback="".join(traceback.format_exception(error))[-4000:],
    )
    if activity.type == "message":
        try:
            await context.send_activity(t(lang_from_locale(activity.locale), "error_generic"))
        except Exception as send_error:  # the channel may be the thing that failed
            log.warning("turn.error_reply_failed", error=type(send_error).__name__)
