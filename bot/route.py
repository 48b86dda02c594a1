"""POST /api/messages: our own route around the CloudAdapter.

We own it (instead of `CloudAdapter.process`) because the SDK's route turns invoke bodies and most
authentication failures into 500s (FACTS.md). Here: a bad body is a 4xx with a reason, every
authentication failure is a 401, invoke responses are returned as they are.
"""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlparse

import structlog
from aiohttp import web
from botbuilder.core import Bot
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth import AuthenticateRequestResult

log = structlog.get_logger(__name__)

MAX_BODY_BYTES = 256 * 1024
KNOWN_TYPES = {t.value for t in ActivityTypes}


def problem(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


def parse_activity(body: bytes) -> Activity | web.Response:
    """The activity in the body, or the 400 that says what is wrong with it."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
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
    sender = data.get("from")
    if sender is not None and not isinstance(sender, dict):
        return problem(400, "BadRequest", "'from' must be an object")
    try:
        activity = Activity().deserialize(data)
    except Exception as exc:  # msrest raises several kinds; all mean a malformed activity
        return problem(400, "BadRequest", f"malformed activity: {str(exc)[:200]}")
    if activity.text is not None and not isinstance(activity.text, str):
        return problem(400, "BadRequest", "'text' must be a string")
    return activity


class MessagesEndpoint:
    def __init__(self, adapter: CloudAdapter, bot: Bot, *, authenticate_in_thread: bool):
        self.adapter = adapter
        self.bot = bot
        # The SDK fetches OpenID metadata with blocking `requests`; keep that off the event loop.
        self.authenticate_in_thread = authenticate_in_thread

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        if request.content_type != "application/json":
            return problem(415, "UnsupportedMediaType", "send the activity as application/json")
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            return problem(
                413, "PayloadTooLarge", f"an activity may be at most {MAX_BODY_BYTES} bytes"
            )
        try:
            body = await request.content.read(MAX_BODY_BYTES + 1)
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            return problem(400, "BadRequest", f"could not read the body: {type(exc).__name__}")
        if len(body) > MAX_BODY_BYTES:
            return problem(
                413, "PayloadTooLarge", f"an activity may be at most {MAX_BODY_BYTES} bytes"
            )
        activity = parse_activity(body)
        if isinstance(activity, web.Response):
            return activity

        auth = await self._authenticate(activity, request.headers.get("Authorization", ""))
        if auth is None:
            return problem(401, "Unauthorized", "the request is not authenticated")

        invoke_response = await self.adapter.process_activity(auth, activity, self.bot.on_turn)
        if invoke_response is not None:
            if invoke_response.status == 501:  # the SDK's answer to an invoke no handler knows
                name = str(activity.name or "")[:80]
                return problem(
                    400, "UnsupportedInvoke", f"this bot does not handle invoke {name!r}"
                )
            return web.json_response(invoke_response.body, status=invoke_response.status)
        return web.Response(status=201)

    async def _authenticate(
        self, activity: Activity, header: str
    ) -> AuthenticateRequestResult | None:
        authentication = self.adapter.bot_framework_authentication
        try:
            if self.authenticate_in_thread:
                return await asyncio.to_thread(
                    asyncio.run, authentication.authenticate_request(activity, header)
                )
            return await authentication.authenticate_request(activity, header)
        except Exception as exc:  # the SDK raises many types for a bad token; all of them are 401
            log.warning("auth.rejected", reason=type(exc).__name__, detail=str(exc)[:120])
            return None
