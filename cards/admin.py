"""The admins' report card: figures per CoP, the oldest pending requests, people without a primary.

A table (Adaptive Cards 1.5) of members, primaries and pending requests per CoP with the age of
the oldest request, then the oldest pending requests and the people who talked to the bot without
a primary CoP, at most ``max_items`` of each (`copbot report` lists them all). "Refresh" is a
Universal Action that rebuilds the card in place.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from cards.elements import action_set, bullet_list, card, execute, heading, text
from cards.elements import escape as esc
from copbot.catalog import Catalog
from copbot.i18n import Lang, t
from copbot.reports import AdminReport

REFRESH = "admin.report"
MAX_ITEMS = 10


def age_text(age: timedelta | None, lang: Lang) -> str:
    if age is None:
        return "–"
    if age >= timedelta(days=1):
        return t(lang, "admin_age_days", n=age.days)
    if age >= timedelta(hours=1):
        return t(lang, "admin_age_hours", n=int(age.total_seconds() // 3600))
    return t(lang, "admin_age_minutes")


def _cell(value: str, *, bold: bool = False, right: bool = False) -> dict[str, Any]:
    block = text(value, weight="Bolder" if bold else None)
    if right:
        block["horizontalAlignment"] = "Right"
    return {"type": "TableCell", "items": [block]}


def _row(cells: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "TableRow", "cells": cells}


def _figures_table(report: AdminReport, catalog: Catalog, lang: Lang) -> dict[str, Any]:
    header = _row(
        [
            _cell(t(lang, "admin_col_cop"), bold=True),
            _cell(t(lang, "admin_col_members"), bold=True, right=True),
            _cell(t(lang, "admin_col_primaries"), bold=True, right=True),
            _cell(t(lang, "admin_col_pending"), bold=True, right=True),
            _cell(t(lang, "admin_col_oldest"), bold=True, right=True),
        ]
    )
    rows = [header]
    for figures in report.cops:
        rows.append(
            _row(
                [
                    _cell(catalog.localized_name(figures.cop_id, lang)),
                    _cell(str(figures.members), right=True),
                    _cell(str(figures.primaries), right=True),
                    _cell(str(figures.pending), right=True),
                    _cell(age_text(figures.oldest_pending, lang), right=True),
                ]
            )
        )
    oldest = max((f.oldest_pending for f in report.cops if f.oldest_pending), default=None)
    rows.append(
        _row(
            [
                _cell(t(lang, "admin_total"), bold=True),
                _cell(str(report.members), bold=True, right=True),
                _cell(str(report.primaries), bold=True, right=True),
                _cell(str(len(report.pending)), bold=True, right=True),
                _cell(age_text(oldest, lang), bold=True, right=True),
            ]
        )
    )
    return {
        "type": "Table",
        "firstRowAsHeader": True,
        "showGridLines": False,
        "columns": [{"width": 4}, {"width": 2}, {"width": 2}, {"width": 2}, {"width": 2}],
        "rows": rows,
    }


def _sync_section(report: AdminReport, catalog: Catalog, lang: Lang) -> list[dict[str, Any]]:
    """Per CoP: our records against its group as the directory sync last saw it."""
    if not any(c.last_sync_at or c.focal_points_gone for c in report.cops):
        return []
    lines = []
    for c in report.cops:
        cop = catalog.localized_name(c.cop_id, lang)
        if c.last_sync_at is None:
            line = t(lang, "admin_sync_never", cop=cop, recorded=c.members)
        else:
            line = t(
                lang,
                "admin_sync_line",
                cop=cop,
                recorded=c.members,
                in_group="-" if c.in_group is None else str(c.in_group),
                added=c.added_outside,
                removed=c.removed_outside,
                date=c.last_sync_at.strftime("%Y-%m-%d %H:%M"),
                outcome=t(
                    lang, "admin_sync_ok" if c.last_sync_outcome == "ok" else "admin_sync_failed"
                ),
            )
        if c.focal_points_gone:
            line = line + " " + t(lang, "admin_sync_focal_gone")
        lines.append(line)
    return [text(t(lang, "admin_sync_title"), weight="Bolder", separator=True), bullet_list(lines)]


def _more(total: int, shown: int, lang: Lang) -> list[dict[str, Any]]:
    if total <= shown:
        return []
    return [text(t(lang, "admin_more", count=total - shown), subtle=True, spacing="Small")]


def admin_report_card(
    report: AdminReport, catalog: Catalog, lang: Lang, *, max_items: int = MAX_ITEMS
) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        heading(t(lang, "admin_report_title")),
        text(
            t(lang, "admin_report_as_of", date=report.at.strftime("%Y-%m-%d %H:%M")),
            subtle=True,
            spacing="None",
        ),
        _figures_table(report, catalog, lang),
        text(
            t(lang, "admin_pending_title", count=len(report.pending)),
            weight="Bolder",
            separator=True,
        ),
    ]
    if report.pending:
        shown = report.pending[:max_items]
        body.append(
            bullet_list(
                [
                    t(
                        lang,
                        "admin_pending_line",
                        name=esc(p.name or p.person_id),
                        cop=catalog.localized_name(p.cop_id, lang),
                        role=t(lang, f"membership_pending_as_{p.role}"),
                        age=age_text(p.age, lang),
                    )
                    for p in shown
                ]
            )
        )
        body += _more(len(report.pending), len(shown), lang)
    else:
        body.append(text(t(lang, "admin_pending_none"), subtle=True))
    body.append(
        text(
            t(lang, "admin_without_primary_title", count=len(report.without_primary)),
            weight="Bolder",
            separator=True,
        )
    )
    if report.without_primary:
        shown_people = report.without_primary[:max_items]
        body.append(text(t(lang, "admin_without_primary_intro", people=report.people), subtle=True))
        body.append(bullet_list([esc(p.name or p.email or p.person_id) for p in shown_people]))
        body += _more(len(report.without_primary), len(shown_people), lang)
    else:
        body.append(text(t(lang, "admin_without_primary_none"), subtle=True))
    body += _sync_section(report, catalog, lang)
    body.append(
        text(
            t(lang, "admin_unreachable", count=report.unreachable)
            if report.unreachable
            else t(lang, "admin_unreachable_none"),
            separator=True,
            subtle=not report.unreachable,
        )
    )
    body.append(action_set([execute(t(lang, "admin_refresh"), REFRESH)]))
    return card(
        body,
        fallback_text=t(
            lang,
            "admin_report_fallback",
            members=report.members,
            primaries=report.primaries,
            pending=len(report.pending),
            without=len(report.without_primary),
        ),
    )
