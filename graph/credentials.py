"""App-only (client credentials) tokens for Microsoft Graph, from MSAL, as an azure.core credential.

msgraph-sdk asks an azure.core credential for tokens on every request. kiota awaits the result
when ``get_token`` returns an awaitable, so this is an ``AsyncTokenCredential``: MSAL is
synchronous (``requests`` under the hood), and its calls run in a worker thread
(``asyncio.to_thread``) so the event loop never blocks on the login endpoint.

Caching: MSAL's in-memory token cache serves repeat ``acquire_token_for_client`` calls; on top
of it we keep the last token per scope set and return it without a thread hop while it has more
than ``refresh_margin`` left, and concurrent callers share one acquisition (one lock per scope set)
so a burst of Graph calls at start-up makes one token request, not fifty. When Graph refuses a
token (401), ``invalidate_token`` drops it from both caches so the next call gets a new one.

Secrets and tokens are never logged and never appear in ``repr``.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Mapping
from typing import Any, Protocol

import structlog
from azure.core.credentials import AccessToken, AccessTokenInfo, TokenRequestOptions
from azure.core.exceptions import ClientAuthenticationError, ServiceRequestError

log = structlog.get_logger(__name__)

DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com"
DEFAULT_SCOPE = "https://graph.microsoft.com/.default"
# Entra answers that mean "try again later" rather than "your configuration is wrong".
TRANSIENT_ERRORS = frozenset({"temporarily_unavailable", "server_error", "service_unavailable"})


class ClientCredentialApp(Protocol):
    """The part of ``msal.ConfidentialClientApplication`` we use (a test can pass a stub)."""

    def acquire_token_for_client(
        self, scopes: list[str], claims_challenge: str | None = None, **kwargs: Any
    ) -> dict[str, Any] | None: ...


class MsalClientCredential:
    """``AsyncTokenCredential`` for the client-credentials flow backed by MSAL.

    ``authority_host`` is the login endpoint (https only; MSAL refuses http), the tenant is
    appended: ``https://login.microsoftonline.com/<tenant_id>``. ``scope`` is what callers get when
    they pass no scopes (``<graph endpoint>/.default``). ``client_credential`` is a secret string or
    an MSAL certificate dict. ``app`` injects a ready MSAL application (tests); ``msal_options`` are
    extra keyword arguments for ``ConfidentialClientApplication`` (``http_client``, ``timeout``...).
    """

    def __init__(
        self,
        tenant_id: str,
        client_id: str,
        client_credential: str | Mapping[str, Any] | None = None,
        *,
        authority_host: str = DEFAULT_AUTHORITY_HOST,
        scope: str = DEFAULT_SCOPE,
        refresh_margin: float = 300.0,
        app: ClientCredentialApp | None = None,
        msal_options: Mapping[str, Any] | None = None,
    ) -> None:
        if app is None:
            if not tenant_id or not client_id or not client_credential:
                raise ValueError(
                    "tenant_id, client_id and a client secret/certificate are required"
                )
            if not authority_host.startswith("https://"):
                raise ValueError("the login authority host must be an https URL")
        self.tenant_id = tenant_id
        self.client_id = client_id
        self.authority = f"{authority_host.rstrip('/')}/{tenant_id}"
        self.scope = scope
        self.refresh_margin = refresh_margin
        self._client_credential = client_credential
        self._msal_options = dict(msal_options or {})
        self._app = app
        self._app_lock = threading.Lock()
        self._tokens: dict[tuple[str, ...], AccessTokenInfo] = {}
        self._locks: dict[tuple[str, ...], asyncio.Lock] = {}

    def __repr__(self) -> str:  # never the secret
        return f"MsalClientCredential(authority={self.authority!r}, client_id={self.client_id!r})"

    # -- azure.core AsyncTokenCredential -------------------------------------------------------

    async def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessToken:
        info = await self._token(scopes, claims)
        return AccessToken(info.token, info.expires_on)

    async def get_token_info(
        self, *scopes: str, options: TokenRequestOptions | None = None
    ) -> AccessTokenInfo:
        return await self._token(scopes, (options or {}).get("claims"))

    def invalidate_token(self, token: str) -> bool:
        """Forget ``token``: Graph refused it (401: revoked, or expired before its time).

        It is dropped from our cache and from MSAL's, so the next ``get_token`` asks Entra for a
        new one (MSAL would otherwise serve the same token from its own cache until it expires).
        Only that token is dropped: if a newer one is cached already (another request renewed it
        first), it stays. Returns whether anything was dropped.
        """
        dropped = False
        for key, info in list(self._tokens.items()):
            if info.token == token:
                del self._tokens[key]
                dropped = True
        cache = getattr(self._app, "token_cache", None)
        if cache is not None:
            kind = cache.CredentialType.ACCESS_TOKEN
            for entry in [e for e in cache.search(kind) if e.get("secret") == token]:
                cache.remove_at(entry)
                dropped = True
        log.info("graph.token_invalidated", client_id=self.client_id, dropped=dropped)
        return dropped

    async def close(self) -> None:
        """Nothing to release: MSAL keeps no open connections we own."""

    async def __aenter__(self) -> MsalClientCredential:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- internals -------------------------------------------------------------------------------

    async def _token(self, scopes: tuple[str, ...], claims: str | None) -> AccessTokenInfo:
        wanted = tuple(sorted(set(scopes))) or (self.scope,)
        if claims:  # a claims challenge (CAE) must bypass every cache
            return await self._acquire(list(wanted), claims)
        cached = self._fresh(wanted)
        if cached is not None:
            return cached
        lock = self._locks.setdefault(wanted, asyncio.Lock())
        async with lock:
            cached = self._fresh(wanted)
            if cached is not None:
                return cached
            info = await self._acquire(list(wanted), None)
            self._tokens[wanted] = info
            return info

    def _fresh(self, key: tuple[str, ...]) -> AccessTokenInfo | None:
        info = self._tokens.get(key)
        if info is None:
            return None
        now = time.time()
        refresh_at = info.refresh_on if info.refresh_on else info.expires_on - self.refresh_margin
        return info if now < refresh_at and now < info.expires_on else None

    async def _acquire(self, scopes: list[str], claims: str | None) -> AccessTokenInfo:
        started = time.monotonic()
        try:
            result = await asyncio.to_thread(self._acquire_blocking, scopes, claims)
        except (ClientAuthenticationError, ServiceRequestError):
            raise
        except Exception as exc:  # requests' ConnectionError/Timeout, DNS, TLS...
            log.warning(
                "graph.token_request_failed",
                authority=self.authority,
                client_id=self.client_id,
                error_type=type(exc).__name__,
            )
            raise ServiceRequestError(
                f"Could not reach the login endpoint {self.authority} ({type(exc).__name__})"
            ) from exc
        return self._to_token_info(result, scopes, time.monotonic() - started)

    def _acquire_blocking(self, scopes: list[str], claims: str | None) -> dict[str, Any] | None:
        app = self._get_app()
        return app.acquire_token_for_client(scopes, claims_challenge=claims)

    def _get_app(self) -> ClientCredentialApp:
        # Built lazily, in the worker thread: MSAL may fetch authority metadata when it starts.
        with self._app_lock:
            if self._app is None:
                import msal

                self._app = msal.ConfidentialClientApplication(
                    self.client_id,
                    client_credential=self._client_credential,
                    authority=self.authority,
                    **self._msal_options,
                )
            return self._app

    def _to_token_info(
        self, result: dict[str, Any] | None, scopes: list[str], elapsed: float
    ) -> AccessTokenInfo:
        result = result or {}
        token = result.get("access_token")
        if token:
            now = int(time.time())
            expires_in = int(result.get("expires_in") or 3600)
            refresh_in = result.get("refresh_in")
            log.debug(
                "graph.token_acquired",
                client_id=self.client_id,
                source=result.get("token_source"),
                expires_in=expires_in,
                elapsed_ms=round(elapsed * 1000),
            )
            return AccessTokenInfo(
                token,
                now + expires_in,
                token_type=str(result.get("token_type") or "Bearer"),
                refresh_on=now + int(refresh_in) if refresh_in else None,
            )
        error = str(result.get("error") or "no_token")
        codes = result.get("error_codes") or []
        description = str(result.get("error_description") or "").splitlines()
        summary = description[0] if description else ""
        log.warning(
            "graph.token_refused",
            authority=self.authority,
            client_id=self.client_id,
            error=error,
            error_codes=codes,
            correlation_id=result.get("correlation_id"),
        )
        message = (
            f"Entra refused a token for client {self.client_id} at {self.authority} "
            f"(scopes {', '.join(scopes)}): {error} {codes} {summary}".rstrip()
        )
        if error in TRANSIENT_ERRORS:
            raise ServiceRequestError(message)
        raise ClientAuthenticationError(message=message)
