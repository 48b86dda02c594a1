"""Cards of the membership workflow a person sees: the questions asked when joining or leaving,
"my communities", and the welcome (the focal points' approval card is in `cards.approval`).

Dates on cards use the Adaptive Cards DATE()/TIME() functions, so each reader sees them in their
own time zone and format.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from cards.elements import (
    action_set,
    card,
    card_date,
    container,
    heading,
    open_url,
    reader_time,
    submit,
    text,
)
from cards.elements import escape as esc
from cards.meetings.following import follow_offer
from copbot.catalog import Catalog, Community
from copbot.i18n import Lang, t
from copbot.membership.model import (
    MyCommunities,
    RequestView,
    Role,
)

JOIN = "join"
LEAVE = "membership.leave"
MAKE_PRIMARY = "membership.make_primary"
CANCEL = "membership.cancel"
MINE = "membership.mine"


def as_role(role: Role | str, lang: Lang) -> str:
    return t(lang, "membership_as_primary" if role == Role.PRIMARY else "membership_as_secondary")


def cop_name(community: Community | None, cop_id: str, lang: Lang) -> str:
    return community.display_name(lang) if community else cop_id


def _join_button(
    lang: Lang, key: str, community: Community, role: Role, **data: Any
) -> dict[str, Any]:
    return submit(t(lang, key), JOIN, cop=community.id, role=role.value, **data)


def _cancel_button(lang: Lang) -> dict[str, Any]:
    return submit(t(lang, "membership_button_cancel"), CANCEL)


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
        name = cop_name(community, membership.cop_id, lang)
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
            name = cop_name(catalog.get(request.cop_id), request.cop_id, lang)
            body.append(
                container(
                    [
                        text(
                            t(
                                lang,
                                "membership_mine_pending_item",
                                cop=name,
                                role=t(lang, f"membership_pending_as_{request.role.value}"),
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
        names = ", ".join(other.display_name(lang) for other in others)
        body.append(text(t(lang, "membership_leave_choose", names=names)))  # buttons say "UBS"
        actions += [
            submit(
                t(lang, "membership_button_leave_new_primary", cop=other.id),
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
                t(lang, "membership_button_leave_confirm", cop=community.id),
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
    in_team: bool | None = None,
) -> dict[str, Any]:
    """`in_team`: added to the Team itself (True: it shows now) or to its group only (False:
    Teams may take hours to show it); None: not said (local mode)."""
    cop = community.display_name(lang)
    decider = esc(request.decided_by_name or "")
    body: list[dict[str, Any]] = [
        heading(t(lang, "membership_welcome_title", cop=cop)),
        text(t(lang, "membership_welcome_text", name=decider or "—")),
    ]
    if request.role == Role.PRIMARY:
        body.append(text(t(lang, "membership_welcome_primary"), weight="Bolder"))
    if in_team is not None:
        key = "sync_welcome_team_now" if in_team else "sync_welcome_team_later"
        body.append(text(t(lang, key), subtle=not in_team))
    if next_meeting is not None:
        title, starts_at = next_meeting
        when = reader_time(starts_at, community.time_zone, lang)
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
                t(lang, "membership_button_join_cop", cop=c.id),
                JOIN,
                cop=c.id,
                role=Role.SECONDARY.value,
            )
            for c in cross_cutting
        ]
    offer, follow = follow_offer(community, lang)  # a community's practice areas, if any
    body += offer
    actions += follow
    actions.append(submit(t(lang, "membership_button_mine"), MINE))
    return card(body, actions, fallback_text=t(lang, "membership_welcome_fallback", cop=cop))


# -- the details card (a contribution) --------------------------------------------------------------


def details_part(
    community: Community, lang: Lang
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The Join buttons of a community's details card (the bot answers "already a member" or
    "already asked" when that is the case)."""
    return [], join_buttons(community, lang)
