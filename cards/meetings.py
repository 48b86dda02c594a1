"""Cards of CoP meetings: the announcement in the CoP's channel (with a question box), the day-of
reminder, a change notice, the digest of questions for focal points, the calendar, and the list
of one CoP's upcoming occurrences for those who manage it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

from cards.elements import (
    action_set,
    card,
    container,
    escape,
    execute,
    facts,
    heading,
    open_url,
    text,
)
from copbot.catalog import Community
from copbot.i18n import Lang, t
from copbot.meetings.dates import short_local, when_local, when_utc
from copbot.meetings.occurrences import MOVED, SKIPPED, Occurrence
from copbot.meetings.service import MAX_QUESTION, QuestionView

ASK, ANSWERED, SKIP, RESTORE = (
    "meetings_ask",
    "meetings_answered",
    "meetings_skip",
    "meetings_restore",
)
# A card stays well under Teams' ~100 KB per message (our cards: 40 KB): questions are shown
# open ones first, answered ones shortened, until this much question text.
DIGEST_TEXT_BUDGET = 20_000
ANSWERED_PREVIEW = 140
MAX_CALENDAR_ITEMS = 15


def _title(occ: Occurrence, lang: Lang) -> str:
    """The occurrence's title as a card shows it (escaped when a person typed it)."""
    title = occ.title_in(lang)
    return escape(title) if occ.typed_title else title


def error_line(message: str) -> dict[str, Any]:
    return text(message, weight="Bolder", color="Attention")


def feed_url(base_url: str, cop_id: str | None = None, occurrence_id: str | None = None) -> str:
    path = f"{base_url}/calendar/{cop_id or 'all'}.ics"
    return f"{path}?occurrence={quote(occurrence_id, safe='')}" if occurrence_id else path


def _when_facts(occ: Occurrence, lang: Lang) -> list[tuple[str, str]]:
    pairs = [
        (t(lang, "meetings_label_when"), when_local(occ.starts_at, occ.time_zone, lang)),
        (t(lang, "meetings_label_utc"), when_utc(occ.starts_at, lang)),
        (
            t(lang, "meetings_label_duration"),
            t(lang, "meetings_minutes", minutes=int(occ.duration.total_seconds() // 60)),
        ),
    ]
    if occ.theme:
        pairs.append((t(lang, "meetings_label_theme"), escape(occ.theme)))
    return pairs


def _status_line(occ: Occurrence, lang: Lang) -> dict[str, Any] | None:
    if occ.status == SKIPPED:
        return text(t(lang, "meetings_status_cancelled"), weight="Bolder", color="Attention")
    if occ.status == MOVED and occ.original_starts_at:
        return text(
            t(
                lang,
                "meetings_status_moved_from",
                when=short_local(occ.original_starts_at, occ.time_zone, lang),
            ),
            weight="Bolder",
            color="Warning",
        )
    return None


def _question_box(occ: Occurrence, lang: Lang) -> list[dict[str, Any]]:
    return [
        text(t(lang, "meetings_ask_intro"), separator=True),
        {
            "type": "Input.Text",
            "id": "question",
            "label": t(lang, "meetings_ask_label"),
            "placeholder": t(lang, "meetings_ask_placeholder"),
            "isMultiline": True,
            "maxLength": MAX_QUESTION,
        },
    ]


def _occurrence_card(
    occ: Occurrence,
    community: Community,
    lang: Lang,
    *,
    base_url: str,
    title: str,
    intro: str | None = None,
    notice: list[dict[str, Any]] | None = None,
    ask: bool = True,
) -> dict[str, Any]:
    body: list[dict[str, Any]] = [*(notice or []), heading(title)]
    status = _status_line(occ, lang)
    if status:
        body.append(status)
    if intro:
        body.append(text(intro, spacing="Small"))
    body.append(facts(_when_facts(occ, lang)))
    actions: list[dict[str, Any]] = []
    if ask and not occ.skipped:
        body += _question_box(occ, lang)
        actions.append(execute(t(lang, "meetings_button_ask"), ASK, occurrence=occ.id))
    actions.append(
        open_url(t(lang, "meetings_button_calendar"), feed_url(base_url, occ.cop_id, occ.id))
    )
    fallback = f"{title}: {when_local(occ.starts_at, occ.time_zone, lang)} ({when_utc(occ.starts_at, lang)})"
    return card(body, actions, fallback_text=fallback)


def announcement_card(
    occ: Occurrence,
    community: Community,
    lang: Lang,
    *,
    base_url: str,
    acknowledged: QuestionView | None = None,
    next_occurrence: Occurrence | None = None,
    duplicate: bool = False,
) -> dict[str, Any]:
    """The post in the CoP's channel; with `acknowledged`, the asker's own view after sending."""
    notice = []
    if acknowledged is not None:
        notice = [_acknowledgement(acknowledged, lang, next_occurrence, duplicate)]
    return _occurrence_card(
        occ,
        community,
        lang,
        base_url=base_url,
        title=_title(occ, lang),
        intro=t(lang, "meetings_announcement_intro", cop=community.display_name(lang)),
        notice=notice,
    )


def _acknowledgement(
    question: QuestionView, lang: Lang, next_occurrence: Occurrence | None, duplicate: bool
) -> dict[str, Any]:
    lines = [
        text(
            t(lang, "meetings_ack_duplicate" if duplicate else "meetings_ack_received"),
            weight="Bolder",
            color="Good",
        ),
        text(f"«{escape(question.text)}»", subtle=True, spacing="Small"),
    ]
    if next_occurrence is not None:
        lines.append(
            text(
                t(
                    lang,
                    "meetings_ack_next",
                    when=short_local(next_occurrence.starts_at, next_occurrence.time_zone, lang),
                ),
                spacing="Small",
            )
        )
    lines.append(text(t(lang, "meetings_ack_private"), subtle=True, spacing="Small"))
    return container(lines, style="good")


def reminder_card(
    occ: Occurrence, community: Community, lang: Lang, *, base_url: str
) -> dict[str, Any]:
    return _occurrence_card(
        occ,
        community,
        lang,
        base_url=base_url,
        title=t(lang, "meetings_reminder_title", title=_title(occ, lang)),
        intro=t(lang, "meetings_reminder_intro"),
    )


def change_card(
    occ: Occurrence, community: Community, lang: Lang, *, base_url: str
) -> dict[str, Any]:
    """Posted in the channel when a meeting already announced is cancelled, moved or restored."""
    when = short_local(occ.starts_at, occ.time_zone, lang)
    if occ.skipped:
        intro = t(lang, "meetings_change_cancelled", title=_title(occ, lang), when=when)
    elif occ.moved and occ.original_starts_at:
        old = short_local(occ.original_starts_at, occ.time_zone, lang)
        intro = t(lang, "meetings_change_moved", title=_title(occ, lang), old=old, when=when)
    else:
        intro = t(lang, "meetings_change_restored", title=_title(occ, lang), when=when)
    return _occurrence_card(
        occ,
        community,
        lang,
        base_url=base_url,
        title=t(lang, "meetings_change_title"),
        intro=intro,
        ask=False,
    )


def digest_card(
    occ: Occurrence,
    community: Community,
    questions: Sequence[QuestionView],
    lang: Lang,
    *,
    late: bool = False,
) -> dict[str, Any]:
    """For a focal point: the questions sent in advance, each with "Mark answered"."""
    when = short_local(occ.starts_at, occ.time_zone, lang)
    open_count = sum(1 for q in questions if not q.answered)
    intro_key = "meetings_digest_late" if late else "meetings_digest_intro"
    body: list[dict[str, Any]] = [
        heading(t(lang, "meetings_digest_title")),
        text(t(lang, intro_key, title=_title(occ, lang), when=when, count=len(questions))),
    ]
    if questions and not open_count:
        body.append(text(t(lang, "meetings_digest_all_answered"), color="Good", weight="Bolder"))
    ordered = sorted(questions, key=lambda q: q.answered)  # stable: open ones first, by age
    shown, budget = [], DIGEST_TEXT_BUDGET
    for question in ordered:
        words = question.text
        if question.answered and len(words) > ANSWERED_PREVIEW:
            words = words[: ANSWERED_PREVIEW - 1] + "…"
        budget -= len(words) + 200  # the text, and the card structure around it
        if budget < 0 and shown:
            break
        shown.append((question, words))
    for question, words in shown:
        items = [
            text(f"«{escape(words)}»"),
            text(
                t(
                    lang,
                    "meetings_digest_asked_by",
                    name=escape(question.asker_name or "?"),
                    date=short_local(question.asked_at, occ.time_zone, lang),
                ),
                subtle=True,
                spacing="Small",
            ),
        ]
        if question.from_occurrence is not None or question.occurrence_id != occ.id:
            origin = question.from_occurrence
            items.append(
                text(
                    t(
                        lang,
                        "meetings_digest_rolled_over",
                        when=short_local(origin.starts_at, origin.time_zone, lang)
                        if origin
                        else question.occurrence_id,
                    ),
                    color="Warning",
                    spacing="Small",
                )
            )
        if question.answered:
            items.append(
                text(
                    t(lang, "meetings_answered_by", name=escape(question.answered_by_name or "?")),
                    color="Good",
                    spacing="Small",
                )
            )
        else:
            items.append(
                action_set(
                    [
                        execute(
                            t(lang, "meetings_button_answered"),
                            ANSWERED,
                            question=question.id,
                            occurrence=occ.id,
                            **({"late": True} if late else {}),
                        )
                    ]
                )
            )
        body.append(container(items, separator=True))
    if len(shown) < len(questions):
        body.append(
            text(t(lang, "meetings_digest_more", count=len(questions) - len(shown)), subtle=True)
        )
    fallback = t(lang, intro_key, title=_title(occ, lang), when=when, count=len(questions))
    return card(body, fallback_text=fallback)


def calendar_card(
    occurrences: Sequence[Occurrence],
    communities: Mapping[str, Community],
    lang: Lang,
    *,
    base_url: str,
    mine: bool = False,
    cop_id: str | None = None,
) -> dict[str, Any]:
    """The upcoming meetings of all CoPs (or of the person's), with links to subscribe."""
    title_key = "meetings_calendar_mine_title" if mine else "meetings_calendar_title"
    body: list[dict[str, Any]] = [heading(t(lang, title_key))]
    shown = list(occurrences)[:MAX_CALENDAR_ITEMS]
    if not shown:
        body.append(
            text(t(lang, "meetings_calendar_mine_empty" if mine else "meetings_calendar_empty"))
        )
    for occ in shown:
        community = communities.get(occ.cop_id)
        lines = [text(f"**{_title(occ, lang)}**")]
        status = _status_line(occ, lang)
        if status:
            lines.append(status)
        lines.append(
            text(
                f"{when_local(occ.starts_at, occ.time_zone, lang)} · {when_utc(occ.starts_at, lang)}",
                spacing="Small",
            )
        )
        if occ.theme:
            lines.append(
                text(t(lang, "meetings_theme_line", theme=escape(occ.theme)), spacing="Small")
            )
        if community and occ.kind == "event":
            lines.append(text(community.display_name(lang), subtle=True, spacing="Small"))
        body.append(container(lines, separator=True))
    actions = [open_url(t(lang, "meetings_button_subscribe_all"), feed_url(base_url))]
    if cop_id:
        actions.insert(
            0,
            open_url(
                t(lang, "meetings_button_subscribe_cop", cop=cop_id), feed_url(base_url, cop_id)
            ),
        )
    body.append(text(t(lang, "meetings_calendar_hint"), subtle=True, separator=True))
    fallback = "; ".join(
        f"{_title(o, lang)}: {short_local(o.starts_at, o.time_zone, lang)}" for o in shown
    )
    return card(body, actions, fallback_text=f"{t(lang, title_key)}: {fallback or '-'}")


def _post_line(kind: str, row: Any, due: datetime, occ: Occurrence, lang: Lang) -> str:
    name = t(lang, f"meetings_kind_{kind}")
    if row is None:
        return t(
            lang, "meetings_post_planned", kind=name, when=short_local(due, occ.time_zone, lang)
        )
    if row.status == "sent" and row.sent_at:
        return t(
            lang,
            "meetings_post_sent",
            kind=name,
            when=short_local(row.sent_at, occ.time_zone, lang),
        )
    if row.status == "skipped":
        return t(lang, "meetings_post_skipped", kind=name, reason=row.reason)
    if row.status == "failed":
        return t(lang, "meetings_post_failed", kind=name, reason=row.reason)
    return t(lang, "meetings_post_sending", kind=name)


def upcoming_card(
    community: Community,
    occurrences: Sequence[Occurrence],
    lang: Lang,
    *,
    base_url: str,
    posts: Mapping[str, Sequence[Any]] | None = None,
    due_times: Mapping[tuple[str, str], datetime] | None = None,
    can_manage: bool = False,
) -> dict[str, Any]:
    """One CoP's next occurrences with their status; focal points and admins also see the posts
    and can skip or restore each."""
    body: list[dict[str, Any]] = [
        heading(t(lang, "meetings_upcoming_title", cop=community.display_name(lang)))
    ]
    if not occurrences:
        body.append(text(t(lang, "meetings_calendar_empty")))
    for occ in occurrences:
        lines = [
            text(f"**{_title(occ, lang)}** · {t(lang, f'meetings_status_{occ.status}')}"),
            text(
                f"{when_local(occ.starts_at, occ.time_zone, lang)} · {when_utc(occ.starts_at, lang)}",
                spacing="Small",
            ),
        ]
        if occ.theme:
            lines.append(
                text(t(lang, "meetings_theme_line", theme=escape(occ.theme)), spacing="Small")
            )
        if can_manage:
            rows = list((posts or {}).get(occ.id, []))
            for kind, due in sorted(
                ((k, d) for (oid, k), d in (due_times or {}).items() if oid == occ.id),
                key=lambda item: item[1],
            ):
                row = next((r for r in rows if r.kind == kind), None)
                if not occ.skipped or row is not None:
                    lines.append(
                        text(_post_line(kind, row, due, occ, lang), subtle=True, spacing="None")
                    )
            lines.append(
                text(t(lang, "meetings_occurrence_id", id=occ.id), subtle=True, spacing="None")
            )
            button = (
                execute(t(lang, "meetings_button_restore"), RESTORE, occurrence=occ.id)
                if occ.skipped or occ.moved
                else execute(t(lang, "meetings_button_skip"), SKIP, occurrence=occ.id)
            )
            lines.append(action_set([button]))
        body.append(container(lines, separator=True))
    if can_manage:
        body.append(
            text(t(lang, "meetings_manage_hint", cop=community.id), subtle=True, separator=True)
        )
    actions = [
        open_url(
            t(lang, "meetings_button_subscribe_cop", cop=community.id),
            feed_url(base_url, community.id),
        )
    ]
    fallback = "; ".join(
        f"{_title(o, lang)}: {short_local(o.starts_at, o.time_zone, lang)}" for o in occurrences
    )
    return card(
        body,
        actions,
        fallback_text=f"{t(lang, 'meetings_upcoming_title', cop=community.display_name(lang))}: {fallback or '-'}",
    )


def changed_card(
    occ: Occurrence, community: Community, lang: Lang, *, base_url: str
) -> dict[str, Any]:
    """What a focal point sees after skipping, moving or restoring: the result and Undo."""
    when = short_local(occ.starts_at, occ.time_zone, lang)
    if occ.skipped:
        message = t(lang, "meetings_skip_done", title=_title(occ, lang), when=when)
    elif occ.kind == "event" and not occ.sequence:
        message = t(lang, "meetings_event_added", title=_title(occ, lang), when=when)
    elif occ.moved:
        message = t(lang, "meetings_move_done", title=_title(occ, lang), when=when)
    else:
        message = t(lang, "meetings_restore_done", title=_title(occ, lang), when=when)
    body = [text(message, weight="Bolder"), facts(_when_facts(occ, lang))]
    actions = []
    if occ.skipped or occ.moved:
        actions.append(execute(t(lang, "meetings_button_undo"), RESTORE, occurrence=occ.id))
    actions.append(
        open_url(t(lang, "meetings_button_calendar"), feed_url(base_url, occ.cop_id, occ.id))
    )
    return card(body, actions, fallback_text=message)


def answered_text(
    question: str, occ: Occurrence | None, community: Community, by: str, lang: Lang
) -> str:
    """The message telling the asker their question was answered (a chat message: markdown)."""
    return t(
        lang,
        "meetings_answered_notice",
        question=escape(question),
        title=_title(occ, lang) if occ else community.display_name(lang),
        name=escape(by) if by else t(lang, "meetings_a_focal_point"),
    )


def next_meeting_lines(
    occ: Occurrence, lang: Lang, *, base_url: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A contribution to a CoP's details card: its next meeting and "Add to calendar"."""
    body = [
        text(t(lang, "meetings_next_heading"), weight="Bolder", separator=True),
        text(
            f"{_title(occ, lang)}: {when_local(occ.starts_at, occ.time_zone, lang)} · {when_utc(occ.starts_at, lang)}"
        ),
    ]
    return body, [
        open_url(t(lang, "meetings_button_calendar"), feed_url(base_url, occ.cop_id, occ.id))
    ]


__all__ = [
    "ANSWERED",
    "ASK",
    "RESTORE",
    "SKIP",
    "announcement_card",
    "answered_text",
    "calendar_card",
    "change_card",
    "changed_card",
    "digest_card",
    "next_meeting_lines",
    "reminder_card",
    "upcoming_card",
]
