"""The Bot Framework adapter: authentication configuration and the turn error handler."""

from __future__ import annotations

import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

import structlog
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes, CallerIdConstants
from botframework.connector.auth import AuthenticationConstants, ServiceClientCredentialsFactory

from bot import sdk_patches  # noqa: F401  (applies itself on import)
from bot.authentication import CachingBotFrameworkAuthentication
from bot.credentials import BotCredentialsFactory
from copbot.i18n import lang_from_locale, t
from copbot.metrics import Metrics

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class AdapterConfig:
    """The names ConfigurationBotFrameworkAuthentication reads (as attributes).

    The endpoints are always given (public cloud by default), so the SDK takes its
    "parameterized" path and uses exactly these: settings.py names them."""

    APP_ID: str = ""
    APP_PASSWORD: str = ""
    APP_TYPE: str = "SingleTenant"
    APP_TENANTID: str = ""
    # None everywhere: the SDK's built-in public cloud (what local mode uses: the SDK's
    # "parameterized" path does not handle authentication being off). `with_endpoints` sets them.
    TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL: str | None = None
    TO_BOT_FROM_CHANNEL_TOKEN_ISSUER: str | None = None
    TO_CHANNEL_FROM_BOT_LOGIN_URL: str | None = None
    TO_CHANNEL_FROM_BOT_OAUTH_SCOPE: str | None = None
    TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL: str | None = None
    OAUTH_URL: str | None = None
    CALLER_ID: str | None = None

    def with_endpoints(
        self, *, openid_metadata_url: str, token_issuer: str, login_url: str, oauth_scope: str
    ) -> AdapterConfig:
        """These endpoints exactly (the SDK's parameterized path); the ones CoP Bot does not use
        (no emulator, no user sign-in) keep the public cloud's values."""
        return replace(
            self,
            TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=openid_metadata_url,
            TO_BOT_FROM_CHANNEL_TOKEN_ISSUER=token_issuer,
            TO_CHANNEL_FROM_BOT_LOGIN_URL=login_url,
            TO_CHANNEL_FROM_BOT_OAUTH_SCOPE=oauth_scope,
            TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL=(
                AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL
            ),
            OAUTH_URL=AuthenticationConstants.OAUTH_URL,
            CALLER_ID=CallerIdConstants.public_azure_channel.value,
        )


def credentials_factory_for(config: AdapterConfig) -> ServiceClientCredentialsFactory | None:
    """Our factory for app id + secret (SingleTenant, MultiTenant); None lets the SDK build its
    own (UserAssignedMSI)."""
    app_type = config.APP_TYPE.lower()
    if app_type == "userassignedmsi":
        return None
    tenant = config.APP_TENANTID if app_type == "singletenant" else None
    return BotCredentialsFactory(config.APP_ID, config.APP_PASSWORD, tenant or None)


def build_adapter(
    config: AdapterConfig,
    credentials_factory: ServiceClientCredentialsFactory | None = None,
    metrics: Metrics | None = None,
) -> CloudAdapter:
    auth = CachingBotFrameworkAuthentication(
        config, credentials_factory=credentials_factory or credentials_factory_for(config)
    )
    adapter = CloudAdapter(auth)
    adapter.on_turn_error = turn_error_handler(metrics or Metrics())
    return adapter


def turn_error_handler(metrics: Metrics) -> Callable[[TurnContext, Exception], Awaitable[None]]:
    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        """A bug in a handler: log it with ids (no message text), tell the person politely."""
        activity = context.activity
        metrics.turn_errors.labels(activity.type or "unknown").inc()
        log.error(
            "turn.error",
            activity_type=activity.type,
            error=type(error).__name__,
            traceback="".join(traceback.format_exception(error))[-4000:],
        )
        lang = lang_from_locale(activity.locale)
        try:
            if activity.type == ActivityTypes.invoke:
                # Universal Actions carry their status in the body: the card shows the message.
                body = {
                    "statusCode": 500,
                    "type": "application/vnd.microsoft.error",
                    "value": {"code": "InternalError", "message": t(lang, "error_generic")},
                }
                await context.send_activity(
                    Activity(
                        type=ActivityTypes.invoke_response,
                        value=InvokeResponse(status=200, body=body),
                    )
                )
            elif activity.type == ActivityTypes.message:
                await context.send_activity(t(lang, "error_generic"))
        except Exception as send_error:  # the channel may be the thing that failed
            log.warning("turn.error_reply_failed", error=type(send_error).__name__, exc_info=True)

    return on_turn_error
