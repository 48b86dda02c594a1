"""Bot Framework authentication that keeps its outbound clients between turns.

The SDK's CloudAdapter builds a new ConnectorClient (with its own HTTP session and connection pool)
and a new user-token client for every activity and never closes them; the retired
BotFrameworkAdapter cached them per service URL. Building them was a third of a turn's time and
their reference cycles fed long garbage-collection pauses under load (docs/benchmarks.md). Keep one
per (app id, service URL, audience), sending over aiohttp (bot/connector_http.py): credentials
refresh their own tokens.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

import jwt
import requests
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from botframework.connector.auth._connector_factory_impl import USER_AGENT
from botframework.connector.bot_framework_sdk_client_async import (
    BotFrameworkConnectorConfiguration,
)

from bot.connector_http import SharedSession, pipeline_type
from bot.fast_serializer import use_fast_serializer
from bot.sdk_versions import require

require(__name__, "botframework-connector", "botbuilder-integration-aiohttp", "botbuilder-core")


MAX_CLIENTS = 64  # service URLs are regional: a handful in practice


class TokenRejected(Exception):
    """The request's token is not one CoP Bot accepts (the reason names no secret)."""


class KeysUnavailable(Exception):
    """The signing keys (OpenID metadata, JWKS) could not be fetched: nobody can be checked now."""


def check_token_shape(auth_header: str) -> None:
    """What the SDK leaves unchecked or fails on with arbitrary exceptions: a Bearer JWT (RS256,
    with a key id) that expires (`exp`) and names its issuer (`iss`). Raises TokenRejected."""
    scheme, _, token = (auth_header or "").partition(" ")
    if scheme != "Bearer" or not token.strip():
        raise TokenRejected("no Bearer token")
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise TokenRejected(f"not a JWT ({type(exc).__name__})") from None
    if header.get("alg") != "RS256" or not isinstance(header.get("kid"), str):
        raise TokenRejected("not an RS256 token with a key id")
    if not isinstance(claims.get("exp"), int | float) or isinstance(claims.get("exp"), bool):
        raise TokenRejected("the token has no 'exp'")
    if not isinstance(claims.get("iss"), str) or not claims["iss"]:
        raise TokenRejected("the token has no 'iss'")


def _raised_in_sdk_auth(traceback: TracebackType | None) -> bool:
    """Whether the innermost frame of a traceback is the SDK's token validation."""
    last = None
    while traceback is not None:
        last, traceback = traceback, traceback.tb_next
    filename = last.tb_frame.f_code.co_filename if last else ""
    return "botframework/connector/auth/" in filename.replace("\\", "/")


def classify_failure(exc: BaseException) -> type[Exception] | None:
    """TokenRejected or KeysUnavailable for what the SDK raises about a bad token or an
    unreachable key set; None for anything else (a bug: log it, answer 500).

    The SDK signals a bad token with PermissionError and PyJWT's errors, but also with a bare
    `Exception` (key not endorsed for the channel, algorithm not allowed) and an IndexError (a key
    id not in the key set), both raised by its own code."""
    if isinstance(exc, TokenRejected | PermissionError | jwt.PyJWTError):
        return TokenRejected
    if isinstance(exc, KeysUnavailable | requests.RequestException):
        return KeysUnavailable
    if type(exc) in (Exception, IndexError) and _raised_in_sdk_auth(exc.__traceback__):
        return TokenRejected
    return None


class _CachingConnectorFactory(ConnectorFactory):
    def __init__(
        self,
        inner: ConnectorFactory,
        cache: dict[tuple[Any, ...], ConnectorClient],
        session: SharedSession,
    ):
        self._inner = inner
        self._cache = cache
        self._session = session

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = (getattr(self._inner, "_app_id", None), service_url, audience)
        client = self._cache.get(key)
        if client is None:
            if len(self._cache) >= MAX_CLIENTS:
                self._cache.pop(next(iter(self._cache)))
            client = self._cache[key] = await self._build(service_url, audience)
        return client

    async def _build(self, service_url: str, audience: str | None) -> ConnectorClient:
        """What the SDK's factory builds, on our aiohttp pipeline."""
        inner: Any = self._inner
        credentials = await inner._credential_factory.create_credentials(
            inner._app_id,
            audience or inner._to_channel_from_bot_oauth_scope,
            inner._login_endpoint,
            inner._validate_authority,
        )
        configuration = BotFrameworkConnectorConfiguration(
            credentials, service_url, pipeline_type=pipeline_type(self._session)
        )
        client = ConnectorClient(credentials, service_url, custom_configuration=configuration)
        client.config.add_user_agent(USER_AGENT)
        use_fast_serializer(client)
        return client


class CachingBotFrameworkAuthentication(ConfigurationBotFrameworkAuthentication):
    def __init__(self, configuration: Any, **kwargs: Any):
        super().__init__(configuration, **kwargs)
        self._authenticated = bool(getattr(configuration, "APP_ID", ""))
        self._connectors: dict[tuple[Any, ...], ConnectorClient] = {}
        self._token_clients: dict[Any, UserTokenClient] = {}
        self.http = SharedSession()

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        if self._authenticated:
            check_token_shape(auth_header)
        result = await super().authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = _CachingConnectorFactory(
                result.connector_factory, self._connectors, self.http
            )
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _CachingConnectorFactory(
            super().create_connector_factory(claims_identity), self._connectors, self.http
        )

    async def close(self) -> None:
        await self.http.close()

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        key = tuple(
            sorted(
                (k, str(v))
                for k, v in (claims_identity.claims or {}).items()
                if k in ("aud", "appid", "azp")
            )
        )
        client = self._token_clients.get(key)
        if client is None:
            client = self._token_clients[key] = await super().create_user_token_client(
                claims_identity
            )
        return client
