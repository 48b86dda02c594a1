"""Cards of the membership workflow: the approval card (Universal Actions), the questions a person
is asked when joining or leaving, "my communities", and the welcome.

The approval card is Adaptive Cards 1.5 with `Action.Execute` (Approve; Reject with an optional
reason) and a `refresh` clause: Teams asks the bot for the current state when a listed user views
it (`membership.refresh`), and every card is edited after a decision. Each Execute carries an
`Action.Submit` fallback for clients without Universal Actions. Dates on cards use the Adaptive
Cards DATE()/TIME() functions, so each reader sees them in their own time zone and format.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from cards.elements import (
    Markdown,
    action_set,
    card,
    container,
    facts,
    heading,
    open_url,
    submit,
    text,
)
from cards.elements import escape as esc
from copbot.catalog import Catalog, Community
from copbot.i18n import Lang, t
from copbot.membership.model import (
    FOR_ESCALATION,
    FOR_REMINDER,
    FOR_REQUEST,
    MyCommunities,
    RequestView,
    Role,
    Status,
)

APPROVE = "membership.approve"
REJECT = "membership.reject"
REFRESH = "membership.refresh"
JOIN = "join"
LEAVE = "membership.leave"
MAKE_PRIMARY = "membership.make_primary"
CANCEL = "membership.cancel"
MINE = "membership.mine"
MAX_REFRESH_USERS = 60  # Teams: user-specific views for at most 60 users


def card_date(when: datetime) -> str:
    """A date each reader sees in their own locale (Adaptive Cards text function)."""
    return "{{DATE(" + when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") + ", SHORT)}}"


def card_time(when: datetime) -> str:
    return "{{TIME(" + when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") + ")}}"


def as_role(role: Role | str, lang: Lang) -> str:
    return t(lang, "membership_as_primary" if role == Role.PRIMARY else "membership_as_secondary")


def _cop_name(community: Community | None, cop_id: str, lang: Lang) -> str:
    return community.display_name(lang) if community else cop_id


def _execute(title: str, verb: str, *, style: str | None = None, **data: Any) -> dict[str, Any]:
    action: dict[str, Any] = {
        "type": "Action.Execute",
        "title": title,
        "verb": verb,
        "data": data,
        # Clients without Universal Actions send the same verb as a message (same handler).
        "fallback": {"type": "Action.Submit", "title": title, "data": {"verb": verb, **data}},
    }
    if style:
        action["style"] = style
    return action


def _join_button(
    lang: Lang, key: str, community: Community, role: Role, **data: Any
) -> dict[str, Any]:
    return submit(t(lang, key), JOIN, cop=community.id, role=role.value, **data)


def _cancel_button(lang: Lang) -> dict[str, Any]:
    return submit(t(lang, "membership_button_cancel"), CANCEL)


# -- the approval card ----------------------------------------------------------------------------


def approval_card(
    request: RequestView,
    community: Community | None,
    lang: Lang,
    *,
    actionable: bool,
    refresh_user_ids: Sequence[str] = (),
    purpose: str = FOR_REQUEST,
    notice: str | None = None,
) -> dict[str, Any]:
    """The card focal points decide on. `actionable`: the viewer may decide and it is pending."""
    cop = _cop_name(community, request.cop_id, lang)
    name = esc(request.requester_name)
    body: list[dict[str, Any]] = [heading(t(lang, "membership_card_title", cop=cop))]
    if request.is_pending and purpose == FOR_REMINDER:
        body.append(
            text(
                t(lang, "membership_card_reminder", date=card_date(request.created_at)),
                color="Warning",
                weight="Bolder",
            )
        )
    elif request.is_pending and purpose == FOR_ESCALATION:
        body.append(
            text(
                t(lang, "membership_card_escalation", date=card_date(request.created_at)),
                color="Warning",
                weight="Bolder",
            )
        )
    body.append(
        text(
            t(
                lang,
                "membership_card_intro",
                name=Markdown("**{}**").format(name),
                cop=cop,
                as_role=t(
                    lang,
                    "membership_their_primary"
                    if request.role == Role.PRIMARY
                    else "membership_their_secondary",
                ),
            )
        )
    )
    pairs = [(t(lang, "membership_fact_name"), name)]
    if request.requester.get("job_title"):
        pairs.append((t(lang, "membership_fact_job_title"), esc(request.requester["job_title"])))
    if request.requester.get("office"):
        pairs.append((t(lang, "membership_fact_office"), esc(request.requester["office"])))
    role_key = (
        "membership_role_primary" if request.role == Role.PRIMARY else "membership_role_secondary"
    )
    pairs.append((t(lang, "membership_fact_role"), t(lang, role_key)))
    if request.note:
        pairs.append((t(lang, "membership_fact_note"), esc(request.note)))
    pairs.append(
        (
            t(lang, "membership_fact_asked"),
            f"{card_date(request.created_at)} {card_time(request.created_at)}",
        )
    )
    body.append(facts(pairs))
    body += _decision_block(request, lang)
    if notice:
        body.append(text(notice, subtle=True, separator=True))

    actions: list[dict[str, Any]] = []
    data = {"request_id": request.id, "purpose": purpose}
    if actionable and request.is_pending:
        actions = [
            _execute(t(lang, "membership_button_approve"), APPROVE, style="positive", **data),
            {
                "type": "Action.ShowCard",
                "title": t(lang, "membership_button_reject"),
                "card": {
                    "type": "AdaptiveCard",
                    "body": [
                        {
                            "type": "Input.Text",
                            "id": "reason",
                            "label": t(lang, "membership_reason_label"),
                            "isMultiline": True,
                            "maxLength": 500,
                        }
                    ],
                    "actions": [
                        _execute(
                            t(lang, "membership_button_confirm_reject"),
                            REJECT,
                            style="destructive",
                            **data,
                        )
                    ],
                },
            },
        ]
    extra: dict[str, Any] = {}
    if request.is_pending:
        extra["refresh"] = {
            "action": {"type": "Action.Execute", "title": "Refresh", "verb": REFRESH, "data": data},
            "userIds": list(dict.fromkeys(refresh_user_ids))[:MAX_REFRESH_USERS],
        }
    return card(
        body,
        actions,
        fallback_text=t(lang, "membership_card_fallback", name=request.requester_name, cop=cop),
        **extra,
    )


def _decision_block(request: RequestView, lang: Lang) -> list[dict[str, Any]]:
    if request.is_pending or request.decided_at is None:
        return []
    by = esc(request.decided_by_name or request.decided_by or "")
    date = card_date(request.decided_at)
    if request.status == Status.APPROVED:
        block = [
            text(
                t(lang, "membership_card_approved_by", name=by, date=date),
                color="Good",
                weight="Bolder",
                separator=True,
            )
        ]
        if request.added_at is not None:
            block.append(text(t(lang, "membership_card_added"), subtle=True, spacing="Small"))
        return block
    if request.status == Status.REJECTED:
        block = [
            text(
                t(lang, "membership_card_rejected_by", name=by, date=date),
                color="Attention",
                weight="Bolder",
                separator=True,
            )
        ]
        if request.reason:
            block.append(
                text(t(lang, "membership_card_reason", reason=esc(request.reason)), spacing="Small")
            )
        return block
    return [
        text(
            t(lang, "membership_card_withdrawn", date=date),
            weight="Bolder",
            subtle=True,
            separator=True,
        )
    ]


def unknown_request_card(lang: Lang) -> dict[str, Any]:
    message = t(lang, "membership_request_unknown")
    return card([text(message)], fallback_text=message)


# -- joining ----------------------------------------------------------------------------------------


def _note_input(lang: Lang, note: str = "") -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "Input.Text",
        "id": "note",
        "label": t(lang, "membership_note_label"),
        "placeholder": t(lang, "membership_note_placeholder"),
        "isMultiline": True,
        "maxLength": 500,
    }
    if note:
        element["value"] = note
    return element


def role_question_card(
    community: Community, lang: Lang, current_primary: Community | None, note: str = ""
) -> dict[str, Any]:
    """Primary or secondary? With a note for the focal points."""
    cop = community.display_name(lang)
    body: list[dict[str, Any]] = [
        heading(t(lang, "membership_role_title", cop=cop)),
        text(t(lang, "membership_role_question")),
    ]
    if current_primary is not None:
        body.append(
            text(
                t(
                    lang,
                    "membership_confirm_primary_text",
                    old=current_primary.display_name(lang),
                    new=cop,
                ),
                subtle=True,
            )
        )
    else:
        body.append(text(t(lang, "membership_role_no_primary"), subtle=True))
    body.append(_note_input(lang, note))
    # With a primary already, the text above explained the change: no second question.
    actions = join_buttons(community, lang, confirm_primary=current_primary is not None)
    return card(body, actions, fallback_text=t(lang, "membership_role_question"))


def confirm_primary_card(
    community: Community, current_primary: Community, lang: Lang, note: str = ""
) -> dict[str, Any]:
    cop = community.display_name(lang)
    explanation = t(
        lang,
        "membership_confirm_primary_text",
        old=current_primary.display_name(lang),
        new=cop,
    )
    body = [
        heading(t(lang, "membership_confirm_primary_title")),
        text(explanation),
        _note_input(lang, note),
    ]
    actions = [
        _join_button(
            lang,
            "membership_button_confirm_primary",
            community,
            Role.PRIMARY,
            confirm_primary=True,
        ),
        _join_button(lang, "membership_button_join_secondary", community, Role.SECONDARY),
        _cancel_button(lang),
    ]
    return card(body, actions, fallback_text=explanation)


def join_buttons(
    community: Community, lang: Lang, *, confirm_primary: bool = False
) -> list[dict[str, Any]]:
    """Join as primary, join as secondary (`confirm_primary`: the person was told that their
    current primary becomes a secondary one)."""
    confirmed = {"confirm_primary": True} if confirm_primary else {}
    return [
        _join_button(lang, "membership_button_join_primary", community, Role.PRIMARY, **confirmed),
        _join_button(lang, "membership_button_join_secondary", community, Role.SECONDARY),
    ]


def primary_not_member_card(community: Community, lang: Lang) -> dict[str, Any]:
    message = t(lang, "membership_primary_not_member", cop=community.display_name(lang))
    return card(
        [text(message)],
        [_join_button(lang, "membership_button_join_primary", community, Role.PRIMARY)],
        fallback_text=message,
    )


# -- my communities ---------------------------------------------------------------------------------


def my_communities_card(mine: MyCommunities, catalog: Catalog, lang: Lang) -> dict[str, Any]:
    title = t(lang, "membership_mine_title")
    body: list[dict[str, Any]] = [heading(title)]
    if not mine.memberships and not mine.pending:
        body.append(text(t(lang, "membership_mine_none")))
        return card(
            body,
            [submit(t(lang, "button_all"), "list")],
            fallback_text=t(lang, "membership_mine_none"),
        )
    if mine.memberships and mine.primary is None:
        body.append(text(t(lang, "membership_mine_no_primary"), color="Warning"))
    lines = []
    for membership in mine.memberships:
        community = catalog.get(membership.cop_id)
        name = _cop_name(community, membership.cop_id, lang)
        badge = t(
            lang,
            "membership_mine_primary" if membership.is_primary else "membership_mine_secondary",
        )
        items = [text(f"**{name}** · {badge}")]
        if not membership.added:
            items.append(text(t(lang, "membership_mine_being_added"), subtle=True, spacing="None"))
        buttons = []
        if not membership.is_primary:
            buttons.append(
                submit(
                    t(lang, "membership_button_make_primary"), MAKE_PRIMARY, cop=membership.cop_id
                )
            )
        buttons.append(submit(t(lang, "membership_button_leave"), LEAVE, cop=membership.cop_id))
        items.append(action_set(buttons))
        body.append(container(items, separator=True))
        lines.append(f"{name} ({badge})")
    if mine.pending:
        body.append(text(t(lang, "membership_mine_pending_title"), weight="Bolder", separator=True))
        for request in mine.pending:
            name = _cop_name(catalog.get(request.cop_id), request.cop_id, lang)
            body.append(
                container(
                    [
                        text(
                            t(
                                lang,
                                "membership_mine_pending_item",
                                cop=name,
                                date=card_date(request.created_at),
                            )
                        ),
                        action_set(
                            [
                                submit(
                                    t(lang, "membership_button_withdraw"), LEAVE, cop=request.cop_id
                                )
                            ]
                        ),
                    ]
                )
            )
            lines.append(f"{name} ({t(lang, 'membership_mine_pending_title')})")
    return card(body, fallback_text=f"{title}: " + "; ".join(lines))


# -- leaving ----------------------------------------------------------------------------------------


def leave_confirm_card(
    community: Community,
    lang: Lang,
    *,
    was_primary: bool,
    others: Sequence[Community],
) -> dict[str, Any]:
    cop = community.display_name(lang)
    body: list[dict[str, Any]] = [heading(t(lang, "membership_leave_title", cop=cop))]
    actions: list[dict[str, Any]] = []
    if was_primary and others:
        body.append(text(t(lang, "membership_leave_primary_text", cop=cop)))
        actions += [
            submit(
                t(lang, "membership_button_leave_new_primary", cop=other.display_name(lang)),
                LEAVE,
                cop=community.id,
                confirmed=True,
                new_primary=other.id,
            )
            for other in others
        ]
    else:
        if was_primary:
            body.append(text(t(lang, "membership_leave_primary_only", cop=cop)))
        actions.append(
            submit(
                t(lang, "membership_button_leave_confirm", cop=cop),
                LEAVE,
                cop=community.id,
                confirmed=True,
            )
        )
    body.append(text(t(lang, "membership_leave_text"), subtle=True))
    actions.append(_cancel_button(lang))
    return card(body, actions, fallback_text=t(lang, "membership_leave_title", cop=cop))


def withdraw_confirm_card(community: Community, lang: Lang) -> dict[str, Any]:
    title = t(lang, "membership_withdraw_title", cop=community.display_name(lang))
    return card(
        [heading(title)],
        [
            submit(
                t(lang, "membership_button_withdraw_confirm"),
                LEAVE,
                cop=community.id,
                confirmed=True,
            ),
            _cancel_button(lang),
        ],
        fallback_text=title,
    )


# -- the welcome ------------------------------------------------------------------------------------


def welcome_card(
    request: RequestView,
    community: Community,
    lang: Lang,
    *,
    next_meeting: tuple[str, datetime] | None = None,
    skills_profile_url: str = "",
    cross_cutting: Sequence[Community] = (),
) -> dict[str, Any]:
    cop = community.display_name(lang)
    decider = esc(request.decided_by_name or "")
    body: list[dict[str, Any]] = [
        heading(t(lang, "membership_welcome_title", cop=cop)),
        text(t(lang, "membership_welcome_text", name=decider or "—")),
    ]
    if request.role == Role.PRIMARY:
        body.append(text(t(lang, "membership_welcome_primary"), weight="Bolder"))
    if next_meeting is not None:
        title, starts_at = next_meeting
        when = f"{card_date(starts_at)} {card_time(starts_at)}"
        body.append(text(t(lang, "membership_welcome_next_meeting", title=title, when=when)))
    body.append(text(t(lang, "membership_welcome_skills", cop=cop)))
    actions: list[dict[str, Any]] = []
    if community.team_url:
        actions.append(open_url(t(lang, "membership_button_team"), community.team_url))
    if skills_profile_url:
        actions.append(open_url(t(lang, "membership_button_skills"), skills_profile_url))
    if cross_cutting:
        names = ", ".join(c.display_name(lang) for c in cross_cutting)
        body.append(text(t(lang, "membership_welcome_cross_cutting", names=names), separator=True))
        actions += [
            submit(
                t(lang, "membership_button_join_cop", cop=c.display_name(lang)),
                JOIN,
                cop=c.id,
                role=Role.SECONDARY.value,
            )
            for c in cross_cutting
        ]
    actions.append(submit(t(lang, "membership_button_mine"), MINE))
    return card(body, actions, fallback_text=t(lang, "membership_welcome_fallback", cop=cop))


# -- the details card (a contribution) --------------------------------------------------------------


def details_part(
    community: Community, lang: Lang
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The Join buttons of a community's details card (the bot answers "already a member" or
    "already asked" when that is the case)."""
    return [], join_buttons(community, lang)
