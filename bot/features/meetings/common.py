"""What the meetings handlers share: the CoP a person named, the answer when none matched."""

from __future__ import annotations

from bot.turn import Turn
from copbot.catalog import Community
from copbot.meetings import MeetingsError
from copbot.services import Services


def named_community(turn: Turn, services: Services) -> Community | None:
    name = turn.original("name") or ""
    return services.catalog.resolve(name) if name else None


async def reply_unknown_community(turn: Turn) -> None:
    name = turn.original("name") or turn.text
    await turn.reply(MeetingsError("meetings_unknown_cop", name=name[:80]).text(turn.lang))


def is_invoke(turn: Turn) -> bool:
    """Action.Execute (an invoke answered with a card) rather than Action.Submit (a message)."""
    return turn.activity.type == "invoke"
