"""The focal points' approval card (Universal Actions), in every state of its request.

Adaptive Cards 1.5 with `Action.Execute` (Approve; Reject with an optional reason) and a `refresh`
clause: Teams asks the bot for the current state when a listed user views it
(`membership.refresh`), and every card is edited after a decision. Each Execute carries an
`Action.Submit` fallback for clients without Universal Actions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cards.elements import Markdown, card, card_date, card_time, facts, heading, text
from cards.elements import escape as esc
from cards.membership import cop_name
from copbot.catalog import Community
from copbot.i18n import Lang, t
from copbot.membership.model import (
    CLOSED_REASONS,
    FOR_ESCALATION,
    FOR_REMINDER,
    FOR_REQUEST,
    SYNC_ACTOR,
    RequestView,
    Role,
    Status,
)

APPROVE = "membership.approve"
REJECT = "membership.reject"
REFRESH = "membership.refresh"
MAX_REFRESH_USERS = 60  # Teams: user-specific views for at most 60 users


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
    cop = cop_name(community, request.cop_id, lang)
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
    pairs: list[tuple[str, str]] = [(t(lang, "membership_fact_name"), name)]
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
    if request.decided_by == SYNC_ACTOR and request.reason in CLOSED_REASONS:
        return [
            text(
                t(lang, f"sync_closed_{request.reason}", date=date),
                weight="Bolder",
                subtle=True,
                separator=True,
            )
        ]
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
