"""Cards of what happens after a meeting: the follow-up in the announcement's thread (recording,
materials, key points), the focal points' form for it, the feedback card and its results, and
"past meetings of UBS". Links are buttons (Action.OpenUrl), never markdown built from what a
person typed; the summary and the comments are escaped."""

from __future__ import annotations

from typing import Any

from cards.elements import action_set, bullet_list, card, container, escape, execute, open_url, text
from cards.elements import heading as big_heading
from cards.meetings.common import title
from copbot.catalog import Community
from copbot.i18n import Lang, t
from copbot.markup import Markdown, visible
from copbot.meetings.dates import short_local
from copbot.meetings.feedback import MAX_COMMENT, FeedbackResults
from copbot.meetings.followup import MAX_SUMMARY, FeedbackCount, FollowUpView
from copbot.meetings.links import link_label
from copbot.meetings.occurrences import Occurrence

FOLLOWUP_FORM, FOLLOWUP, FEEDBACK = (
    "meetings_followup_form",
    "meetings_followup",
    "meetings_feedback",
)
MAX_COMMENTS_SHOWN = 20
MAX_BUTTONS = 5


def _when(occ: Occurrence, lang: Lang) -> str:
    return short_local(occ.starts_at, occ.time_zone, lang)


def followup_button(occ: Occurrence, lang: Lang) -> dict[str, Any]:
    """On the announcement: opens the form (only focal points and admins may send it)."""
    return execute(t(lang, "followup_button_add"), FOLLOWUP_FORM, occurrence=occ.id)


def _followup_items(followup: FollowUpView, lang: Lang) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if followup.summary:
        items.append(text(t(lang, "followup_summary_label"), weight="Bolder", spacing="Medium"))
        items.append(text(escape(followup.summary), spacing="Small"))
    links = []
    if followup.recording_url:
        links.append(open_url(t(lang, "followup_button_recording"), followup.recording_url))
    links += [open_url(link_label(m), m) for m in followup.material_urls]
    if followup.material_urls:
        items.append(text(t(lang, "followup_materials_label"), weight="Bolder", spacing="Medium"))
    for start in range(0, len(links), MAX_BUTTONS):  # the renderers take 5 actions per set
        items.append(action_set(links[start : start + MAX_BUTTONS]))
    if not items:
        items.append(text(t(lang, "followup_none_yet"), subtle=True))
    return items


def followup_card(
    occ: Occurrence, community: Community, followup: FollowUpView, lang: Lang
) -> dict[str, Any]:
    heading = t(lang, "followup_title", title=title(occ, lang), when=_when(occ, lang))
    body = [
        big_heading(heading),
        text(t(lang, "followup_intro"), spacing="Small"),
        *_followup_items(followup, lang),
    ]
    fallback = heading + (f": {followup.recording_url}" if followup.recording_url else "")
    return card(body, fallback_text=fallback)


def followup_form_card(
    occ: Occurrence,
    lang: Lang,
    *,
    current: FollowUpView | None = None,
    notice: str | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    """The focal point's form (the answer to the announcement's button, seen by them alone)."""
    heading = t(lang, "followup_form_title", title=title(occ, lang), when=_when(occ, lang))
    body: list[dict[str, Any]] = []
    if error:
        body.append(text(error, weight="Bolder", color="Attention"))
    if notice:
        body.append(container([text("✅ " + notice, weight="Bolder")], style="good"))
    body += [
        big_heading(heading),
        text(t(lang, "followup_form_intro"), subtle=True, spacing="Small"),
        {
            "type": "Input.Text",
            "id": "recording",
            "label": t(lang, "followup_form_recording"),
            "style": "Url",
            "maxLength": 2000,
            "value": current.recording_url if current else "",
        },
        {
            "type": "Input.Text",
            "id": "materials",
            "label": t(lang, "followup_form_materials"),
            "isMultiline": True,
            "maxLength": 4000,
        },
        {
            "type": "Input.Text",
            "id": "summary",
            "label": t(lang, "followup_form_summary"),
            "isMultiline": True,
            "maxLength": MAX_SUMMARY,
            "value": visible(current.summary) if current else "",
        },
    ]
    if current is not None and current.material_urls:
        body.append(text(t(lang, "followup_materials_label"), weight="Bolder"))
        body.append(bullet_list([escape(link_label(m, 80)) for m in current.material_urls]))
    actions = [execute(t(lang, "followup_form_send"), FOLLOWUP, occurrence=occ.id)]
    return card(body, actions, fallback_text=heading)


def _count_line(counted: FeedbackCount, lang: Lang) -> dict[str, Any]:
    if not counted.count:
        return text(t(lang, "feedback_count_none"), subtle=True, spacing="Small")
    return text(t(lang, "feedback_count", count=counted.count), subtle=True, spacing="Small")


def feedback_card(
    occ: Occurrence,
    community: Community,
    counted: FeedbackCount,
    lang: Lang,
    *,
    error: str | None = None,
) -> dict[str, Any]:
    """In the thread for everyone (the count only); as a click's answer, the clicker's own view
    (their rating and comment filled in, a thank-you)."""
    heading = t(lang, "feedback_title", title=title(occ, lang), when=_when(occ, lang))
    body: list[dict[str, Any]] = []
    if error:
        body.append(text(error, weight="Bolder", color="Attention"))
    if counted.mine is not None and not error:
        body.append(
            container(
                [text(t(lang, "feedback_thanks", rating=counted.mine), weight="Bolder")],
                style="good",
            )
        )
    body += [
        big_heading(heading),
        text(t(lang, "feedback_intro"), spacing="Small"),
        _count_line(counted, lang),
        {
            "type": "Input.ChoiceSet",
            "id": "rating",
            "label": t(lang, "feedback_rating_label"),
            "style": "expanded",
            "isRequired": True,
            "errorMessage": t(lang, "feedback_rating_needed"),
            "choices": [
                {"title": t(lang, f"feedback_choice_{n}"), "value": str(n)} for n in range(1, 6)
            ],
            "value": str(counted.mine) if counted.mine is not None else "",
        },
        {
            "type": "Input.Text",
            "id": "comment",
            "label": t(lang, "feedback_comment_label"),
            "isMultiline": True,
            "maxLength": MAX_COMMENT,
            "value": visible(counted.my_comment),
        },
    ]
    actions = [execute(t(lang, "feedback_button_send"), FEEDBACK, occurrence=occ.id)]
    return card(body, actions, fallback_text=heading)


def _results_items(results: FeedbackResults, lang: Lang) -> list[dict[str, Any]]:
    if not results.count:
        return [text(t(lang, "feedback_results_none"), subtle=True)]
    items = [
        text(
            t(
                lang,
                "feedback_results_line",
                count=results.count,
                average=results.average,
            ),
            weight="Bolder",
        ),
        text(
            Markdown("  \n").join(
                Markdown(f"{n} {_bar(results.ratings.get(n, 0), results.count)} ")
                + str(results.ratings.get(n, 0))
                for n in range(5, 0, -1)
            ),
            spacing="Small",
        ),
    ]
    if results.comments:
        items.append(text(t(lang, "feedback_results_comments"), weight="Bolder"))
        items.append(bullet_list(list(results.comments[:MAX_COMMENTS_SHOWN])))
    return items


def _bar(value: int, total: int, width: int = 10) -> str:
    filled = round(width * value / total) if total else 0
    return "█" * filled + "░" * (width - filled)


def feedback_results_card(
    occ: Occurrence, community: Community, results: FeedbackResults, lang: Lang
) -> dict[str, Any]:
    heading = t(lang, "feedback_results_title", title=title(occ, lang), when=_when(occ, lang))
    return card([big_heading(heading), *_results_items(results, lang)], fallback_text=heading)


def followup_asker_text(question: str, occ: Occurrence, community: Community, lang: Lang) -> str:
    return t(
        lang,
        "followup_asker_text",
        question=question,
        title=title(occ, lang),
        when=_when(occ, lang),
        cop=community.display_name(lang),
        cop_id=community.id,
    )


def past_card(
    community: Community,
    past: list[tuple[Occurrence, FollowUpView | None, FeedbackResults | None]],
    lang: Lang,
) -> dict[str, Any]:
    """The CoP's meetings of the last year, the latest first; `FeedbackResults` only for the focal
    points and admins (None for everyone else)."""
    heading = t(lang, "past_title", cop=community.display_name(lang))
    body: list[dict[str, Any]] = [big_heading(heading)]
    if not past:
        body.append(text(t(lang, "past_none", cop=community.display_name(lang)), subtle=True))
    for occ, followup, results in past:
        items = [text(f"{title(occ, lang)}, {_when(occ, lang)}", weight="Bolder")]
        if followup is not None:
            items += _followup_items(followup, lang)
        else:
            items.append(text(t(lang, "followup_none_yet"), subtle=True, spacing="Small"))
        if results is not None:
            items += _results_items(results, lang)
        body.append(container(items, separator=True))
    return card(body, fallback_text=heading)
