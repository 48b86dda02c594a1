"""A small HTTP proxy between the Agents Playground and the bot (standard library only).

Why: the Playground 0.2.28 hard-codes `locale: "en-US"` in every activity it generates (message,
invoke, submit, installationUpdate) and has no setting for it (see NOTES.md). This proxy sits on
the bot endpoint the Playground calls (`agentsplayground -e <proxy url>`), rewrites the locale
and forwards the request unchanged otherwise; the bot's replies go straight to the Playground's
connector (serviceUrl), not through here.

Rules:
- with `locale` set, an activity whose `locale` is missing or the Playground's "en-US" gets
  `locale` = the override, and its `clientInfo` entities too; an activity that already carries
  another locale (a custom activity injected on purpose) is left alone;
- GET/HEAD answer 200 here: the Playground probes the endpoint (wait-on, HEAD) each time a page
  loads its config, and must not wait on the bot for that;
- every forwarded activity is recorded (after rewriting) with the bot's HTTP status, for tests.

Run for local mode (French activities):
    python tools/playground/locale_proxy.py --target http://127.0.0.1:3978/api/messages \
        --locale fr-FR --port 3979
    agentsplayground -e http://127.0.0.1:3979/api/messages -c msteams --disable-telemetry
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PLAYGROUND_LOCALE = "en-US"
FORWARD_TIMEOUT_S = 120.0
_FORWARDED_HEADERS = ("Content-Type", "Authorization")


@dataclasses.dataclass
class ForwardedActivity:
    activity: dict
    status: int | None  # the bot's HTTP status; None when it could not be reached
    body: bytes
    at: float


def _check(target: str | None) -> str | None:
    if target is not None and not target.startswith(("http://", "https://")):
        raise ValueError(f"the bot endpoint must be an http(s) URL, got {target!r}")
    return target


def apply_locale(activity: dict, locale: str | None) -> dict:
    """Return `activity` with its locale overridden (in place), following the rules above."""
    if not locale or not isinstance(activity, dict):
        return activity
    if activity.get("locale") not in (None, "", PLAYGROUND_LOCALE):
        return activity
    activity["locale"] = locale
    for entity in activity.get("entities") or ():
        if isinstance(entity, dict) and entity.get("type") == "clientInfo":
            entity["locale"] = locale
    return activity


class ActivityProxy:
    """Forward POSTs to `target` (settable at any time), rewriting the locale.

    Runs a ThreadingHTTPServer in a daemon thread; safe to use from any thread or event loop
    (it never touches asyncio).
    """

    def __init__(
        self,
        target: str | None = None,
        *,
        locale: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        path: str = "/api/messages",
    ) -> None:
        self._lock = threading.Lock()
        self._target = _check(target)
        self._locale = locale
        self._host = host
        self._port = port
        self._path = path
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.forwarded: list[ForwardedActivity] = []
        # No proxies from the environment: everything here is loopback.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    # -- configuration -------------------------------------------------------------------------
    @property
    def target(self) -> str | None:
        with self._lock:
            return self._target

    @target.setter
    def target(self, value: str | None) -> None:
        _check(value)
        with self._lock:
            self._target = value

    @property
    def locale(self) -> str | None:
        with self._lock:
            return self._locale

    @locale.setter
    def locale(self, value: str | None) -> None:
        with self._lock:
            self._locale = value

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("proxy not started")
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self.port}{self._path}"

    def snapshot(self) -> list[ForwardedActivity]:
        with self._lock:
            return list(self.forwarded)

    def clear(self) -> None:
        with self._lock:
            self.forwarded.clear()

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> ActivityProxy:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def _reply(self, status: int, body: bytes, ctype: str = "text/plain") -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def do_HEAD(self) -> None:
                self._reply(200, b"")

            def do_GET(self) -> None:
                self._reply(200, b"activity proxy\n")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                status, body, ctype = proxy._forward(raw, self.headers)
                self._reply(status, body, ctype)

        self._server = ThreadingHTTPServer((self._host, self._port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="activity-proxy", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> ActivityProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- forwarding ----------------------------------------------------------------------------
    def _forward(self, raw: bytes, headers) -> tuple[int, bytes, str]:
        with self._lock:
            target, locale = self._target, self._locale
        try:
            activity = json.loads(raw or b"null")
        except ValueError:
            activity = None
        if isinstance(activity, dict):
            apply_locale(activity, locale)
            raw = json.dumps(activity).encode()
        record = ForwardedActivity(activity=activity, status=None, body=b"", at=time.time())
        with self._lock:
            self.forwarded.append(record)
        if not target:
            record.body = b"no bot connected to the activity proxy"
            return 503, record.body, "text/plain"
        req = urllib.request.Request(target, data=raw, method="POST")  # noqa: S310 - see _check
        for name in _FORWARDED_HEADERS:
            if headers.get(name):
                req.add_header(name, headers[name])
        try:
            with self._opener.open(req, timeout=FORWARD_TIMEOUT_S) as resp:
                record.status, record.body = resp.status, resp.read()
                ctype = resp.headers.get("Content-Type", "application/json")
        except urllib.error.HTTPError as e:
            record.status, record.body = e.code, e.read()
            ctype = e.headers.get("Content-Type", "text/plain")
        except (urllib.error.URLError, OSError) as e:
            record.body = f"bot unreachable at {target}: {e}".encode()
            return 502, record.body, "text/plain"
        return record.status, record.body, ctype


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument(
        "--target", required=True, help="the bot endpoint, e.g. http://127.0.0.1:3978/api/messages"
    )
    p.add_argument("--locale", required=True, help="e.g. fr-FR, es-ES")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=3979)
    args = p.parse_args(argv)
    proxy = ActivityProxy(args.target, locale=args.locale, host=args.host, port=args.port).start()
    print(f"activity proxy {proxy.url} -> {args.target} (locale {args.locale})", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        proxy.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
