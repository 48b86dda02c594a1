"""The Graph clients of the composition root, all on one credential (graph/credential.py), and
the credential's line on /readyz."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import structlog

from .accounts import GraphAccounts
from .client import DEFAULT_GRAPH_BASE_URL, graph_scope
from .credential import CredentialRefused, GraphCredential
from .delta import GraphGroupDelta
from .teams import GraphTeamMembers

if TYPE_CHECKING:
    from azure.core.credentials_async import AsyncTokenCredential

    from copbot.services import ReadinessCheck

log = structlog.get_logger(__name__)


def graph_sync_ports(
    credential: AsyncTokenCredential, graph_base_url: str = DEFAULT_GRAPH_BASE_URL
) -> tuple[GraphGroupDelta, GraphAccounts, GraphTeamMembers]:
    """The directory sync's and the Team add's clients; each owns an HTTP client (``aclose``)."""
    return (
        GraphGroupDelta.create(credential, graph_base_url),
        GraphAccounts.create(credential, graph_base_url),
        GraphTeamMembers.create(credential, graph_base_url),
    )


def credential_readiness(credential: GraphCredential, graph_base_url: str) -> ReadinessCheck:
    """/readyz names Graph's credential and whether it gives a token. A refusal is a warning, not
    "not ready": chat (finding a CoP) works without Graph, and every instance shares the refusal.
    azure-identity caches the token, so a poll asks Entra only when the token needs renewing."""

    async def check() -> tuple[str, dict[str, Any], list[str]]:
        detail: dict[str, Any] = {"ok": True, "credential": credential.config.describe()}
        try:
            async with asyncio.timeout(5):
                await credential.get_token(graph_scope(graph_base_url), enable_cae=True)
        except (CredentialRefused, TimeoutError) as exc:
            reason = str(exc) or "no answer from the login endpoint in 5 s"
            detail["login"] = reason
            return "graph_credential", detail, [f"warning: graph: no Graph token: {reason}"]
        except Exception as exc:  # unreachable login endpoint (ServiceRequestError) and the like
            log.warning("readyz.graph_token_failed", error_type=type(exc).__name__, exc_info=True)
            detail["login"] = f"{type(exc).__name__}: {exc}"
            return "graph_credential", detail, [f"warning: graph: no Graph token: {exc}"]
        detail["login"] = "ok"
        return "graph_credential", detail, []

    return check
