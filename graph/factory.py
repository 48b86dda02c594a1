"""One call for the composition root: settings values in, a ready ``GraphDirectory`` out (and,
from the same credential, the Teams-side clients such as ``GraphAppInstaller``)."""

from __future__ import annotations

from .accounts import GraphAccounts
from .client import DEFAULT_GRAPH_BASE_URL, RetryPolicy, graph_scope
from .credentials import DEFAULT_AUTHORITY_HOST, MsalClientCredential
from .delta import GraphGroupDelta
from .directory import GraphDirectory
from .installs import GraphAppInstaller
from .teams import GraphTeamMembers


def graph_credential(
    *, tenant_id: str, client_id: str, client_secret: str, authority_host: str, graph_base_url: str
) -> MsalClientCredential:
    return MsalClientCredential(
        tenant_id,
        client_id,
        client_secret,
        authority_host=authority_host,
        scope=graph_scope(graph_base_url),
    )


def graph_sync_ports(
    credential: MsalClientCredential, graph_base_url: str = DEFAULT_GRAPH_BASE_URL
) -> tuple[GraphGroupDelta, GraphAccounts, GraphTeamMembers]:
    """The directory sync's and the Team add's clients; each owns an HTTP client (``aclose``)."""
    return (
        GraphGroupDelta.create(credential, graph_base_url),
        GraphAccounts.create(credential, graph_base_url),
        GraphTeamMembers.create(credential, graph_base_url),
    )


def graph_directory_from_settings(
    *,
    tenant_id: str,
    client_id: str,
    client_secret: str,
    authority_host: str = DEFAULT_AUTHORITY_HOST,
    graph_base_url: str = DEFAULT_GRAPH_BASE_URL,
    retry: RetryPolicy | None = None,
    timeout: float = 30.0,
) -> GraphDirectory:
    """Client-credentials MSAL token for ``<graph host>/.default``, sent only to ``graph_base_url``.

    The caller should ``await directory.aclose()`` at shutdown (it closes the HTTP client).
    """
    credential = MsalClientCredential(
        tenant_id,
        client_id,
        client_secret,
        authority_host=authority_host,
        scope=graph_scope(graph_base_url),
    )
    return GraphDirectory.create(credential, graph_base_url, retry=retry, timeout=timeout)


def graph_installer_from_settings(
    *,
    tenant_id: str,
    client_id: str,
    client_secret: str,
    authority_host: str = DEFAULT_AUTHORITY_HOST,
    graph_base_url: str = DEFAULT_GRAPH_BASE_URL,
    timeout: float = 30.0,
) -> GraphAppInstaller:
    """The app installer on Graph; ``await installer.aclose()`` at shutdown."""
    credential = MsalClientCredential(
        tenant_id,
        client_id,
        client_secret,
        authority_host=authority_host,
        scope=graph_scope(graph_base_url),
    )
    return GraphAppInstaller.create(credential, graph_base_url, timeout=timeout)
