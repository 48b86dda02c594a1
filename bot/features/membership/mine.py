"""A person's own communities in Teams: "my communities", making one the primary CoP, leaving
one (or withdrawing a request still pending), each confirmed on a card first."""

from __future__ import annotations

from typing import Any

from bot.turn import Turn
from cards.membership import (
    leave_confirm_card,
    my_communities_card,
    primary_not_member_card,
    withdraw_confirm_card,
)
from copbot.membership import LeaveResult, PrimaryResult
from copbot.services import Services


async def mine_command(turn: Turn, services: Services) -> None:
    mine = await services.membership.memberships.my_communities(turn.user_id)
    await turn.send_card(my_communities_card(mine, services.catalog, turn.lang))


async def mine_action(turn: Turn, services: Services, data: dict[str, Any]) -> dict[str, Any]:
    mine = await services.membership.memberships.my_communities(turn.user_id)
    return my_communities_card(mine, services.catalog, turn.lang)


async def primary_command(turn: Turn, services: Services) -> None:
    name = turn.original("name")
    community = services.catalog.resolve(name) if name else None
    if community is None:
        await turn.reply(turn.t("membership_which_primary"))
        return
    await _make_primary(turn, services, community.id)


async def primary_action(turn: Turn, services: Services, data: dict[str, Any]) -> None:
    await _make_primary(turn, services, str(data.get("cop") or ""))


async def _make_primary(turn: Turn, services: Services, cop_id: str) -> None:
    outcome = await services.membership.memberships.make_primary(turn.user_id, cop_id)
    if outcome.result == PrimaryResult.UNKNOWN_COMMUNITY:
        await turn.reply(turn.t("membership_which_primary"))
        return
    community = outcome.community
    assert community is not None  # every other outcome names it
    lang = turn.lang
    cop = community.display_name(lang)
    match outcome.result:
        case PrimaryResult.NOT_MEMBER:
            await turn.send_card(primary_not_member_card(community, lang))
        case PrimaryResult.ALREADY_PRIMARY:
            await turn.reply(turn.t("membership_primary_already", cop=cop))
        case PrimaryResult.DONE:
            previous = services.catalog.get(outcome.previous or "")
            if previous is not None:
                await turn.reply(
                    turn.t(
                        "membership_primary_done_previous",
                        cop=cop,
                        previous=previous.display_name(lang),
                    )
                )
            else:
                await turn.reply(turn.t("membership_primary_done", cop=cop))


async def leave_command(turn: Turn, services: Services) -> None:
    name = turn.original("name")
    community = services.catalog.resolve(name) if name else None
    if community is None:
        await turn.reply(turn.t("membership_which_leave"))
        return
    await _leave(turn, services, community.id, confirmed=False, new_primary=None)


async def leave_action(turn: Turn, services: Services, data: dict[str, Any]) -> None:
    new_primary = data.get("new_primary")
    await _leave(
        turn,
        services,
        str(data.get("cop") or ""),
        confirmed=bool(data.get("confirmed")),
        new_primary=str(new_primary) if new_primary else None,
    )


async def _leave(
    turn: Turn, services: Services, cop_id: str, *, confirmed: bool, new_primary: str | None
) -> None:
    outcome = await services.membership.memberships.leave(
        turn.user_id, cop_id, confirmed=confirmed, new_primary=new_primary
    )
    if outcome.result == LeaveResult.UNKNOWN_COMMUNITY:
        await turn.reply(turn.t("membership_which_leave"))
        return
    community = outcome.community
    assert community is not None  # every other outcome names it
    lang = turn.lang
    cop = community.display_name(lang)
    match outcome.result:
        case LeaveResult.NOT_MEMBER:
            await turn.reply(turn.t("membership_not_member", cop=cop))
        case LeaveResult.CONFIRM:
            others = [c for c in map(services.catalog.get, outcome.others) if c is not None]
            await turn.send_card(
                leave_confirm_card(community, lang, was_primary=outcome.was_primary, others=others)
            )
        case LeaveResult.CONFIRM_WITHDRAW:
            await turn.send_card(withdraw_confirm_card(community, lang))
        case LeaveResult.WITHDRAWN:
            await turn.reply(turn.t("membership_withdrawn", cop=cop))
        case LeaveResult.LEFT:
            message = turn.t("membership_left", cop=cop)
            new = services.catalog.get(outcome.new_primary or "")
            if new is not None:
                message += " " + turn.t("membership_primary_done", cop=new.display_name(lang))
            elif outcome.was_primary:
                message += " " + turn.t("membership_left_no_primary")
            await turn.reply(message)
