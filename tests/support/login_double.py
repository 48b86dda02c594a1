"""Entra's token endpoint for the bot's own outbound token, over https on 127.0.0.1.

What MSAL's client-credentials flow asks of an authority when instance discovery is off: the
tenant's OpenID configuration, then a token
(https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
A wrong client secret gets Entra's refusal: 401 `invalid_client` (AADSTS7000215). The server has
a self-signed certificate; a test trusts it through `REQUESTS_CA_BUNDLE`, the standard variable
MSAL's `requests` reads, so nothing in the code under test changes for the test.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import ssl
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.support.token_issuer import serve_in_thread, stop_server


def self_signed(directory: Path) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "login.crt", directory / "login.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class LoginDouble:
    client_id: str
    client_secret: str
    directory: Path
    requests: list[dict[str, Any]] = field(default_factory=list)  # form of each token request
    paths: list[str] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    cert_path: Path | None = None

    @property
    def base(self) -> str:
        assert self._server is not None
        return f"https://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> LoginDouble:
        double = self
        self.cert_path, key_path = self_signed(self.directory)

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, status: int, body: dict[str, Any]) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                double.paths.append(self.path)
                if self.path.endswith("/v2.0/.well-known/openid-configuration"):
                    tenant = self.path.split("/")[1]
                    base = f"{double.base}/{tenant}"
                    self._json(
                        200,
                        {
                            "token_endpoint": f"{base}/oauth2/v2.0/token",
                            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                            "issuer": f"{base}/v2.0",
                        },
                    )
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:
                double.paths.append(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                double.requests.append(form)
                if (
                    form.get("client_id") != double.client_id
                    or form.get("client_secret") != double.client_secret
                ):
                    self._json(
                        401,
                        {
                            "error": "invalid_client",
                            "error_description": "AADSTS7000215: Invalid client secret provided.",
                        },
                    )
                    return
                number = len(double.requests)
                self._json(
                    200,
                    {
                        "token_type": "Bearer",
                        "expires_in": 3599,
                        "access_token": f"bot-token-{number}",
                    },
                )

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_path, key_path)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        serve_in_thread(self._server)
        return self

    def stop(self) -> None:
        stop_server(self._server)
