"""BotNotifier: proactive messages through the Bot Framework adapter (copbot.notifier.Notifier).

It translates what the SDK raises into the domain's outcomes (copbot/notifier.py), so the domain
never sees an HTTP object:
- Teams refused with 400, 403 (the bot may not write there: not installed, not in the roster,
  blocked), 404 (the conversation is gone), 413 (MessageSizeTooBig: it will never fit) or the
  code UserNotFound (the Playground's 500 for a user it does not know): `Undeliverable`, with
  Teams' status, code and message;
- any other refusal (429, 412, 5xx...) or no answer (network, timeout): `DeliveryDeferred`, with
  Teams' Retry-After when it sent one.
An error inside the adapter's callback (the send after a conversation was created, an update)
would reach the adapter's `on_turn_error` and be lost there: the callbacks keep it, and it is
raised once the adapter returns, translated the same way. `send_in_chat` sends in a 1:1 chat
Graph named after installing the app for the person (`copbot.delivery.reach`).
Status codes: https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import aiohttp
import structlog
from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.sdk_patches import CardContent
from copbot.clock import Clock
from copbot.notifier import (
    DeliveryDeferred,
    DeliveryError,
    NoConversation,
    SentMessage,
    Undeliverable,
)
from copbot.store import Database, people

log = structlog.get_logger(__name__)
CHANNEL = "msteams"
# Refusals for good; every other one is tried again (Teams' retry guidance: 412, 429, 502-504).
# 413 MessageSizeTooBig: the same message will never fit.
PERMANENT_STATUSES = frozenset({400, 403, 404, 413})
# Error codes that are for good whatever the status: the Playground's unknown user (500).
PERMANENT_CODES = frozenset({"UserNotFound"})


def message_activity(text: str | None, card: dict[str, Any] | None) -> Activity:
    if card is not None:
        activity = MessageFactory.attachment(CardFactory.adaptive_card(CardContent(card)))
        if text:
            activity.text = text
        return activity
    if text is None:
        raise ValueError("a message needs text or a card")
    return MessageFactory.text(text)


class BotNotifier:
    def __init__(
        self, adapter: CloudAdapter, db: Database, clock: Clock, *, app_id: str, tenant_id: str
    ):
        self.adapter = adapter
        self.db = db
        self.clock = clock
        self.app_id = app_id
        self.tenant_id = tenant_id

    async def send_to_person(
        self, person_id: str, *, text: str | None = None, card: dict[str, Any] | None = None
    ) -> SentMessage:
        activity = message_activity(text, card)
        stored = await people.get_reference(self.db, f"user:{person_id}")
        with delivery_errors():
            if stored is not None:
                return await self._send_in(ConversationReference().deserialize(stored), activity)
            template = await self._any_reference()
            params = ConversationParameters(
                is_group=False,
                bot=template.bot,
                members=[ChannelAccount(id=person_id)],
                tenant_id=self.tenant_id or None,
                channel_data={"tenant": {"id": self.tenant_id}} if self.tenant_id else None,
            )
            sent = await self._create(template, params, activity, remember_as=f"user:{person_id}")
        log.info("proactive.chat_created", person_id=person_id)
        return sent

    async def send_in_chat(
        self,
        person_id: str,
        chat_id: str,
        *,
        text: str | None = None,
        card: dict[str, Any] | None = None,
    ) -> SentMessage:
        """Message a person in a 1:1 chat Graph named (after installing the app for them); the
        chat is remembered as theirs once Teams took the message."""
        activity = message_activity(text, card)
        with delivery_errors():
            template = await self._any_reference()
            reference = ConversationReference(
                channel_id=CHANNEL,
                service_url=template.service_url,
                bot=template.bot,
                user=ChannelAccount(id=person_id, aad_object_id=person_id),
                conversation=ConversationAccount(
                    id=chat_id,
                    conversation_type="personal",
                    tenant_id=self.tenant_id or None,
                ),
            )
            sent = await self._send_in(reference, activity)
        await people.remember_reference(
            self.db,
            f"user:{person_id}",
            "personal",
            chat_id,
            reference.serialize(),
            self.clock.now(),
        )
        return sent

    async def send_to_channel(
        self, channel_id: str, *, text: str | None = None, card: dict[str, Any] | None = None
    ) -> SentMessage:
        """A new thread in the channel; the bot must be installed in its team."""
        template_row = await people.get_reference(self.db, f"channel:{channel_id}")
        with delivery_errors():
            template = (
                ConversationReference().deserialize(template_row)
                if template_row is not None
                else await self._any_reference(kind="channel")
            )
            params = ConversationParameters(
                is_group=True,
                bot=template.bot,
                channel_data={"channel": {"id": channel_id}},
                activity=message_activity(text, card),
                tenant_id=self.tenant_id or None,
            )
            return await self._create(template, params, None, remember_as=None)

    async def update_card(self, sent: SentMessage, card: dict[str, Any]) -> None:
        reference = ConversationReference(
            channel_id=CHANNEL,
            service_url=sent.service_url,
            conversation=ConversationAccount(id=sent.conversation_id),
        )
        activity = message_activity(None, card)
        activity.id = sent.activity_id
        callback = _Callback()

        @callback
        async def update(context: TurnContext) -> None:
            await context.update_activity(activity)

        with delivery_errors():
            await self.adapter.continue_conversation(reference, update, bot_app_id=self.app_id)
            callback.raise_failure()

    async def reply_in_thread(
        self, sent: SentMessage, *, text: str | None = None, card: dict[str, Any] | None = None
    ) -> SentMessage:
        """A reply in a channel thread: Teams names the thread `<channel>;messageid=<root id>`,
        the conversation id `send_to_channel` returned, so the reply is a send into it."""
        conversation_id = sent.conversation_id
        if ";messageid=" not in conversation_id and sent.activity_id:
            conversation_id = f"{conversation_id};messageid={sent.activity_id}"
        reference = ConversationReference(
            channel_id=CHANNEL,
            service_url=sent.service_url,
            conversation=ConversationAccount(id=conversation_id, is_group=True),
        )
        activity = message_activity(text, card)
        activity.reply_to_id = sent.activity_id
        with delivery_errors():
            return await self._send_in(reference, activity)

    # -- internals --------------------------------------------------------------------------
    async def _send_in(self, reference: ConversationReference, activity: Activity) -> SentMessage:
        result: dict[str, str] = {}
        callback = _Callback()

        @callback
        async def send(context: TurnContext) -> None:
            response = await context.send_activity(activity)
            result["id"] = response.id if response else ""

        await self.adapter.continue_conversation(reference, send, bot_app_id=self.app_id)
        callback.raise_failure()
        return SentMessage(reference.conversation.id, result.get("id", ""), reference.service_url)

    async def _create(
        self,
        template: ConversationReference,
        params: ConversationParameters,
        activity: Activity | None,
        *,
        remember_as: str | None,
    ) -> SentMessage:
        result: dict[str, str] = {}
        callback = _Callback()

        @callback
        async def created(context: TurnContext) -> None:
            conversation_id = context.activity.conversation.id
            result["conversation_id"] = conversation_id
            result["id"] = context.activity.id or ""
            if remember_as:
                reference = TurnContext.get_conversation_reference(context.activity)
                reference.bot = reference.bot or template.bot
                await people.remember_reference(
                    self.db,
                    remember_as,
                    "personal",
                    conversation_id,
                    reference.serialize(),
                    self.clock.now(),
                )
            if activity is not None:
                response = await context.send_activity(activity)
                result["id"] = response.id if response else ""

        await self.adapter.create_conversation(
            self.app_id, created, params, CHANNEL, template.service_url, None
        )
        callback.raise_failure()
        return SentMessage(result["conversation_id"], result.get("id", ""), template.service_url)

    async def _any_reference(self, kind: str | None = None) -> ConversationReference:
        """The most recent reference: it tells the service URL and the bot's own account."""
        row = await people.latest_reference(self.db, kind=kind)
        if row is None:
            raise NoConversation("the bot has not been reached through Teams yet")
        return ConversationReference().deserialize(row)


class _Callback:
    """Wraps the adapter's callback so that what it raises is kept, not handed to the adapter's
    `on_turn_error` (which would log it and let the send look like a success); `raise_failure()`
    raises it once the adapter returned."""

    def __init__(self) -> None:
        self.failure: Exception | None = None

    def __call__(
        self, callback: Callable[[TurnContext], Awaitable[None]]
    ) -> Callable[[TurnContext], Awaitable[None]]:
        async def run(context: TurnContext) -> None:
            try:
                await callback(context)
            except Exception as exc:  # raised by raise_failure(), with its traceback
                self.failure = exc

        return run

    def raise_failure(self) -> None:
        if self.failure is not None:
            raise self.failure


@contextmanager
def delivery_errors() -> Iterator[None]:
    """What the SDK raises, as the domain's `Undeliverable` / `DeliveryDeferred`."""
    try:
        yield
    except DeliveryError:
        raise
    except HttpOperationError as exc:
        raise refusal(exc) from exc
    except (ClientRequestError, aiohttp.ClientError, TimeoutError) as exc:
        raise DeliveryDeferred(f"Teams could not be reached ({type(exc).__name__})") from exc


def refusal(exc: HttpOperationError) -> DeliveryError:
    """An answer of the Bot Connector service that is not a success."""
    response = exc.response
    # The raw response: aiohttp's (`status`) with our sender, requests' (`status_code`) else.
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    error = getattr(exc.error, "error", None)
    code = getattr(error, "code", None) or None
    message = str(getattr(error, "message", None) or "")[:200]
    reason = f"Teams answered {status or 'an error'}" + (f" ({code})" if code else "")
    if message:
        reason += f": {message}"
    if status in PERMANENT_STATUSES or code in PERMANENT_CODES:
        return Undeliverable(reason, status=status, code=code)
    headers = getattr(response, "headers", None) or {}
    return DeliveryDeferred(reason, status=status, retry_after=_seconds(headers.get("Retry-After")))


def _seconds(value: str | None) -> float | None:
    """Retry-After as delta-seconds (what Teams sends); an HTTP date is left to the backoff."""
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
