"""The kinds of Graph credential ``GRAPH_CREDENTIAL`` selects (graph/credential.py builds them);
apart so that the settings can name them without importing azure-identity."""

from enum import StrEnum


class CredentialKind(StrEnum):
    AUTO = "auto"
    SECRET = "secret"  # noqa: S105 (a kind's name, not a secret)
    CERTIFICATE = "certificate"
    MANAGED_IDENTITY = "managed_identity"
    WORKLOAD_IDENTITY = "workload_identity"
