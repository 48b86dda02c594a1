"""Cards that show when CoPs meet: the calendar of all CoPs (or of the person's), one CoP's
upcoming occurrences (with the state of each post and skip/restore for those who manage it), and
the next meeting on a CoP's details card."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from cards.elements import action_set, card, container, escape, execute, heading, open_url, text
from cards.meetings.common import (
    RESTORE,
    SKIP,
    feed_url,
    kind_line,
    status_line,
    title,
    when_line,
)
from copbot.catalog import Community
from copbot.i18n import Lang, t
from copbot.meetings.dates import short_local
from copbot.meetings.occurrences import Occurrence
from copbot.meetings.values import PostView

MAX_CALENDAR_ITEMS = 15


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
        lines = [text(f"**{title(occ, lang)}**")]
        status = status_line(occ, lang)
        if status:
            lines.append(status)
        lines.append(text(when_line(occ, lang), spacing="Small"))
        kind = kind_line(occ, lang)
        if kind:
            lines.append(kind)
        if occ.theme:
            lines.append(_theme_line(occ, lang))
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
    return card(body, actions, fallback_text=_fallback(t(lang, title_key), shown, lang))


def upcoming_card(
    community: Community,
    occurrences: Sequence[Occurrence],
    lang: Lang,
    *,
    base_url: str,
    posts: Mapping[str, Sequence[PostView]] | None = None,
    due_times: Mapping[tuple[str, str], datetime] | None = None,
    can_manage: bool = False,
) -> dict[str, Any]:
    """One CoP's next occurrences with their status; focal points and admins also see the posts
    and can skip or restore each."""
    heading_text = t(lang, "meetings_upcoming_title", cop=community.display_name(lang))
    body: list[dict[str, Any]] = [heading(heading_text)]
    if not occurrences:
        body.append(text(t(lang, "meetings_calendar_empty")))
    for occ in occurrences:
        lines = [
            text(f"**{title(occ, lang)}** · {t(lang, f'meetings_status_{occ.status}')}"),
            text(when_line(occ, lang), spacing="Small"),
        ]
        kind = kind_line(occ, lang)
        if kind:
            lines.append(kind)
        if occ.theme:
            lines.append(_theme_line(occ, lang))
        if can_manage:
            lines += _manager_lines(occ, (posts or {}).get(occ.id, []), due_times or {}, lang)
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
    return card(body, actions, fallback_text=_fallback(heading_text, occurrences, lang))


def _manager_lines(
    occ: Occurrence,
    rows: Sequence[PostView],
    due_times: Mapping[tuple[str, str], datetime],
    lang: Lang,
) -> list[dict[str, Any]]:
    """The state of each post of the occurrence, its id (for the CLI), skip or restore."""
    lines = []
    for kind, due in sorted(
        ((k, d) for (oid, k), d in due_times.items() if oid == occ.id),
        key=lambda item: item[1],
    ):
        row = next((r for r in rows if r.kind == kind), None)
        if not occ.skipped or row is not None:
            lines.append(text(_post_line(kind, row, due, occ, lang), subtle=True, spacing="None"))
    lines.append(text(t(lang, "meetings_occurrence_id", id=occ.id), subtle=True, spacing="None"))
    button = (
        execute(t(lang, "meetings_button_restore"), RESTORE, occurrence=occ.id)
        if occ.skipped or occ.moved
        else execute(t(lang, "meetings_button_skip"), SKIP, occurrence=occ.id)
    )
    lines.append(action_set([button]))
    return lines


def _post_line(kind: str, row: PostView | None, due: datetime, occ: Occurrence, lang: Lang) -> str:
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
        return t(lang, "meetings_post_skipped", kind=name, reason=escape(row.reason))
    if row.status == "failed":
        return t(lang, "meetings_post_failed", kind=name, reason=escape(row.reason))
    return t(lang, "meetings_post_sending", kind=name)


def _theme_line(occ: Occurrence, lang: Lang) -> dict[str, Any]:
    return text(t(lang, "meetings_theme_line", theme=escape(occ.theme or "")), spacing="Small")


def _fallback(heading_text: str, occurrences: Sequence[Occurrence], lang: Lang) -> str:
    listed = "; ".join(
        f"{title(o, lang)}: {short_local(o.starts_at, o.time_zone, lang)}" for o in occurrences
    )
    return f"{heading_text}: {listed or '-'}"


def next_meeting_lines(
    occ: Occurrence, lang: Lang, *, base_url: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A contribution to a CoP's details card: its next meeting and "Add to calendar"."""
    body = [
        text(t(lang, "meetings_next_heading"), weight="Bolder", separator=True),
        text(f"{title(occ, lang)}: {when_line(occ, lang)}"),
    ]
    return body, [
        open_url(t(lang, "meetings_button_calendar"), feed_url(base_url, occ.cop_id, occ.id))
    ]
