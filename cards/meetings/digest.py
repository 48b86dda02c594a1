"""Cards of questions in advance for a CoP's focal points: the digest before a meeting (and a late
question on its own), each question with "Mark answered"; the message telling an asker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cards.elements import action_set, card, container, escape, execute, heading, text
from cards.meetings.common import ANSWERED, title
from copbot.catalog import Community
from copbot.i18n import Lang, t
from copbot.meetings.dates import short_local
from copbot.meetings.occurrences import Occurrence
from copbot.meetings.values import QuestionView

# A card stays well under Teams' ~100 KB per message (our cards: 40 KB): questions are shown
# open ones first, answered ones shortened, until this much question text.
DIGEST_TEXT_BUDGET = 20_000
ANSWERED_PREVIEW = 140


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
    intro = t(lang, intro_key, title=title(occ, lang), when=when, count=len(questions))
    body: list[dict[str, Any]] = [heading(t(lang, "meetings_digest_title")), text(intro)]
    if questions and not open_count:
        body.append(text(t(lang, "meetings_digest_all_answered"), color="Good", weight="Bolder"))
    ordered = sorted(questions, key=lambda q: q.answered)  # stable: open ones first, by age
    shown: list[tuple[QuestionView, str]] = []
    budget = DIGEST_TEXT_BUDGET
    for question in ordered:
        words = question.text
        if question.answered and len(words) > ANSWERED_PREVIEW:
            words = words[: ANSWERED_PREVIEW - 1] + "…"
        budget -= len(words) + 200  # the text, and the card structure around it
        if budget < 0 and shown:
            break
        shown.append((question, words))
    for question, words in shown:
        body.append(container(_question_lines(question, words, occ, lang, late), separator=True))
    if len(shown) < len(questions):
        body.append(
            text(t(lang, "meetings_digest_more", count=len(questions) - len(shown)), subtle=True)
        )
    return card(body, fallback_text=intro)


def _question_lines(
    question: QuestionView, words: str, occ: Occurrence, lang: Lang, late: bool
) -> list[dict[str, Any]]:
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
        late_data: dict[str, Any] = {"late": True} if late else {}
        items.append(
            action_set(
                [
                    execute(
                        t(lang, "meetings_button_answered"),
                        ANSWERED,
                        question=question.id,
                        occurrence=occ.id,
                        **late_data,
                    )
                ]
            )
        )
    return items


def answered_text(
    question: str, occ: Occurrence | None, community: Community, by: str, lang: Lang
) -> str:
    """The message telling the asker their question was answered (a chat message: markdown)."""
    return t(
        lang,
        "meetings_answered_notice",
        question=escape(question),
        title=title(occ, lang) if occ else community.display_name(lang),
        name=escape(by) if by else t(lang, "meetings_a_focal_point"),
    )
