"""Proactive messages: how the domain reaches people and channels outside a conversation turn.

`bot.proactive.BotNotifier` implements it with the Bot Framework adapter. Cards are plain dicts.

What a send can end in, as the domain sees it (never an HTTP object):
- it returns a `SentMessage`: Teams took the message (and gave its activity id);
- it raises `Undeliverable`: Teams will not take it, trying again will not help (the bot may not
  write to this person or channel, the conversation is gone...); `status` and `code` are what
  Teams answered, when it answered;
- it raises `DeliveryDeferred`: not now (throttled, Teams or the network failing for a while);
  try again, after `retry_after` seconds when Teams said so.
Anything else it raises is a bug (and is treated as one: logged with its traceback, tried again).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class SentMessage:
    conversation_id: str
    activity_id: str
    service_url: str = ""


class DeliveryError(Exception):
    """A send that did not happen; `reason` says why, in words for an admin."""

    def __init__(self, reason: str, *, status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status


class Undeliverable(DeliveryError):
    """Teams will not take this message: trying again will not help."""

    def __init__(self, reason: str, *, status: int | None = None, code: str | None = None):
        super().__init__(reason, status=status)
        self.code = code


class NoConversation(Undeliverable):
    """The bot has no way to reach this person or channel yet (never installed / never chatted)."""


class DeliveryDeferred(DeliveryError):
    """Not delivered now, may be later: try again (after `retry_after` seconds when given)."""

    def __init__(self, reason: str, *, status: int | None = None, retry_after: float | None = None):
        super().__init__(reason, status=status)
        self.retry_after = retry_after


class Notifier(Protocol):
    async def send_to_person(
        self, person_id: str, *, text: str | None = None, card: dict[str, Any] | None = None
    ) -> SentMessage:
        """Message a person in their 1:1 chat with the bot (created when needed)."""
        ...

    async def send_to_channel(
        self, channel_id: str, *, text: str | None = None, card: dict[str, Any] | None = None
    ) -> SentMessage:
        """Start a new thread in a team channel where the bot is installed."""
        ...

    async def update_card(self, sent: SentMessage, card: dict[str, Any]) -> None:
        """Replace a card the bot sent earlier."""
        ...

    async def reply_in_thread(
        self, sent: SentMessage, *, text: str | None = None, card: dict[str, Any] | None = None
    ) -> SentMessage:
        """Reply in the channel thread a post started (`sent` is what `send_to_channel` gave)."""
        ...


class ChatNotifier(Notifier, Protocol):
    async def send_in_chat(
        self,
        person_id: str,
        chat_id: str,
        *,
        text: str | None = None,
        card: dict[str, Any] | None = None,
    ) -> SentMessage:
        """Message a person in the 1:1 chat `chat_id` (from Graph, after an installation)."""
        ...
