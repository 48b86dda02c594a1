"""Entra ID's token endpoint (and an Azure managed identity endpoint), over https on 127.0.0.1.

What the client-credentials flow asks of an authority
(https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow): MSAL
reads the tenant's OpenID configuration first, azure-identity posts straight to
`/<tenant>/oauth2/v2.0/token`. The app proves who it is with
- a client secret (`client_secret`),
- a certificate: a JWT `client_assertion` signed with its private key, checked here against the
  certificate's public key, audience and issuer as Entra does
  (https://learn.microsoft.com/entra/identity-platform/certificate-credentials), or
- a federated token (workload identity): the service account's token as `client_assertion`
  (https://learn.microsoft.com/entra/workload-id/workload-identity-federation).
Refusals are Entra's: a wrong secret is 401 `invalid_client` AADSTS7000215, a wrong assertion
401 `invalid_client` AADSTS700027; `fail_next` answers 5xx/429 `temporarily_unavailable` as
Entra does when it is busy (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
Every token is new ("<prefix>-1", "-2"...), so a test sees when a cache answered instead.

`GET /msi/token` is App Service's managed identity endpoint (`IDENTITY_ENDPOINT`, with the
`X-IDENTITY-HEADER` secret from `IDENTITY_HEADER`;
https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference):
a wrong header is 401.

The server's certificate is self-signed: MSAL trusts it through `REQUESTS_CA_BUNDLE`,
azure-identity through `connection_verify=str(double.cert_path)`.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.support.token_issuer import serve_in_thread, stop_server

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def self_signed(
    directory: Path, name: str = "login", common_name: str = "127.0.0.1"
) -> tuple[Path, Path]:
    """A certificate and its key as PEM files (`<name>.crt`, `<name>.key`)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
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
    cert_path, key_path = directory / f"{name}.crt", directory / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def app_certificate(directory: Path) -> Path:
    """What an admin uploads to the app registration and gives CoP Bot: one PEM, key + cert."""
    cert_path, key_path = self_signed(directory, "app", "copbot-graph")
    both = directory / "app.pem"
    both.write_bytes(key_path.read_bytes() + cert_path.read_bytes())
    return both


@dataclass
class Failure:
    status: int
    error: str
    description: str
    retry_after: str | None = None


@dataclass
class LoginDouble:
    client_id: str
    client_secret: str
    directory: Path
    prefix: str = "bot-token"
    expires_in: int = 3599
    certificate: Path | None = None  # a PEM holding the app's certificate: assertions accepted
    federated_token: str | None = None  # workload identity: this assertion accepted
    identity_header: str | None = None  # managed identity: the X-IDENTITY-HEADER accepted
    requests: list[dict[str, Any]] = field(default_factory=list)  # form of each token request
    paths: list[str] = field(default_factory=list)
    issued: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    cert_path: Path | None = None

    @property
    def base(self) -> str:
        assert self._server is not None
        return f"https://127.0.0.1:{self._server.server_address[1]}"

    @property
    def identity_endpoint(self) -> str:
        return f"{self.base}/msi/token"

    def fail_next(
        self,
        status: int = 503,
        error: str = "temporarily_unavailable",
        description: str = "AADSTS90033: A transient error has occurred. Please try again.",
        *,
        times: int = 1,
        retry_after: str | None = None,
    ) -> None:
        self.failures.extend(Failure(status, error, description, retry_after) for _ in range(times))

    def start(self) -> LoginDouble:
        double = self
        lock = threading.Lock()
        self.cert_path, key_path = self_signed(self.directory)

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _json(
                self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
            ) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def _refuse(self, code: str, description: str) -> None:
                self._json(401, {"error": "invalid_client", "error_description": description})

            def _issue(self) -> str:
                with lock:
                    token = f"{double.prefix}-{len(double.issued) + 1}"
                    double.issued.append(token)
                return token

            def _failed(self) -> bool:
                with lock:
                    failure = double.failures.pop(0) if double.failures else None
                if failure is None:
                    return False
                headers = {"Retry-After": failure.retry_after} if failure.retry_after else None
                body = {"error": failure.error, "error_description": failure.description}
                self._json(failure.status, body, headers)
                return True

            def do_GET(self) -> None:
                double.paths.append(self.path)
                parts = urlsplit(self.path)
                if parts.path == "/msi/token":
                    self._managed_identity(parse_qs(parts.query))
                elif parts.path.endswith("/v2.0/.well-known/openid-configuration"):
                    tenant = parts.path.split("/")[1]
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

            def _managed_identity(self, query: dict[str, list[str]]) -> None:
                double.requests.append({k: v[0] for k, v in query.items()})
                if self._failed():
                    return
                if self.headers.get("X-IDENTITY-HEADER") != double.identity_header:
                    self._json(401, {"statusCode": 401, "message": "Unauthorized"})
                    return
                token = self._issue()
                self._json(
                    200,
                    {
                        "access_token": token,
                        "expires_on": str(int(time.time()) + double.expires_in),
                        "resource": query.get("resource", [""])[0],
                        "token_type": "Bearer",
                        "client_id": query.get("client_id", ["system-assigned"])[0],
                    },
                )

            def do_POST(self) -> None:
                double.paths.append(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                double.requests.append(form)
                if self._failed():
                    return
                if form.get("client_id") != double.client_id:
                    self._refuse(
                        "invalid_client",
                        f"AADSTS700016: Application with identifier '{form.get('client_id')}' "
                        "was not found in the directory.",
                    )
                    return
                if not self._proven(form):
                    return
                self._json(
                    200,
                    {
                        "token_type": "Bearer",
                        "expires_in": double.expires_in,
                        "access_token": self._issue(),
                    },
                )

            def _proven(self, form: dict[str, str]) -> bool:
                if "client_secret" in form:
                    if form["client_secret"] == double.client_secret:
                        return True
                    self._refuse("invalid_client", "AADSTS7000215: Invalid client secret provided.")
                    return False
                assertion = form.get("client_assertion", "")
                if form.get("client_assertion_type") != JWT_BEARER or not assertion:
                    self._refuse(
                        "invalid_client",
                        "AADSTS7000218: The request body must contain "
                        "'client_assertion' or 'client_secret'.",
                    )
                    return False
                if double.federated_token is not None and assertion == double.federated_token:
                    return True
                if double.certificate is not None and self._signed_by_the_app(assertion):
                    return True
                self._refuse(
                    "invalid_client",
                    "AADSTS700027: Client assertion failed signature validation.",
                )
                return False

            def _signed_by_the_app(self, assertion: str) -> bool:
                assert double.certificate is not None
                cert = x509.load_pem_x509_certificate(double.certificate.read_bytes())
                audience = f"{double.base}{self.path}"
                try:
                    claims = jwt.decode(
                        assertion,
                        cert.public_key(),  # type: ignore[arg-type]
                        algorithms=["RS256", "PS256"],
                        audience=audience,
                        issuer=double.client_id,
                    )
                except jwt.PyJWTError:
                    return False
                return bool(claims.get("sub") == double.client_id)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_path, key_path)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        serve_in_thread(self._server)
        return self

    def stop(self) -> None:
        stop_server(self._server)
