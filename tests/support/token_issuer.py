"""A Bot Framework token issuer on 127.0.0.1: OpenID configuration, JWKS, and RS256 tokens.

The SDK fetches the OpenID metadata with blocking `requests`, so the server runs in a thread of its
own (a server on the test's event loop would deadlock that fetch).
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://api.botframework.com"


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class SigningKey:
    kid: str
    private: rsa.RSAPrivateKey
    endorsements: list[str]

    def jwk(self) -> dict[str, Any]:
        numbers = self.private.public_key().public_numbers()
        return {
            "kty": "RSA",
            "use": "sig",
            "kid": self.kid,
            "n": _b64(numbers.n),
            "e": _b64(numbers.e),
            "endorsements": self.endorsements,
        }


def new_key(endorsements: list[str] | None = None) -> SigningKey:
    return SigningKey(
        kid=uuid.uuid4().hex,
        private=rsa.generate_private_key(public_exponent=65537, key_size=2048),
        endorsements=["msteams"] if endorsements is None else endorsements,
    )


def serve_in_thread(server: ThreadingHTTPServer) -> ThreadingHTTPServer:
    """Serve in a daemon thread (the SDK's and MSAL's blocking fetches must not share our loop)."""
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server


def stop_server(server: ThreadingHTTPServer | None) -> None:
    if server is not None:
        server.shutdown()
        server.server_close()


@dataclass
class TokenIssuer:
    app_id: str
    keys: list[SigningKey] = field(default_factory=lambda: [new_key()])
    metadata_fetches: int = 0
    _server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def metadata_url(self) -> str:
        return f"{self.base}/.well-known/openidconfiguration"

    def start(self) -> TokenIssuer:
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # http.server's name for it
                if self.path == "/.well-known/openidconfiguration":
                    issuer.metadata_fetches += 1
                    body = {
                        "issuer": ISSUER,
                        "jwks_uri": f"{issuer.base}/keys",
                        "id_token_signing_alg_values_supported": ["RS256"],
                    }
                elif self.path == "/keys":
                    body = {"keys": [k.jwk() for k in issuer.keys]}
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                payload = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._server = serve_in_thread(ThreadingHTTPServer(("127.0.0.1", 0), Handler))
        return self

    def stop(self) -> None:
        stop_server(self._server)

    def token(
        self,
        service_url: str,
        *,
        key: SigningKey | None = None,
        audience: str | None = None,
        issuer: str | None = ISSUER,
        expires_in: int | None = 3600,
        kid: str | None = None,
        **claims: Any,
    ) -> str:
        key = key or self.keys[0]
        now = int(time.time())
        payload: dict[str, Any] = {
            "aud": audience if audience is not None else self.app_id,
            "serviceurl": service_url,
            "nbf": now - 60,
            "iat": now - 60,
            **claims,
        }
        if expires_in is not None:
            payload["exp"] = now + expires_in
        if issuer is not None:
            payload["iss"] = issuer
        return jwt.encode(payload, key.private, algorithm="RS256", headers={"kid": kid or key.kid})
