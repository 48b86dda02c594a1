"""CopBot: the Teams activity handler. It turns activities into `Turn`s for the router."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import Any

import structlog
from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import (
    ChannelAccount,
)

from bot import references
from bot.actions import InvalidActionData
from bot.router import Router, UnknownAction
from bot.turn import MAX_TEXT, Turn, person_id_of
from copbot.services import Services

log = structlog.get_logger(__name__)

REMEMBERED = {"message", "invoke", "conversationUpdate", "installationUpdate"}
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
MESSAGE_CONTENT_TYPE = "application/vnd.microsoft.activity.message"
ERROR_CONTENT_TYPE = "application/vnd.microsoft.error"


class CopBot(TeamsActivityHandler):
    def __init__(self, router: Router, services: Services):
        self.router = router
        self.services = services
        # person -> (monotonic time, conversation, locale)
        self._seen: dict[str, tuple[float, str, str]] = {}
        self._background: set[asyncio.Task[None]] = set()

    async def on_turn(self, turn_context: TurnContext) -> None:
        structlog.contextvars.bind_contextvars(
            activity_id=turn_context.activity.id,
            conversation_id=getattr(turn_context.activity.conversation, "id", None),
        )
        try:
            self._remember(turn_context)
            await super().on_turn(turn_context)
        finally:
            structlog.contextvars.unbind_contextvars("activity_id", "conversation_id")

    async def settle(self) -> None:
        """Wait for the bookkeeping writes started by earlier turns (tests, shutdown)."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

    def _remember(self, turn_context: TurnContext) -> None:
        """Keep who talks to us and how to reach them, at most once per 10 minutes per person
        (at once when their locale changed).

        The write runs beside the turn, not before it: under a burst of first contacts, SQLite
        writes queue up, and the reply must not wait for bookkeeping."""
        activity = turn_context.activity
        conversation = activity.conversation
        if not activity.from_property or not conversation or activity.type not in REMEMBERED:
            return
        if conversation.conversation_type not in (None, "personal"):
            return
        sender = activity.from_property
        person_id = person_id_of(sender)
        if not person_id or sender.id == getattr(activity.recipient, "id", None):
            return
        locale = activity.locale or ""  # none sent: keep the one we know
        last = self._seen.get(person_id)
        now = time.monotonic()
        # A new locale is written at once: the bot writes to people in the last one they used.
        if last and last[1:] == (conversation.id, locale) and now - last[0] < 600:
            return
        self._seen[person_id] = (now, conversation.id, locale)
        write = references.remember_person(
            self.services, person_id, sender.name or "", locale, activity
        )
        task = asyncio.get_running_loop().create_task(self._guarded(write, person_id))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _guarded(self, write: Awaitable[None], person_id: str) -> None:
        try:
            await write
        except Exception as exc:  # try again on their next message
            self._seen.pop(person_id, None)
            log.warning("people.remember_failed", error=type(exc).__name__, exc_info=True)

    # -- messages ---------------------------------------------------------------------------
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        turn = Turn.of(turn_context)
        if not turn.user_id:  # no Entra object id: nobody to act for (bot/turn.py)
            log.warning("turn.no_person", kind="message")
            await turn.reply(turn.t("unknown_person"))
            return
        verb = turn.value.get("verb") if turn.value else None
        if verb:  # Action.Submit
            await self._submit(turn, str(verb))
            return
        if not turn.text:
            if turn_context.activity.attachments:
                await turn.reply(turn.t("unsupported_attachment"))
            else:
                await self.router.dispatch_text(turn, self.services)  # empty: help
            return
        if len(turn.text) > MAX_TEXT:
            await turn.reply(turn.t("text_too_long", length=len(turn.text), limit=MAX_TEXT))
            return
        ran = await self.router.dispatch_text(turn, self.services)
        log.info("turn.message", handler=ran, lang=turn.lang)

    async def _submit(self, turn: Turn, verb: str) -> None:
        data = {k: v for k, v in turn.value.items() if k != "verb"}
        try:
            card = await self.router.dispatch_action(turn, self.services, verb, data)
        except UnknownAction:
            log.warning("turn.unknown_action", verb=verb[:64], kind="submit")
            await turn.reply(turn.t("not_understood"))
            return
        except InvalidActionData as exc:
            log.warning("turn.invalid_action", verb=verb[:64], kind="submit", problem=exc.problem)
            await turn.reply(turn.t("action_invalid"))
            return
        if isinstance(card, str):
            await turn.reply(card)
        elif card is not None:
            await turn.send_card(card)
        log.info("turn.action", verb=verb, kind="submit")

    # -- Universal Actions (Action.Execute) -------------------------------------------------
    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """`adaptiveCard/action` is ours end to end: the SDK's own responses for it (a missing
        action, a text reply) fail msrest serialisation and become HTTP 500s."""
        activity = turn_context.activity
        if activity.name != "adaptiveCard/action":
            # We declare no other invokes (no message extensions, task modules, sign-in).
            return InvokeResponse(status=501)
        value = activity.value if isinstance(activity.value, dict) else {}
        action = value.get("action")
        if not isinstance(action, dict) or action.get("type") != "Action.Execute":
            body = _invoke_body(
                400, ERROR_CONTENT_TYPE, _problem("an Action.Execute needs an 'action'")
            )
            return InvokeResponse(status=200, body=body)
        return InvokeResponse(status=200, body=await self._execute(turn_context, action))

    async def _execute(self, turn_context: TurnContext, action: dict[str, Any]) -> dict[str, Any]:
        """The Universal Actions response body: the card to show, a message, or an error."""
        turn = Turn.of(turn_context)
        verb = action.get("verb")
        if not isinstance(verb, str) or not verb or not self.router.has_action(verb):
            log.warning("turn.unknown_action", verb=str(verb)[:64], kind="execute")
            return _invoke_body(400, ERROR_CONTENT_TYPE, _problem("unknown or missing action verb"))
        if not turn.user_id:
            log.warning("turn.no_person", kind="execute")
            return _invoke_body(401, ERROR_CONTENT_TYPE, _problem(turn.t("unknown_person")))
        data = action.get("data")
        try:
            if data is not None and not isinstance(data, dict):
                raise InvalidActionData(verb, "'data' must be an object")
            turn.value = data or {}
            payload = {k: v for k, v in turn.value.items() if k != "verb"}
            card = await self.router.dispatch_action(turn, self.services, verb, payload)
        except InvalidActionData as exc:
            log.warning("turn.invalid_action", verb=verb[:64], kind="execute", problem=exc.problem)
            return _invoke_body(400, ERROR_CONTENT_TYPE, _problem(turn.t("action_invalid")))
        log.info("turn.action", verb=verb, kind="execute")
        if card is None:
            return _invoke_body(200, MESSAGE_CONTENT_TYPE, turn.t("action_done"))
        if isinstance(card, str):
            return _invoke_body(200, MESSAGE_CONTENT_TYPE, card)
        return _invoke_body(200, CARD_CONTENT_TYPE, card)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        if not isinstance(turn_context.activity.channel_data, dict):
            # Teams always sends channelData; without it the Teams handler would fail on None.
            await ActivityHandler.on_conversation_update_activity(self, turn_context)
            return
        await super().on_conversation_update_activity(turn_context)

    async def on_teams_members_added_dispatch(
        self, members_added: list[ChannelAccount], team_info: Any, turn_context: TurnContext
    ) -> None:
        """Skip the SDK's per-member look-up (one connector call per person added to a team):
        all we need is whether the bot itself was added."""
        await self.on_members_added_activity(members_added, turn_context)

    # -- installation and membership --------------------------------------------------------
    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        if any(m.id == bot_id for m in members_added):
            # Teams may leave the installer's name out of `from`; the added members may carry it.
            people = [m for m in members_added if m.id != bot_id and m.name]
            await self._installed(turn_context, people[0].name if people else "")

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        conversation_type = turn_context.activity.conversation.conversation_type
        if conversation_type == "channel":
            await references.remember_channel(self.services, turn_context.activity)

    async def _installed(self, turn_context: TurnContext, member_name: str = "") -> None:
        turn = Turn.of(turn_context)
        turn.user_name = turn.user_name or member_name
        if turn.conversation_type != "channel" and turn.user_id:
            name, email = (
                ("", None) if turn.user_name else await references.member_profile(turn_context)
            )
            turn.user_name = turn.user_name or name
            await references.remember_person(
                self.services,
                turn.user_id,
                turn.user_name,
                turn_context.activity.locale or "",
                turn_context.activity,
                email,
            )
        if turn.conversation_type == "channel":
            await references.remember_channel(self.services, turn_context.activity)
            await self.router.emit("installed_team", turn, self.services)
        else:
            await self.router.emit("installed_personal", turn, self.services)


def _problem(message: str) -> dict[str, str]:
    return {"code": "BadRequest", "message": message}


def _invoke_body(status: int, content_type: str, value: Any) -> dict[str, Any]:
    return {"statusCode": status, "type": content_type, "value": value}
