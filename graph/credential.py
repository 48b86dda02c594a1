"""Graph's app-only token, from azure-identity: which credential the settings select, and what a
refusal means.

One credential serves every Graph client of the process (directory, app installer, directory
sync); azure-identity caches its token and renews it before it expires. ``GRAPH_CREDENTIAL``
selects the kind (``auto`` by default):

=================== ======================================================================
``secret``          the app registration's client secret: ``GRAPH_CLIENT_SECRET``, else the
                    bot's own ``MICROSOFT_APP_PASSWORD`` (``ClientSecretCredential``)
``certificate``     a PEM file with the private key and the certificate uploaded to the app
                    registration: ``GRAPH_CLIENT_CERTIFICATE_PATH`` (and
                    ``GRAPH_CLIENT_CERTIFICATE_PASSWORD`` when the key is encrypted)
                    (``CertificateCredential``)
``managed_identity`` the Azure resource's managed identity: system-assigned, or the user-assigned
                    one whose client id is ``GRAPH_MANAGED_IDENTITY_CLIENT_ID``; no secret at
                    all (``ManagedIdentityCredential``)
``workload_identity`` a Kubernetes service account federated with the app registration: the
                    token file in ``AZURE_FEDERATED_TOKEN_FILE`` (set by the AKS webhook)
                    (``WorkloadIdentityCredential``)
``auto``            the first that is configured, in the order certificate, secret, workload
                    identity, managed identity
=================== ======================================================================

A refusal by Entra (a wrong secret, an expired certificate) is a ``CredentialRefused`` naming the
settings to check; Entra failing for a while (5xx, 429, ``temporarily_unavailable``) is a
``CredentialRefused`` with ``transient=True``: graph/errors.py makes the first a
``DirectoryError`` and the second ``DirectoryUnavailable`` (the outbox tries again later).
Secrets never appear in ``repr``, messages or logs.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import structlog
from azure.core.credentials import AccessToken, AccessTokenInfo, TokenRequestOptions
from azure.core.credentials_async import AsyncTokenCredential
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import CredentialUnavailableError
from azure.identity.aio import (
    CertificateCredential,
    ClientSecretCredential,
    ManagedIdentityCredential,
    WorkloadIdentityCredential,
)

from .credential_kind import CredentialKind

log = structlog.get_logger(__name__)

DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com"
# Entra's answers that mean "later", not "your configuration is wrong"
# (https://learn.microsoft.com/entra/identity-platform/reference-error-codes#handling-error-codes-in-your-application).
TRANSIENT_ERRORS = ("temporarily_unavailable", "server_error", "service_unavailable")
# In-process retries of a token request (azure-core's RetryPolicy: 429/5xx, Retry-After
# honoured); longer outages go back to the caller, whose outbox waits instead.
TOKEN_RETRIES: dict[str, Any] = {"retry_total": 2, "retry_backoff_factor": 0.5}


class CredentialRefused(ClientAuthenticationError):
    """No Graph token: ``transient`` when Entra (or the identity endpoint) failed for a while."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message=message)
        self.transient = transient


@dataclass(frozen=True)
class CredentialConfig:
    """What the settings say about Graph's credential (app.py builds it from ``Settings``)."""

    kind: CredentialKind = CredentialKind.AUTO
    tenant_id: str = ""
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    secret_setting: str = "GRAPH_CLIENT_SECRET"  # noqa: S105 (the setting named in messages)
    certificate_path: str = ""
    certificate_password: str = field(default="", repr=False)
    managed_identity_client_id: str = ""
    federated_token_file: str = ""
    authority_host: str = DEFAULT_AUTHORITY_HOST

    def resolved(self) -> CredentialKind:
        """The kind ``auto`` stands for with these settings (another kind stands for itself)."""
        if self.kind != CredentialKind.AUTO:
            return self.kind
        if self.certificate_path:
            return CredentialKind.CERTIFICATE
        if self.client_secret:
            return CredentialKind.SECRET
        if self.federated_token_file:
            return CredentialKind.WORKLOAD_IDENTITY
        return CredentialKind.MANAGED_IDENTITY

    def problems(self) -> list[str]:
        """Settings that cannot give a token, as sentences for a person to fix."""
        kind = self.resolved()
        problems = []
        needs_app = kind in {
            CredentialKind.SECRET,
            CredentialKind.CERTIFICATE,
            CredentialKind.WORKLOAD_IDENTITY,
        }
        if needs_app and not self.tenant_id:
            problems.append(f"GRAPH_CREDENTIAL={kind} needs MICROSOFT_APP_TENANT_ID")
        if needs_app and not self.client_id:
            problems.append(f"GRAPH_CREDENTIAL={kind} needs GRAPH_CLIENT_ID (or MICROSOFT_APP_ID)")
        if kind == CredentialKind.SECRET and not self.client_secret:
            problems.append(
                "GRAPH_CREDENTIAL=secret needs GRAPH_CLIENT_SECRET (or MICROSOFT_APP_PASSWORD)"
            )
        if kind == CredentialKind.CERTIFICATE:
            if not self.certificate_path:
                problems.append("GRAPH_CREDENTIAL=certificate needs GRAPH_CLIENT_CERTIFICATE_PATH")
            elif not Path(self.certificate_path).is_file():
                problems.append(
                    f"GRAPH_CLIENT_CERTIFICATE_PATH: no such file {self.certificate_path}"
                )
        if kind == CredentialKind.WORKLOAD_IDENTITY and not self.federated_token_file:
            problems.append(
                "GRAPH_CREDENTIAL=workload_identity needs AZURE_FEDERATED_TOKEN_FILE "
                "(set by the AKS workload identity webhook)"
            )
        if not self.authority_host.startswith("https://"):
            problems.append("LOGIN_AUTHORITY_HOST must be an https URL")
        return problems

    def settings_to_check(self) -> str:
        """The settings a refused token points at, for the person who reads the error."""
        return {
            CredentialKind.SECRET: (
                f"{self.secret_setting}, GRAPH_CLIENT_ID and MICROSOFT_APP_TENANT_ID"
            ),
            CredentialKind.CERTIFICATE: (
                "GRAPH_CLIENT_CERTIFICATE_PATH (the certificate uploaded to the app registration,"
                " not expired), GRAPH_CLIENT_ID and MICROSOFT_APP_TENANT_ID"
            ),
            CredentialKind.MANAGED_IDENTITY: (
                "the managed identity of this Azure resource (GRAPH_MANAGED_IDENTITY_CLIENT_ID "
                "for a user-assigned one) and its Graph application permissions"
            ),
            CredentialKind.WORKLOAD_IDENTITY: (
                "the federated credential of the app registration GRAPH_CLIENT_ID for this "
                "service account (AZURE_FEDERATED_TOKEN_FILE)"
            ),
        }[self.resolved()]

    def describe(self) -> str:
        """What /readyz and check-config show: the kind and whose it is, never a secret."""
        kind = self.resolved()
        if kind == CredentialKind.MANAGED_IDENTITY:
            who = self.managed_identity_client_id or "system-assigned"
            return f"managed_identity ({who})"
        return f"{kind} (app {self.client_id}, tenant {self.tenant_id})"


class GraphCredential:
    """The azure-identity credential the settings select, as an ``AsyncTokenCredential`` whose
    refusals say what to fix. Close it at shutdown (``close`` or ``async with``)."""

    def __init__(self, config: CredentialConfig, **options: Any) -> None:
        """``options`` go to azure-identity (tests: ``connection_verify``, retry settings)."""
        problems = config.problems()
        if problems:
            raise ValueError("; ".join(problems))
        self.config = config
        self.kind = config.resolved()
        self._inner = _azure_credential(config, {**TOKEN_RETRIES, **options})
        self._locks: dict[tuple[tuple[str, ...], bool], asyncio.Lock] = {}

    def __repr__(self) -> str:
        return f"GraphCredential({self.config.describe()})"

    async def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessToken:
        try:
            if claims:  # a claims challenge always asks Entra: no cache to share
                return await self._inner.get_token(
                    *scopes, claims=claims, tenant_id=tenant_id, enable_cae=enable_cae, **kwargs
                )
            # azure-identity does not share an acquisition between concurrent callers: a burst
            # of Graph calls at start-up would make one token request each, not one in all.
            async with self._locks.setdefault((scopes, enable_cae), asyncio.Lock()):
                return await self._inner.get_token(
                    *scopes, tenant_id=tenant_id, enable_cae=enable_cae, **kwargs
                )
        except ClientAuthenticationError as exc:
            raise self._refused(exc) from exc

    async def get_token_info(
        self, *scopes: str, options: TokenRequestOptions | None = None
    ) -> AccessTokenInfo:
        options = options or {}
        token = await self.get_token(
            *scopes,
            claims=options.get("claims"),
            tenant_id=options.get("tenant_id"),
            enable_cae=bool(options.get("enable_cae", False)),
        )
        return AccessTokenInfo(token.token, token.expires_on)

    async def close(self) -> None:
        await self._inner.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _refused(self, exc: ClientAuthenticationError) -> CredentialRefused:
        status = getattr(exc.response, "status_code", None)
        text = str(exc.message or exc)
        transient = (status is not None and (status == 429 or status >= 500)) or any(
            code in text for code in TRANSIENT_ERRORS
        )
        if isinstance(exc, CredentialUnavailableError):
            reason = "is not available here"
        elif transient:
            reason = "failed for a while"
        else:
            reason = "was refused"
        log.warning(
            "graph.token_refused",
            credential=str(self.kind),
            client_id=self.config.client_id or self.config.managed_identity_client_id,
            status=status,
            transient=transient,
            error_type=type(exc).__name__,
        )
        first_line = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
        message = f"the Graph credential {self.config.describe()} {reason}: {first_line}"
        if not transient:
            message += f" (check {self.config.settings_to_check()})"
        return CredentialRefused(message, transient=transient)


def _azure_credential(config: CredentialConfig, options: dict[str, Any]) -> AsyncTokenCredential:
    kind = config.resolved()
    if kind == CredentialKind.SECRET:
        return ClientSecretCredential(
            config.tenant_id,
            config.client_id,
            config.client_secret,
            authority=config.authority_host,
            **options,
        )
    if kind == CredentialKind.CERTIFICATE:
        return CertificateCredential(
            config.tenant_id,
            config.client_id,
            config.certificate_path,
            password=config.certificate_password or None,
            authority=config.authority_host,
            **options,
        )
    if kind == CredentialKind.WORKLOAD_IDENTITY:
        return WorkloadIdentityCredential(
            tenant_id=config.tenant_id,
            client_id=config.client_id,
            token_file_path=config.federated_token_file,
            authority=config.authority_host,
            **options,
        )
    return ManagedIdentityCredential(client_id=config.managed_identity_client_id or None, **options)
