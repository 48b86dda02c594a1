"""BotNotifier: proactive messages through the Bot Framework adapter (copbot.notifier.Notifier)."""

from __future__ import annotations

from typing import Any

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
from sqlalchemy import select

from bot.sdk_patches import CardContent
from copbot.clock import Clock
from copbot.notifier import NoConversation, SentMessage
from copbot.store import Database, people
from copbot.store.models import ConversationReference as ReferenceRow

log = structlog.get_logger(__name__)
CHANNEL = "msteams"


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

    async def send_to_channel(
        self, channel_id: str, *, text: str | None = None, card: dict[str, Any] | None = None
    ) -> SentMessage:
        """A new thread in the channel; the bot must be installed in its team."""
        template_row = await people.get_reference(self.db, f"channel:{channel_id}")
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

        async def update(context: TurnContext) -> None:
            await context.update_activity(activity)

        await self.adapter.continue_conversation(reference, update, bot_app_id=self.app_id)

    # -- internals --------------------------------------------------------------------------
    async def _send_in(self, reference: ConversationReference, activity: Activity) -> SentMessage:
        result: dict[str, str] = {}

        async def send(context: TurnContext) -> None:
            response = await context.send_activity(activity)
            result["id"] = response.id if response else ""

        await self.adapter.continue_conversation(reference, send, bot_app_id=self.app_id)
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
        return SentMessage(result["conversation_id"], result.get("id", ""), template.service_url)

    async def _any_reference(self, kind: str | None = None) -> ConversationReference:
        """The most recent reference: it tells the service URL and the bot's own account."""
        query = select(ReferenceRow.reference).order_by(ReferenceRow.updated_at.desc()).limit(1)
        if kind:
            query = query.where(ReferenceRow.kind == kind)
        async with self.db.session() as session:
            row = await session.scalar(query)
        if row is None:
            raise NoConversation("the bot has not been reached through Teams yet")
        return ConversationReference().deserialize(row)
