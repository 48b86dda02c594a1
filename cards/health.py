"""The admins' CoP health card: per CoP over the last year, meetings held / planned, recordings,
questions answered (with a bar: the communications guidance's measure), feedback, members joined
and left. A Table (Adaptive Cards 1.5, which Teams and the Playground render); the "chart" is a
Unicode bar in a TextBlock (Adaptive Cards chart elements are not rendered by the Playground,
and an image would need a public URL the Playground cannot reach)."""

from __future__ import annotations

from typing import Any

from cards.elements import action_set, card, execute, heading, text
from copbot.catalog import Catalog
from copbot.i18n import Lang, t
from copbot.meetings.health import CopHealth, HealthReport

HEALTH = "admin.health"
BAR_WIDTH = 10


def share_bar(share: float | None) -> str:
    """'▓▓▓▓▓▓░░░░ 60%' (or '–' without questions)."""
    if share is None:
        return "–"
    filled = round(BAR_WIDTH * share)
    return "▓" * filled + "░" * (BAR_WIDTH - filled) + f" {share:.0%}"


def _cell(value: str, *, bold: bool = False, right: bool = False) -> dict[str, Any]:
    block = text(value, weight="Bolder" if bold else None)
    if right:
        block["horizontalAlignment"] = "Right"
    return {"type": "TableCell", "items": [block]}


def _cells(cop: CopHealth, catalog: Catalog, lang: Lang) -> list[dict[str, Any]]:
    average = "–" if cop.feedback_average is None else f"{cop.feedback_average:.1f}/5"
    answered = f"{cop.questions_answered} / {cop.questions}"
    return [
        _cell(catalog.localized_name(cop.cop_id, lang)),
        _cell(f"{cop.meetings_held} / {cop.meetings_planned}", right=True),
        _cell(str(cop.recordings), right=True),
        {
            "type": "TableCell",
            "items": [
                text(answered),
                text(share_bar(cop.answered_share), spacing="None", subtle=True),
            ],
        },
        _cell(f"{average} ({cop.feedback_count})", right=True),
        _cell(f"+{cop.members_joined} / −{cop.members_left}", right=True),
    ]


def health_card(report: HealthReport, catalog: Catalog, lang: Lang) -> dict[str, Any]:
    keys = (
        "admin_col_cop",
        "health_col_meetings",
        "health_col_recordings",
        "health_col_questions",
        "health_col_feedback",
        "health_col_members",
    )
    header = {
        "type": "TableRow",
        "cells": [_cell(t(lang, key), bold=True) for key in keys],
    }
    rows = [header] + [{"type": "TableRow", "cells": _cells(c, catalog, lang)} for c in report.cops]
    body = [
        heading(t(lang, "health_title")),
        text(
            t(
                lang,
                "health_as_of",
                start=report.start.strftime("%Y-%m-%d"),
                end=report.end.strftime("%Y-%m-%d"),
            ),
            subtle=True,
            spacing="None",
        ),
        {
            "type": "Table",
            "firstRowAsHeader": True,
            "showGridLines": False,
            "columns": [
                {"width": 3},
                {"width": 2},
                {"width": 2},
                {"width": 3},
                {"width": 2},
                {"width": 2},
            ],
            "rows": rows,
        },
        action_set([execute(t(lang, "admin_refresh"), HEALTH)]),
    ]
    return card(body, fallback_text=t(lang, "health_fallback", count=len(report.cops)))
