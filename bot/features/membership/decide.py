"""Approve, Reject and Refresh on the focal points' approval card (Universal Actions).

Who acts is `turn.user_id` (the authenticated activity's Entra object id), never card data. The
decision itself is `copbot.membership.decisions`; the card answered back is the domain's view of
the request (`copbot.membership.delivery.CardDelivery.approval_card`).
"""

from __future__ import annotations

from typing import Any

from bot.turn import Turn
from cards.approval import unknown_request_card
from copbot.catalog import Community
from copbot.i18n import Lang
from copbot.membership import DecisionResult
from copbot.membership.model import FOR_REQUEST
from copbot.services import Services


def _name(community: Community | None, cop_id: str, lang: Lang) -> str:
    return community.display_name(lang) if community else cop_id


async def approve_action(turn: Turn, services: Services, data: dict[str, Any]) -> dict[str, Any]:
    return await _decide(turn, services, data, approve=True)


async def reject_action(turn: Turn, services: Services, data: dict[str, Any]) -> dict[str, Any]:
    return await _decide(turn, services, data, approve=False)


async def _decide(
    turn: Turn, services: Services, data: dict[str, Any], *, approve: bool
) -> dict[str, Any]:
    membership = services.membership
    reason = data.get("reason") if not approve else None
    outcome = await membership.decisions.decide(
        str(data.get("request_id") or ""),
        turn.user_id,  # the authenticated clicker, never card data
        approve=approve,
        actor_name=turn.user_name,
        reason=reason if isinstance(reason, str) else None,
    )
    purpose = str(data.get("purpose") or FOR_REQUEST)
    if outcome.result == DecisionResult.NOT_FOUND or outcome.request is None:
        return unknown_request_card(turn.lang)
    request = outcome.request
    notice = None
    if outcome.result == DecisionResult.REFUSED:
        community = services.catalog.get(request.cop_id)
        notice = turn.t(
            "membership_card_read_only", cop=_name(community, request.cop_id, turn.lang)
        )
    elif outcome.result == DecisionResult.ALREADY_DECIDED:
        notice = turn.t("membership_card_already_decided")
    return await membership.delivery.approval_card(
        request, turn.lang, actionable=False, purpose=purpose, notice=notice
    )


async def refresh_action(turn: Turn, services: Services, data: dict[str, Any]) -> dict[str, Any]:
    """The card's current state for whoever looks at it: actionable for a decider while pending,
    read-only for everyone else."""
    membership = services.membership
    request = await membership.requests.get_request(str(data.get("request_id") or ""))
    if request is None:
        return unknown_request_card(turn.lang)
    community = services.catalog.get(request.cop_id)
    may_decide = membership.decisions.may_decide(community, turn.user_id)
    notice = None
    if request.is_pending and not may_decide:
        notice = turn.t(
            "membership_card_read_only", cop=_name(community, request.cop_id, turn.lang)
        )
    return await membership.delivery.approval_card(
        request,
        turn.lang,
        actionable=request.is_pending and may_decide,
        purpose=str(data.get("purpose") or FOR_REQUEST),
        notice=notice,
    )
