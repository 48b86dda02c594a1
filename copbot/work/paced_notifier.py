"""The Notifier every proactive send of the process goes through: paced, and guarded by its lease.

app.py wraps the real Notifier (`bot.proactive.BotNotifier`) in one `PacedNotifier`, shared by
membership, meetings and questions, so that for each send, in this order:

1. `copbot.work.lease.confirm()`: the work this send belongs to is still ours (an outbox item
   taken over by another instance while this one was frozen is not sent twice);
2. `Pace.slot(thread)` waits for a place under Teams' per-thread and per-tenant limits
   (`copbot.work.pace`), or raises `Paced` (a `DeliveryDeferred`: the outbox retries later);
   after a wait of more than a second the lease is confirmed again;
3. the send; a 429 from Teams defers the thread for its Retry-After and slows the tenant's pace
   (`Pace.throttled`) and is raised
   as it came (`DeliveryDeferred` with `retry_after`: retrying, never a failure).

The thread is what Teams counts the limit on: a person's 1:1 chat, a channel (all its threads).
A 1:1 chat is known by the person until a send tells its conversation id.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from copbot.notifier import ChatNotifier, DeliveryDeferred, SentMessage
from copbot.work import lease
from copbot.work.pace import Pace

THROTTLED = 429
RECONFIRM_AFTER_S = 1.0
T = TypeVar("T")


def thread_of(conversation_id: str) -> str:
    """A channel's conversation id names the thread after ';messageid=': Teams counts the
    channel."""
    return conversation_id.split(";", 1)[0]


class PacedNotifier:
    def __init__(self, notifier: ChatNotifier, pace: Pace):
        self.notifier = notifier
        self.pace = pace
        self._chats: dict[str, str] = {}  # person -> their 1:1 conversation, once a send told it

    async def send_to_person(
        self, person_id: str, *, text: str | None = None, card: dict[str, Any] | None = None
    ) -> SentMessage:
        thread = self._chats.get(person_id, f"user:{person_id}")
        sent = await self._guarded(
            thread, lambda: self.notifier.send_to_person(person_id, text=text, card=card)
        )
        chat = thread_of(sent.conversation_id)
        if chat != thread:
            if len(self._chats) > 50_000:
                self._chats.clear()
            self._chats[person_id] = chat
            self.pace.rename(thread, chat)
        return sent

    async def send_in_chat(
        self,
        person_id: str,
        chat_id: str,
        *,
        text: str | None = None,
        card: dict[str, Any] | None = None,
    ) -> SentMessage:
        """The 1:1 chat Graph named after installing the app (copbot.delivery.reach)."""
        send_in_chat = self.notifier.send_in_chat
        thread = thread_of(chat_id)
        sent = await self._guarded(
            thread, lambda: send_in_chat(person_id, chat_id, text=text, card=card)
        )
        self._chats[person_id] = thread
        return sent

    async def send_to_channel(
        self, channel_id: str, *, text: str | None = None, card: dict[str, Any] | None = None
    ) -> SentMessage:
        return await self._guarded(
            channel_id, lambda: self.notifier.send_to_channel(channel_id, text=text, card=card)
        )

    async def update_card(self, sent: SentMessage, card: dict[str, Any]) -> None:
        await self._guarded(
            thread_of(sent.conversation_id), lambda: self.notifier.update_card(sent, card)
        )

    async def reply_in_thread(
        self, sent: SentMessage, *, text: str | None = None, card: dict[str, Any] | None = None
    ) -> SentMessage:
        return await self._guarded(
            thread_of(sent.conversation_id),
            lambda: self.notifier.reply_in_thread(sent, text=text, card=card),
        )

    async def _guarded(self, thread: str, send: Callable[[], Awaitable[T]]) -> T:
        # The lease first: Teams counts a call when it arrives, so nothing slow (a database
        # write) may come between the slot and the call; a long wait is confirmed again.
        await lease.confirm()
        if await self.pace.slot(thread) > RECONFIRM_AFTER_S:
            await lease.confirm()
        try:
            return await send()
        except DeliveryDeferred as exc:
            if exc.status == THROTTLED:
                self.pace.throttled(thread, exc.retry_after)
            raise
