"""Joining a CoP in Teams: the words and buttons people use, the focal points' approval cards
(Universal Actions), and the delivery of cards and messages queued in the outbox.

The rules live in `copbot.membership.MembershipService`; this module turns turns into its calls
and its outcomes into replies. Who acts is always `turn.user_id` (the authenticated activity's
Entra object id), never a value from card data.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select

from bot.feature import Feature
from bot.features.finder import answer_if_confident
from bot.router import Router
from bot.turn import Turn
from cards.communities import community_list_card
from cards.membership import (
    APPROVE,
    CANCEL,
    JOIN,
    LEAVE,
    MAKE_PRIMARY,
    MINE,
    REFRESH,
    REJECT,
    approval_card,
    as_role,
    confirm_primary_card,
    details_part,
    leave_confirm_card,
    my_communities_card,
    primary_not_member_card,
    role_question_card,
    unknown_request_card,
    welcome_card,
    withdraw_confirm_card,
)
from copbot.catalog import Community
from copbot.i18n import Lang, fold, lang_from_locale, t
from copbot.membership import (
    DecisionResult,
    JoinResult,
    LeaveResult,
    MembershipService,
    PrimaryResult,
    Requester,
    RequestView,
    Role,
)
from copbot.membership.model import (
    CHANNEL_PREFIX,
    FOR_ESCALATION,
    FOR_REQUEST,
    NOTIFY_REQUESTER,
    REJECTED,
    SEND_CARD,
    UPDATE_CARD,
    WAITING,
    WELCOME,
)
from copbot.notifier import NoConversation, SentMessage
from copbot.outbox import PermanentFailure, Retry
from copbot.services import Services
from copbot.store import people
from copbot.store.membership_models import ApprovalCard
from scheduler.runner import Job

log = structlog.get_logger(__name__)

REMINDERS_INTERVAL_S = 3600

# -- words (matched on folded text: lower case, no accents) ----------------------------------------

_END = r"\s*[.!?]*\s*$"
JOIN_PATTERNS = [
    r"^\s*(?:please\s+)?(?:i(?:\s+(?:want|would like|wish)|['’]d like)\s+to\s+|can i\s+|could i\s+|"
    r"let me\s+)?(?:join|sign me up (?:for|to)|add me to|enrol me in|enroll me in)"
    r"(?:\s+(?P<rest>.+?))?" + _END,
    r"^\s*(?:je\s+(?:veux|voudrais|souhaite|souhaiterais|aimerais)\s+)?(?:rejoindre|adherer\s+a|"
    r"m['’]inscrire\s+a|inscris[- ]moi\s+a|inscrivez[- ]moi\s+a)(?:\s+(?P<rest>.+?))?" + _END,
    r"^\s*(?:quiero\s+|quisiera\s+|me gustaria\s+|deseo\s+)?(?:unirme|sumarme|inscribirme|"
    r"afiliarme)(?:\s+(?P<rest>.+?))?" + _END,
]
MINE_PATTERNS = [
    r"^\s*(?:(?:show|list|see|view)\s+)?(?:me\s+)?my\s+(?:communities|cops|communities of practice"
    r"|memberships|groups)" + _END,
    r"^\s*(?:which|what)\s+(?:communities|cops)\s+(?:am i (?:in|a member of)|do i belong to|"
    r"have i joined)" + _END,
    r"^\s*(?:(?:voir|afficher|montre[rz]?(?:[- ]moi)?)\s+)?mes\s+(?:communautes(?: de pratique)?|"
    r"cops|adhesions)" + _END,
    r"^\s*(?:(?:ver|mostrar|muestrame|muestreme)\s+)?mis\s+(?:comunidades(?: de practica)?|cops|"
    r"membresias)" + _END,
]
PRIMARY_PATTERNS = [
    r"^\s*(?:please\s+)?(?:make|set)\s+(?P<name>.+?)\s+(?:as\s+)?my\s+(?:primary|main)"
    r"(?:\s+(?:cop|community|one))?" + _END,
    r"^\s*(?:change|switch|set)\s+my\s+(?:primary|main)(?:\s+(?:cop|community))?\s+to\s+"
    r"(?P<name>.+?)" + _END,
    r"^\s*(?:faire de|definir|mettre|choisir)\s+(?P<name>.+?)\s+(?:comme\s+)?(?:ma\s+)?"
    r"(?:cop\s+|communaute\s+)?principale" + _END,
    r"^\s*(?:hacer|poner|definir|elegir)\s+(?:a\s+)?(?P<name>.+?)\s+(?:como\s+)?(?:mi\s+)?"
    r"(?:cop\s+|comunidad\s+)?principal" + _END,
]
LEAVE_PATTERNS = [
    r"^\s*(?:please\s+)?(?:i(?:\s+(?:want|would like)|['’]d like)\s+to\s+)?(?:leave|quit|"
    r"unsubscribe from|remove me from)(?:\s+(?P<name>.+?))?" + _END,
    r"^\s*(?:je\s+(?:veux|voudrais|souhaite)\s+)?(?:quitter|sortir de|me retirer de|"
    r"me desinscrire de|desinscri(?:s|vez)[- ]moi de)(?:\s+(?P<name>.+?))?" + _END,
    r"^\s*(?:quiero\s+|quisiera\s+)?(?:salir de|salirme de|abandonar|darme de baja de)"
    r"(?:\s+(?P<name>.+?))?" + _END,
]

_ROLE_WORDS = re.compile(
    r"(?:\b(?:as|comme|como|en tant que)\s+)?(?:\b(?:my|ma|mon|mi|su|a|une?)\s+)?"
    r"(?:\b(?:cop|community|communaute|comunidad)\s+)?"
    r"\b(?P<role>primary|main|principale?|secondary|secondaire|secundari[ao])\b"
    r"(?:\s+(?:cop|community|one|communaute|comunidad)\b)?"
)
_NOTE_SPLIT = re.compile(
    r"\s*(?::|\s-\s|\bbecause\b|\bsince\b|\bparce que\b|\bcar\b|\bporque\b|\bya que\b)\s*"
)


def parse_join(rest: str) -> tuple[str, Role | None, str]:
    """'UBS as my primary: I run the water programme' -> ('UBS', PRIMARY, 'I run the ...')."""
    folded = fold(rest)
    note = ""
    split = _NOTE_SPLIT.search(folded)
    name_part = rest
    if split:
        name_part, note = rest[: split.start()], rest[split.end() :].strip()
        folded = folded[: split.start()]
    role = None
    found = _ROLE_WORDS.search(folded)
    if found:
        word = found.group("role")
        role = (
            Role.PRIMARY
            if word in {"primary", "main", "principal", "principale"}
            else Role.SECONDARY
        )
        name_part = (name_part[: found.start()] + " " + name_part[found.end() :]).strip()
    return name_part.strip(" ,.;"), role, note


# -- helpers ---------------------------------------------------------------------------------------


def service_of(services: Services) -> MembershipService:
    return services.membership


def _name(community: Community | None, cop_id: str, lang: Lang) -> str:
    return community.display_name(lang) if community else cop_id


async def _lang_of(services: Services, recipient: str) -> Lang:
    if recipient.startswith(CHANNEL_PREFIX):
        return "en"
    person = await people.get_person(services.db, recipient)
    return lang_from_locale(person.locale) if person else "en"


async def refresh_user_ids(services: Services, request: RequestView, purpose: str) -> list[str]:
    """Who gets the card's automatic refresh: the deciders, as Teams user MRIs
    ("8:orgid:<Entra object id>") and, when we know it, the bot-scoped id ("29:...")."""
    community = services.catalog.get(request.cop_id)
    deciders = list(community.focal_point_ids() if community else [])
    if purpose == FOR_ESCALATION:
        deciders += list(services.admins)
    ids: list[str] = []
    for person_id in dict.fromkeys(deciders):
        reference = await people.get_reference(services.db, f"user:{person_id}")
        channel_id = ((reference or {}).get("user") or {}).get("id")
        if channel_id:
            ids.append(channel_id)
        ids.append(f"8:orgid:{person_id}")
    return ids


async def _approval_card_for(
    services: Services,
    request: RequestView,
    lang: Lang,
    *,
    actionable: bool,
    purpose: str,
    notice: str | None = None,
) -> dict[str, Any]:
    return approval_card(
        request,
        services.catalog.get(request.cop_id),
        lang,
        actionable=actionable,
        refresh_user_ids=await refresh_user_ids(services, request, purpose),
        purpose=purpose,
        notice=notice,
    )


# -- joining ---------------------------------------------------------------------------------------


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


async def _join(
    turn: Turn,
    services: Services,
    cop_id: str,
    role: Role | None,
    note: str,
    *,
    confirm_primary: bool,
) -> None:
    service = service_of(services)
    outcome = await service.request_join(
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


async def cancel_action(turn: Turn, services: Services, data: dict[str, Any]) -> None:
    await turn.reply(turn.t("membership_cancelled"))


# -- deciding (Universal Actions) -------------------------------------------------------------------


async def approve_action(turn: Turn, services: Services, data: dict[str, Any]) -> dict[str, Any]:
    return await _decide(turn, services, data, approve=True)


async def reject_action(turn: Turn, services: Services, data: dict[str, Any]) -> dict[str, Any]:
    return await _decide(turn, services, data, approve=False)


async def _decide(
    turn: Turn, services: Services, data: dict[str, Any], *, approve: bool
) -> dict[str, Any]:
    service = service_of(services)
    reason = data.get("reason") if not approve else None
    outcome = await service.decide(
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
    return await _approval_card_for(
        services, request, turn.lang, actionable=False, purpose=purpose, notice=notice
    )


async def refresh_action(turn: Turn, services: Services, data: dict[str, Any]) -> dict[str, Any]:
    """The card's current state for whoever looks at it: actionable for a decider while pending,
    read-only for everyone else."""
    service = service_of(services)
    request = await service.get_request(str(data.get("request_id") or ""))
    if request is None:
        return unknown_request_card(turn.lang)
    community = services.catalog.get(request.cop_id)
    may_decide = service.may_decide(community, turn.user_id)
    notice = None
    if request.is_pending and not may_decide:
        notice = turn.t(
            "membership_card_read_only", cop=_name(community, request.cop_id, turn.lang)
        )
    return await _approval_card_for(
        services,
        request,
        turn.lang,
        actionable=request.is_pending and may_decide,
        purpose=str(data.get("purpose") or FOR_REQUEST),
        notice=notice,
    )


# -- my communities, primary, leaving ---------------------------------------------------------------


async def mine_command(turn: Turn, services: Services) -> None:
    mine = await service_of(services).my_communities(turn.user_id)
    await turn.send_card(my_communities_card(mine, services.catalog, turn.lang))


async def mine_action(turn: Turn, services: Services, data: dict[str, Any]) -> dict[str, Any]:
    mine = await service_of(services).my_communities(turn.user_id)
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
    outcome = await service_of(services).make_primary(turn.user_id, cop_id)
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
    outcome = await service_of(services).leave(
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


def details_contributor(
    community: Community, lang: Lang, person_id: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return details_part(community, lang)


# -- delivery (outbox handlers) ---------------------------------------------------------------------


def _delivery_error(exc: Exception, what: str) -> Exception:
    """Connector failures: 403/404 (not installed, conversation gone) are for good; the rest
    (429, 5xx, network, tokens) pass."""
    if isinstance(exc, NoConversation):
        return PermanentFailure(f"{what}: {exc}")
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    if status in {400, 403, 404}:
        return PermanentFailure(f"{what}: the channel answered {status}")
    return Retry(f"{what}: {type(exc).__name__} {status or ''}".strip())


async def deliver_card(services: Services, payload: dict[str, Any]) -> None:
    service = service_of(services)
    request_id = str(payload["request_id"])
    recipient = str(payload["recipient"])
    purpose = str(payload.get("purpose") or FOR_REQUEST)
    if await service.card_already_sent(request_id, recipient, purpose):
        return
    request = await service.get_request(request_id)
    if request is None or not request.is_pending:
        return  # decided (or withdrawn) before this card went out: nothing to ask any more
    lang = await _lang_of(services, recipient)
    card = await _approval_card_for(services, request, lang, actionable=True, purpose=purpose)
    try:
        if recipient.startswith(CHANNEL_PREFIX):
            sent = await services.notifier.send_to_channel(
                recipient.removeprefix(CHANNEL_PREFIX), card=card
            )
        else:
            sent = await services.notifier.send_to_person(recipient, card=card)
    except Exception as exc:
        raise _delivery_error(exc, "approval card") from exc
    await service.card_sent(
        request_id,
        recipient,
        purpose,
        conversation_id=sent.conversation_id,
        activity_id=sent.activity_id,
        service_url=sent.service_url,
    )
    log.info("membership.card_sent", request_id=request_id, purpose=purpose)


async def update_sent_card(services: Services, payload: dict[str, Any]) -> None:
    service = service_of(services)
    async with services.db.session() as session:
        row = await session.scalar(
            select(ApprovalCard).where(ApprovalCard.id == int(payload["card_id"]))
        )
    if row is None:
        return
    request = await service.get_request(row.request_id)
    if request is None:
        return
    lang = await _lang_of(services, row.recipient)
    card = await _approval_card_for(
        services, request, lang, actionable=request.is_pending, purpose=row.purpose
    )
    try:
        await services.notifier.update_card(
            SentMessage(row.conversation_id, row.activity_id, row.service_url), card
        )
    except Exception as exc:
        raise _delivery_error(exc, "card update") from exc


async def notify_requester(services: Services, payload: dict[str, Any]) -> None:
    service = service_of(services)
    request = await service.get_request(str(payload["request_id"]))
    if request is None:
        return
    event = str(payload.get("event"))
    lang = lang_from_locale(request.lang)
    community = services.catalog.get(request.cop_id)
    cop = _name(community, request.cop_id, lang)
    text: str | None = None
    card: dict[str, Any] | None = None
    if event == WELCOME and community is not None:
        card = welcome_card(
            request,
            community,
            lang,
            next_meeting=await _next_meeting(services, community.id, lang),
            skills_profile_url=services.config.skills_profile_url,
            cross_cutting=await _cross_cutting_to_suggest(services, request, community),
        )
    elif event == REJECTED:
        text = t(lang, "membership_rejected", name=request.decided_by_name or "—", cop=cop)
        if request.reason:
            text += " " + t(lang, "membership_rejected_reason", reason=request.reason)
        elif community is not None:
            emails = ", ".join(fp.email for fp in community.focal_points)
            text += " " + t(lang, "membership_rejected_no_reason", emails=emails)
    elif event == WAITING:
        if not request.is_pending:
            return
        text = t(lang, "membership_waiting", cop=cop)
    else:
        return
    try:
        await services.notifier.send_to_person(request.person_id, text=text, card=card)
    except Exception as exc:
        raise _delivery_error(exc, f"{event} message") from exc
    log.info("membership.requester_told", request_id=request.id, kind=event)


async def _next_meeting(services: Services, cop_id: str, lang: Lang) -> tuple[str, datetime] | None:
    """The CoP's next meeting for the welcome; the welcome goes out without it if that fails."""
    try:
        occurrence = await services.meetings.calendar.next_occurrence(cop_id)
    except Exception:  # another feature's failure must not stop the welcome
        log.exception("membership.next_meeting_failed", cop_id=cop_id)
        return None
    if occurrence is None:
        return None
    return occurrence.title_in(lang), occurrence.starts_at


async def _cross_cutting_to_suggest(
    services: Services, request: RequestView, community: Community
) -> list[Community]:
    if community.cross_cutting:
        return []
    mine = await service_of(services).my_communities(request.person_id)
    return [
        c
        for c in services.catalog.cross_cutting()
        if not mine.is_member(c.id) and not mine.is_pending(c.id)
    ]


async def _card_undeliverable(
    services: Services, session: Any, payload: dict[str, Any], reason: str
) -> None:
    await service_of(services).card_undeliverable(
        session, str(payload["request_id"]), str(payload["recipient"]), reason
    )


# -- wiring -----------------------------------------------------------------------------------------


def setup(services: Services) -> None:
    async def card(payload: dict[str, Any]) -> None:
        await deliver_card(services, payload)

    async def card_failed(session: Any, payload: dict[str, Any], reason: str) -> None:
        await _card_undeliverable(services, session, payload, reason)

    async def update(payload: dict[str, Any]) -> None:
        await update_sent_card(services, payload)

    async def notify(payload: dict[str, Any]) -> None:
        await notify_requester(services, payload)

    services.outbox.register(SEND_CARD, card, on_failed=card_failed)
    services.outbox.register(UPDATE_CARD, update)
    services.outbox.register(NOTIFY_REQUESTER, notify)
    services.details_contributors.append(details_contributor)


def jobs(services: Services) -> list[Job]:
    soon = datetime.now(UTC) + timedelta(seconds=2)  # after a restart, recall at once
    return [
        Job(
            "membership.reminders",
            services.membership.remind_pending,
            IntervalTrigger(seconds=REMINDERS_INTERVAL_S, start_date=soon),
            misfire_grace_time=None,
        ),
    ]


def register(router: Router) -> None:
    # Before the core "list" (50) and "details" (60); after help (10) and greetings (20).
    router.command("membership.mine", MINE_PATTERNS, mine_command, priority=30)
    router.command("membership.primary", PRIMARY_PATTERNS, primary_command, priority=32)
    router.command("membership.join", JOIN_PATTERNS, join_command, priority=35)
    router.command("membership.leave", LEAVE_PATTERNS, leave_command, priority=36)
    router.action(JOIN, join_action)
    router.action(APPROVE, approve_action)
    router.action(REJECT, reject_action)
    router.action(REFRESH, refresh_action)
    router.action(LEAVE, leave_action)
    router.action(MAKE_PRIMARY, primary_action)
    router.action(CANCEL, cancel_action)
    router.action(MINE, mine_action)


FEATURE = Feature("membership", register, setup=setup, jobs=jobs)
