"""Microsoft Graph: the directory (users, Microsoft 365 group membership) for CoP Bot.

msgraph-sdk, kiota and azure-identity types stay inside this package; the domain sees only
``copbot.directory`` types. Attributes are imported lazily so that ``import graph`` stays cheap
(msgraph-sdk takes a while to import) for code that needs none of it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import RetryPolicy as RetryPolicy
    from .client import build_graph_client as build_graph_client
    from .client import graph_scope as graph_scope
    from .credential import CredentialConfig as CredentialConfig
    from .credential import GraphCredential as GraphCredential
    from .directory import GraphDirectory as GraphDirectory

_EXPORTS = {
    "CredentialConfig": ".credential",
    "GraphCredential": ".credential",
    "GraphDirectory": ".directory",
    "RetryPolicy": ".client",
    "build_graph_client": ".client",
    "graph_scope": ".client",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module, __name__), name)
