"""Entra ID's token endpoint for MSAL, in process: what ``msal.ConfidentialClientApplication``
needs for the client-credentials flow, answered without a network.

MSAL takes an ``http_client`` (a requests-like object). This one serves the tenant's OpenID
configuration and issues a new access token on every token request ("entra-token-1", "-2"...),
so a test sees when MSAL really asked Entra (and when its cache answered instead).

    entra = FakeEntra()
    credential = MsalClientCredential(TENANT, CLIENT_ID, "secret", msal_options=entra.msal_options())
"""

from __future__ import annotations

import itertools
import json
import threading
from typing import Any


class _Response:
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        self.status_code = status
        self.text = json.dumps(body)
        self.headers = {"Content-Type": "application/json"}

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise RuntimeError(f"HTTP {self.status_code}")


class FakeEntra:
    """A requests-like HTTP client for MSAL: OpenID configuration + token endpoint."""

    def __init__(self, *, prefix: str = "entra-token", expires_in: int = 3600) -> None:
        self.prefix = prefix
        self.expires_in = expires_in
        self.issued: list[str] = []
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()  # MSAL calls from worker threads

    def msal_options(self) -> dict[str, Any]:
        return {"http_client": self, "instance_discovery": False}

    @property
    def token_requests(self) -> int:
        return len(self.issued)

    def get(self, url: str, **_: Any) -> _Response:
        base = url.split("/v2.0/")[0]
        return _Response(
            200,
            {
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "issuer": f"{base}/v2.0",
            },
        )

    def post(self, url: str, **_: Any) -> _Response:
        with self._lock:
            token = f"{self.prefix}-{next(self._numbers)}"
            self.issued.append(token)
        return _Response(
            200, {"access_token": token, "token_type": "Bearer", "expires_in": self.expires_in}
        )

    def close(self) -> None:
        pass
