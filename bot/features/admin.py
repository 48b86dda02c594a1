"""For CoP Bot admins (ADMIN_IDS): the report card, asked for in a personal chat.

"report" / "rapport" / "informe" shows members and primaries per CoP, pending join requests and
their age, and people who talked to the bot without a primary CoP. Only admins get it, and only in
their personal chat (it names people). "Refresh" rebuilds it in place. "CoP health" (its button,
or "cop health") shows the health of every CoP over the last year (`copbot.meetings.health`).
"""

from __future__ import annotations

from typing import Any

from bot.feature import Feature
from bot.router import Router
from bot.turn import Turn
from cards.admin import REFRESH, admin_report_card
from cards.elements import action_set, execute
from cards.health import HEALTH, health_card
from copbot.meetings.health import build_health
from copbot.reports import build_report
from copbot.services import Services

# Folded text: lower case, no accents.
REPORT = [
    r"^\s*((admin|cop ?bot)\s+)?(report|reports|rapport|rapports|informe|informes|reporte)"
    r"(\s+(admin|administrateur|administrador))?\s*[.!?]*\s*$",
    r"^\s*(show|voir|afficher|ver|mostrar)\s+(me\s+|moi\s+)?(the\s+|le\s+|el\s+)?"
    r"(report|rapport|informe|reporte)\s*[.!?]*\s*$",
]


async def _allowed(turn: Turn, services: Services) -> bool:
    if not services.is_admin(turn.user_id):
        await turn.reply(turn.t("admin_only"))
        return False
    if not turn.is_personal:
        await turn.reply(turn.t("admin_personal_only"))
        return False
    return True


HEALTH_WORDS = [
    r"^\s*(cop\s+)?health(\s+report)?(\s+of\s+(the\s+)?cops)?\s*[.!?]*\s*$",
    r"^\s*(sante|etat)\s+des\s+(cop|communautes)\s*[.!?]*\s*$",
    r"^\s*salud\s+de\s+las\s+(cop|comunidades)\s*[.!?]*\s*$",
]


async def report_card(turn: Turn, services: Services) -> dict[str, Any]:
    report = await build_report(services.db, services.catalog, services.clock.now())
    shown = admin_report_card(report, services.catalog, turn.lang)
    shown["body"].append(action_set([execute(turn.t("health_button"), HEALTH)]))
    return shown


async def _health_card(turn: Turn, services: Services) -> dict[str, Any]:
    health = await build_health(
        services.db, services.catalog, services.meetings.calendar, services.clock.now()
    )
    return health_card(health, services.catalog, turn.lang)


async def show_health(turn: Turn, services: Services) -> None:
    if await _allowed(turn, services):
        await turn.send_card(await _health_card(turn, services))


async def health_action(
    turn: Turn, services: Services, data: dict[str, Any]
) -> dict[str, Any] | None:
    if not await _allowed(turn, services):
        return None
    return await _health_card(turn, services)


async def show_report(turn: Turn, services: Services) -> None:
    if await _allowed(turn, services):
        await turn.send_card(await report_card(turn, services))


async def refresh_report(
    turn: Turn, services: Services, data: dict[str, Any]
) -> dict[str, Any] | None:
    if not await _allowed(turn, services):
        return None
    return await report_card(turn, services)


def register(router: Router) -> None:
    router.command("admin_report", REPORT, show_report, priority=30)
    router.action(REFRESH, refresh_report)
    router.command("admin_health", HEALTH_WORDS, show_health, priority=30)
    router.action(HEALTH, health_action)


FEATURE = Feature("admin", register)
