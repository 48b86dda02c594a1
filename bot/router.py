"""Routes a turn to the feature that handles it.

Features register listeners (as in slack-bolt): text commands matched on the accent- and
case-folded text, card actions by verb (Action.Submit and Action.Execute alike), and fallbacks,
tried in priority order, for text no command claims. Each feature lives in
`bot/features/<name>.py` with a `register(router)`.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import structlog

from bot.actions import validated
from bot.turn import Turn
from copbot.services import Services

log = structlog.get_logger(__name__)

MessageHandler = Callable[[Turn, Services], Awaitable[None]]
# An action handler may return a card (for Action.Execute it replaces the card that was clicked;
# for Action.Submit it is sent) or a text (shown to the clicker: a refusal, a confirmation).
ActionResult = dict[str, Any] | str | None
ActionHandler = Callable[[Turn, Services, dict[str, Any]], Awaitable[ActionResult]]
EventHandler = Callable[[Turn, Services], Awaitable[None]]
# A fallback answers text no command claimed; it returns False to pass the turn to the next one.
FallbackHandler = Callable[[Turn, Services], Awaitable[bool]]


@dataclass(frozen=True)
class Command:
    name: str
    patterns: tuple[re.Pattern[str], ...]
    handler: MessageHandler
    priority: int


class UnknownAction(Exception):
    """A card action with a verb no feature handles."""


class Router:
    def __init__(self) -> None:
        self._commands: list[Command] = []
        self._actions: dict[str, ActionHandler] = {}
        self._fallbacks: list[tuple[int, str, FallbackHandler]] = []
        self._events: dict[str, list[EventHandler]] = {}

    # -- registration -----------------------------------------------------------------------
    def command(
        self, name: str, patterns: Iterable[str], handler: MessageHandler, *, priority: int = 100
    ) -> None:
        """`patterns` are regexes over folded text (lower case, no accents); the first match wins.

        Lower priority numbers are tried first.
        """
        compiled = tuple(re.compile(p) for p in patterns)
        self._commands.append(Command(name, compiled, handler, priority))
        self._commands.sort(key=lambda c: c.priority)

    def action(self, verb: str, handler: ActionHandler) -> None:
        if verb in self._actions:
            raise ValueError(f"action verb registered twice: {verb}")
        self._actions[verb] = handler

    def fallback(self, name: str, handler: FallbackHandler, *, priority: int = 100) -> None:
        self._fallbacks.append((priority, name, handler))
        self._fallbacks.sort(key=lambda f: f[0])

    def on(self, event: str, handler: EventHandler) -> None:
        """Lifecycle events: 'installed_personal', 'installed_team', 'message_seen'."""
        self._events.setdefault(event, []).append(handler)

    # -- dispatch ---------------------------------------------------------------------------
    def match(self, text: str) -> tuple[Command, re.Match[str]] | None:
        for command in self._commands:
            for pattern in command.patterns:
                found = pattern.search(text)
                if found:
                    return command, found
        return None

    async def dispatch_text(self, turn: Turn, services: Services) -> str:
        """Runs the matching command (or the fallback); returns the name of what ran."""
        found = self.match(turn.folded)
        if found:
            command, turn.match = found
            await command.handler(turn, services)
            return command.name
        for _, name, handler in self._fallbacks:
            if await handler(turn, services):
                return name
        raise LookupError("no fallback answered: register one that always does")

    def verbs(self) -> list[str]:
        return sorted(self._actions)

    def has_action(self, verb: str) -> bool:
        return verb in self._actions

    async def dispatch_action(
        self, turn: Turn, services: Services, verb: str, data: dict[str, Any]
    ) -> ActionResult:
        """Runs the verb's handler with its data validated (bot/actions.py); raises UnknownAction,
        or InvalidActionData when the data does not fit the verb."""
        handler = self._actions.get(verb)
        if handler is None:
            raise UnknownAction(verb)
        return await handler(turn, services, validated(verb, data))

    async def emit(self, event: str, turn: Turn, services: Services) -> None:
        for handler in self._events.get(event, []):
            await handler(turn, services)
