"""Cards posted in a CoP's channel: the announcement (with the question box, and the asker's own
view after sending), the day-of reminder, and the notice that an announced meeting changed."""

from __future__ import annotations

from typing import Any

from cards.elements import (
    card,
    container,
    escape,
    execute,
    facts,
    heading,
    open_url,
    text,
    your_time,
)
from cards.meetings.common import ASK, feed_url, kind_facts, status_line, title, when_facts
from cards.meetings.followup import followup_button
from copbot.catalog import Community
from copbot.i18n import Lang, t
from copbot.meetings.dates import short_local, when_local, when_utc
from copbot.meetings.occurrences import Occurrence
from copbot.meetings.values import MAX_QUESTION, QuestionView


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
    heading_text: str,
    intro: str | None = None,
    notice: list[dict[str, Any]] | None = None,
    ask: bool = True,
) -> dict[str, Any]:
    body: list[dict[str, Any]] = [*(notice or []), heading(heading_text)]
    status = status_line(occ, lang)
    if status:
        body.append(status)
    if intro:
        body.append(text(intro, spacing="Small"))
    body.append(facts([*kind_facts(occ, lang), *when_facts(occ, lang)]))
    body.append(text(your_time(occ.starts_at, lang), subtle=True))
    actions: list[dict[str, Any]] = []
    if ask and not occ.skipped:
        body += _question_box(occ, lang)
        actions.append(execute(t(lang, "meetings_button_ask"), ASK, occurrence=occ.id))
    actions.append(
        open_url(t(lang, "meetings_button_calendar"), feed_url(base_url, occ.cop_id, occ.id))
    )
    fallback = (
        f"{heading_text}: {when_local(occ.starts_at, occ.time_zone, lang)}"
        f" ({when_utc(occ.starts_at, lang)})"
    )
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
    posted = _occurrence_card(
        occ,
        community,
        lang,
        base_url=base_url,
        heading_text=title(occ, lang),
        intro=_intro(occ, community, lang),
        notice=notice,
    )
    if not occ.skipped:
        posted.setdefault("actions", []).append(followup_button(occ, lang))
    return posted


def _intro(occ: Occurrence, community: Community, lang: Lang) -> str:
    if not occ.series:
        return t(lang, "meetings_announcement_intro", cop=community.display_name(lang))
    return t(
        lang,
        "meetings_series_intro",
        series=occ.series_in(lang),
        format=occ.format_in(lang).lower(),
        cop=community.display_name(lang),
    )


def _acknowledgement(
    question: QuestionView, lang: Lang, next_occurrence: Occurrence | None, duplicate: bool
) -> dict[str, Any]:
    # Default-coloured text in a "good" container: Teams maps the container's style to each theme
    # (light, dark, high contrast); coloured text on it would be green on green.
    lines = [
        text(
            "✅ " + t(lang, "meetings_ack_duplicate" if duplicate else "meetings_ack_received"),
            weight="Bolder",
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
        heading_text=t(lang, "meetings_reminder_title", title=title(occ, lang)),
        intro=t(lang, "meetings_reminder_intro"),
    )


def change_card(
    occ: Occurrence, community: Community, lang: Lang, *, base_url: str
) -> dict[str, Any]:
    """Posted in the channel when a meeting already announced is cancelled, moved or restored."""
    when = short_local(occ.starts_at, occ.time_zone, lang)
    name = title(occ, lang)
    if occ.skipped:
        intro = t(lang, "meetings_change_cancelled", title=name, when=when)
    elif occ.moved and occ.original_starts_at:
        old = short_local(occ.original_starts_at, occ.time_zone, lang)
        intro = t(lang, "meetings_change_moved", title=name, old=old, when=when)
    else:
        intro = t(lang, "meetings_change_restored", title=name, when=when)
    return _occurrence_card(
        occ,
        community,
        lang,
        base_url=base_url,
        heading_text=t(lang, "meetings_change_title"),
        intro=intro,
        ask=False,
    )
