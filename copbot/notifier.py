"""Proactive messages: how the domain reaches people and channels outside a conversation turn.

`bot.proactive.BotNotifier` implements it with the Bot Framework adapter. Cards are plain dicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class SentMessage:
    conversation_id: str
    activity_id: str
    service_url: str = ""


class NoConversation(Exception):
    """The bot has no way to reach this person or channel yet (never installed / never chatted)."""


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
