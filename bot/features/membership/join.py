"""Asking to join a CoP in Teams: "join UBS as my primary", the Join buttons, the questions the
domain asks back (which role? really a new primary?) and the answers it gives."""

from __future__ import annotations

from typing import Any

import structlog

from bot.features.finder import answer_if_confident
from bot.features.membership.words import parse_join
from bot.turn import Turn
from cards.communities import community_list_card
from cards.membership import as_role, confirm_primary_card, role_question_card
from copbot.membership import JoinResult, Requester, Role
from copbot.services import Services

log = structlog.get_logger(__name__)


async def join_command(turn: Turn, services: Services) -> None:
    rest = turn.original("rest")
    name, role, note = parse_join(rest) if rest else ("", None, "")
    if not name:
        await turn.reply(turn.t("membership_which_cop"))
        return
    community = services.catalog.resolve(name)
    if community is None:
        # "join a community about housing": the finder answers when it is confident.
        if await answer_if_confident(turn, services):
            return
        await turn.reply(turn.t("unknown_community", name=name[:80]))
        await turn.send_card(community_list_card(services.catalog, turn.lang))
        return
    await _join(turn, services, community.id, role, note, confirm_primary=False)


async def join_action(turn: Turn, services: Services, data: dict[str, Any]) -> None:
    note = data.get("note")
    await _join(
        turn,
        services,
        str(data.get("cop") or ""),
        Role.parse(data.get("role")),
        note if isinstance(note, str) else "",
        confirm_primary=bool(data.get("confirm_primary")),
    )


async def cancel_action(turn: Turn, services: Services, data: dict[str, Any]) -> None:
    await turn.reply(turn.t("membership_cancelled"))


async def _join(
    turn: Turn,
    services: Services,
    cop_id: str,
    role: Role | None,
    note: str,
    *,
    confirm_primary: bool,
) -> None:
    outcome = await services.membership.requests.request_join(
        Requester(turn.user_id, turn.user_name, turn.lang),
        cop_id,
        role,
        note,
        confirm_primary=confirm_primary,
    )
    community = outcome.community
    lang = turn.lang
    match outcome.result:
        case JoinResult.UNKNOWN_COMMUNITY:
            await turn.reply(turn.t("unknown_community", name=cop_id[:80]))
            await turn.send_card(community_list_card(services.catalog, lang))
        case JoinResult.CREATED:
            assert community is not None and outcome.role is not None
            names = ", ".join(outcome.focal_points_reached)
            key = "membership_request_sent" if names else "membership_request_saved_waiting"
            await turn.reply(
                turn.t(
                    key,
                    cop=community.display_name(lang),
                    as_role=as_role(outcome.role, lang),
                    names=names,
                )
            )
        case JoinResult.ALREADY_MEMBER:
            assert community is not None
            cop = community.display_name(lang)
            if outcome.recorded_from_directory:
                message = turn.t(
                    "membership_recorded_from_directory",
                    cop=cop,
                    as_role=as_role(outcome.role or Role.SECONDARY, lang),
                )
            elif outcome.role == Role.PRIMARY:
                message = turn.t("membership_already_member_primary", cop=cop)
            else:
                message = turn.t("membership_already_member", cop=cop)
            if role == Role.PRIMARY and outcome.role != Role.PRIMARY:
                message += " " + turn.t("membership_hint_make_primary", id=community.id)
            await turn.reply(message)
        case JoinResult.ALREADY_PENDING:
            assert community is not None
            asked = outcome.request.created_at if outcome.request else services.clock.now()
            await turn.reply(
                turn.t(
                    "membership_already_pending",
                    cop=community.display_name(lang),
                    date=asked.date().isoformat(),
                )
            )
        case JoinResult.NEEDS_ROLE:
            assert community is not None
            current = services.catalog.get(outcome.current_primary or "")
            await turn.send_card(role_question_card(community, lang, current, note))
        case JoinResult.CONFIRM_PRIMARY:
            assert community is not None
            current = services.catalog.get(outcome.current_primary or "")
            if current is None:  # the old primary left the catalog: nothing to confirm
                await _join(turn, services, cop_id, role, note, confirm_primary=True)
                return
            await turn.send_card(confirm_primary_card(community, current, lang, note))
    log.info("membership.join_turn", result=str(outcome.result), cop_id=cop_id[:16])
