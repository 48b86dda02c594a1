"""POST /api/messages: our own route around the CloudAdapter.

We own it (instead of `CloudAdapter.process`) because the SDK's route turns invoke bodies and most
authentication failures into 500s (FACTS.md). Here: a bad body is a 4xx with a reason, every
authentication failure is a 401, invoke responses are returned as they are.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urlparse

import orjson
import structlog
from aiohttp import web
from botbuilder.core import Bot
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult

from bot.activity_model import KNOWN_TYPES, InboundActivity, validate
from bot.authentication import KeysUnavailable, TokenRejected, classify_failure
from bot.fast_deserializer import READER
from copbot.metrics import Metrics

log = structlog.get_logger(__name__)

MAX_BODY_BYTES = 256 * 1024
# Bot Framework tokens are 1-3 KB; anything much larger is not one (and is not logged).
MAX_AUTHORIZATION_BYTES = 16 * 1024
TEAMS = "msteams"


@dataclass(frozen=True)
class InboundPolicy:
    """Who may reach the handlers, beyond a valid token (docs/security.md)."""

    production: bool  # an app id is set: tokens are checked, and so are channel and tenant
    tenant_id: str | None = None  # SingleTenant: activities of this tenant only

    def refusal(self, activity: InboundActivity) -> web.Response | None:
        """The 403 for an authenticated activity CoP Bot must not act on, or None."""
        if not self.production:
            return None
        if activity.channelId != TEAMS:
            log.warning("inbound.refused", reason="channel", channel=str(activity.channelId)[:32])
            return problem(403, "ChannelNotAllowed", f"this bot serves the {TEAMS!r} channel only")
        if self.tenant_id and (activity.tenant_id or "").lower() != self.tenant_id.lower():
            log.warning("inbound.refused", reason="tenant")
            return problem(403, "TenantNotAllowed", "this bot serves its own tenant only")
        return None


def problem(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


def _too_large() -> web.Response:
    return problem(413, "PayloadTooLarge", f"an activity may be at most {MAX_BODY_BYTES} bytes")


def parse_activity(body: bytes) -> tuple[Activity, InboundActivity] | web.Response:
    """The activity in the body (the SDK's object and our typed view of it), or the 400 that says
    what is wrong with it."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:  # also for bytes that are not UTF-8
        return problem(400, "BadRequest", f"the body is not valid JSON: {exc}")
    if not isinstance(data, dict):
        return problem(400, "BadRequest", "the body must be a JSON object (an activity)")
    kind = data.get("type")
    if not isinstance(kind, str) or not kind:
        return problem(400, "BadRequest", "the activity has no 'type'")
    if kind not in KNOWN_TYPES:
        return problem(400, "BadRequest", f"unknown activity type {kind[:40]!r}")
    service_url = data.get("serviceUrl")
    if not isinstance(service_url, str) or urlparse(service_url).scheme not in {"http", "https"}:
        return problem(400, "BadRequest", "the activity needs an http(s) 'serviceUrl'")
    conversation = data.get("conversation")
    if not isinstance(conversation, dict) or not isinstance(conversation.get("id"), str):
        return problem(400, "BadRequest", "the activity needs a 'conversation' with an 'id'")
    typed = validate(data)
    if isinstance(typed, str):
        return problem(400, "BadRequest", f"malformed activity: {typed}")
    try:
        activity = READER.activity(data)
    except Exception as exc:  # msrest raises several kinds; all mean a malformed activity
        return problem(400, "BadRequest", f"malformed activity: {str(exc)[:200]}")
    return activity, typed


class MessagesEndpoint:
    def __init__(
        self,
        adapter: CloudAdapter,
        bot: Bot,
        *,
        authenticate_in_thread: bool,
        metrics: Metrics,
        policy: InboundPolicy | None = None,
    ):
        self.adapter = adapter
        self.bot = bot
        self.metrics = metrics
        self.policy = policy or InboundPolicy(production=authenticate_in_thread)
        # The SDK fetches OpenID metadata with blocking `requests`; keep that off the event loop.
        self.authenticate_in_thread = authenticate_in_thread

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        authorization = request.headers.get("Authorization", "")
        parsed = await self._read(request)
        if len(authorization) > MAX_AUTHORIZATION_BYTES:
            kind = "invalid"
            response = problem(
                431, "HeaderTooLarge", "the Authorization header is too large to be a token"
            )
        elif isinstance(parsed, web.Response):
            kind, response = "invalid", parsed
        else:
            activity, typed = parsed
            kind = activity.type
            response = await self._process(activity, typed, authorization)
        outcome = "ok" if response.status < 400 else str(response.status)
        self.metrics.count_turn(kind, outcome, time.perf_counter() - started)
        return response

    async def _read(self, request: web.Request) -> tuple[Activity, InboundActivity] | web.Response:
        """The activity of the request, or the 4xx that says what is wrong with the request."""
        if request.content_type != "application/json":
            return problem(415, "UnsupportedMediaType", "send the activity as application/json")
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            return _too_large()
        try:
            body = await request.content.read(MAX_BODY_BYTES + 1)
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            return problem(400, "BadRequest", f"could not read the body: {type(exc).__name__}")
        if len(body) > MAX_BODY_BYTES:
            return _too_large()
        return parse_activity(body)

    async def _process(
        self, activity: Activity, typed: InboundActivity, authorization: str
    ) -> web.Response:
        auth = await self._authenticate(activity, authorization)
        if isinstance(auth, web.Response):
            return auth
        refused = self.policy.refusal(typed)
        if refused is not None:
            return refused
        invoke_response = await self.adapter.process_activity(auth, activity, self.bot.on_turn)
        if invoke_response is None:
            return web.Response(status=201)
        if invoke_response.status == 501:  # the SDK's answer to an invoke no handler knows
            name = str(activity.name or "")[:80]
            return problem(400, "UnsupportedInvoke", f"this bot does not handle invoke {name!r}")
        body = invoke_response.body
        if hasattr(body, "serialize"):  # e.g. ExpectedReplies for deliveryMode=expectReplies
            body = body.serialize()
        return web.json_response(body, status=invoke_response.status)

    async def _authenticate(
        self, activity: Activity, header: str
    ) -> AuthenticateRequestResult | web.Response:
        """The authenticated identity, or the answer: 401 for a bad token, 503 when the signing
        keys cannot be fetched, 500 for a bug on the way (logged with its traceback)."""
        authentication = self.adapter.bot_framework_authentication
        try:
            if self.authenticate_in_thread:
                return await asyncio.to_thread(
                    asyncio.run, authentication.authenticate_request(activity, header)
                )
            return await authentication.authenticate_request(activity, header)
        except Exception as exc:
            kind = classify_failure(exc)
            if kind is TokenRejected:
                log.warning("auth.rejected", reason=type(exc).__name__, detail=str(exc)[:120])
                return problem(401, "Unauthorized", "the request is not authenticated")
            if kind is KeysUnavailable:
                log.warning("auth.keys_unavailable", error=type(exc).__name__, exc_info=True)
                return problem(
                    503, "ServiceUnavailable", "the token signing keys cannot be fetched now"
                )
            log.exception("auth.failed", error=type(exc).__name__)
            return problem(500, "InternalError", "authentication failed on our side")
