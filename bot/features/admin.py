"""For CoP Bot admins (ADMIN_IDS): the report card, asked for in a personal chat.

"report" / "rapport" / "informe" shows members and primaries per CoP, pending join requests and
their age, and people who talked to the bot without a primary CoP. Only admins get it, and only in
their personal chat (it names people). "Refresh" rebuilds it in place.
"""

from __future__ import annotations

from typing import Any

from bot.feature import Feature
from bot.router import Router
from bot.turn import Turn
from cards.admin import REFRESH, admin_report_card
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


async def report_card(turn: Turn, services: Services) -> dict[str, Any]:
    report = await build_report(services.db, services.catalog, services.clock.now())
    return admin_report_card(report, services.catalog, turn.lang)


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


FEATURE = Feature("admin", register)
