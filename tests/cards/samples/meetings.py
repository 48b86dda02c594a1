"""Samples of cards/meetings/: announcement (scheduled, moved, cancelled, themed, with the
asker's confirmation), reminder, change notices, the focal points' digest (at its fullest), the
calendar, one CoP's upcoming meetings (member and focal point views), a focal point's change;
after the meeting (`meetings_followup`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from cards.meetings import (
    announcement_card,
    calendar_card,
    change_card,
    changed_card,
    digest_card,
    reminder_card,
    upcoming_card,
)
from copbot.meetings.occurrences import AddedEvent, Occurrence, all_occurrences
from copbot.meetings.values import MAX_QUESTION, PostView, QuestionView
from tests.cards.samples import Sample, sample
from tests.cards.samples.data import LANGS, NOW, PEOPLE, catalog
from tests.cards.samples.meetings_followup import followup_samples

BASE_URL = "https://copbot.unhabitat.org"
THEME = "Financing non-revenue water reduction: [utilities] *and* regulators_2026"
LONG_QUESTION = (
    "How are utilities in secondary cities financing non-revenue water reduction, and which "
    "[performance-based] contracts *worked* with regulators? "
) * 8
LONG_QUESTION = LONG_QUESTION[:MAX_QUESTION]


def _occurrences() -> list[Occurrence]:
    webinar = AddedEvent(
        "UBS:event:2026-12-03T15:00",
        "UBS",
        "Webinar: *Water operators* partnerships [WOP] in secondary cities",
        NOW + timedelta(days=12),
        45,
    )
    workshop = AddedEvent(
        "LHS:finance:event:2026-12-08T15:00",
        "LHS",
        "Land value capture",
        NOW + timedelta(days=14),
        90,
        series="finance",
        format="workshop",
    )
    return all_occurrences(
        catalog(), NOW, NOW + timedelta(days=92), added_events=[webinar, workshop]
    )


def _ubs() -> Occurrence:
    return next(o for o in _occurrences() if o.cop_id == "UBS" and o.kind == "meeting")


def _questions(occ: Occurrence, count: int) -> list[QuestionView]:
    earlier = replace(
        occ, id="UBS:0:2026-10-21T10:00", starts_at=occ.starts_at - timedelta(days=56)
    )
    found = []
    for i in range(count):
        person_id, name, _ = PEOPLE[i % len(PEOPLE)]
        found.append(
            QuestionView(
                id=i + 1,
                cop_id="UBS",
                occurrence_id=earlier.id if i % 5 == 4 else occ.id,
                text=LONG_QUESTION,
                asker_id=person_id,
                asker_name=name,
                asked_at=NOW + timedelta(hours=i),
                answered_at=NOW + timedelta(days=1) if i % 3 == 2 else None,
                answered_by_name=PEOPLE[3][1] if i % 3 == 2 else "",
                from_occurrence=earlier if i % 5 == 4 else None,
            )
        )
    return found


def _post(occ: Occurrence, kind: str, status: str, reason: str = "") -> PostView:
    return PostView(kind, occ.id, "", status, reason=reason, sent_at=NOW)


def samples() -> list[Sample]:
    ubs = catalog().get("UBS")
    occ = _ubs()
    themed = replace(occ, theme=THEME, sequence=1)
    moved = replace(occ, starts_at=occ.starts_at - timedelta(days=1, hours=3), sequence=2)
    skipped = replace(occ, skipped=True, sequence=3)
    questions = _questions(occ, 40)
    occurrences = _occurrences()
    event = next(o for o in occurrences if o.kind == "event")
    lhs = catalog().get("LHS")
    workshop = next(o for o in occurrences if o.series == "finance" and o.kind == "event")
    found: list[Sample] = []
    for lang in LANGS:
        found += [
            sample(
                announcement_card, workshop, lhs, lang, base_url=BASE_URL, label=f"series-{lang}"
            ),
            sample(announcement_card, occ, ubs, lang, base_url=BASE_URL, label=lang),
            sample(announcement_card, themed, ubs, lang, base_url=BASE_URL, label=f"themed-{lang}"),
            sample(announcement_card, moved, ubs, lang, base_url=BASE_URL, label=f"moved-{lang}"),
            sample(
                announcement_card, skipped, ubs, lang, base_url=BASE_URL, label=f"cancelled-{lang}"
            ),
            sample(
                announcement_card,
                themed,
                ubs,
                lang,
                base_url=BASE_URL,
                acknowledged=questions[0],
                next_occurrence=moved,
                label=f"acknowledged-{lang}",
            ),
            sample(reminder_card, themed, ubs, lang, base_url=BASE_URL, label=lang),
            sample(change_card, skipped, ubs, lang, base_url=BASE_URL, label=f"cancelled-{lang}"),
            sample(change_card, moved, ubs, lang, base_url=BASE_URL, label=f"moved-{lang}"),
            sample(change_card, themed, ubs, lang, base_url=BASE_URL, label=f"restored-{lang}"),
            sample(digest_card, themed, ubs, questions, lang, label=f"40-questions-{lang}"),
            sample(digest_card, occ, ubs, questions[:1], lang, late=True, label=f"late-{lang}"),
            sample(
                digest_card,
                occ,
                ubs,
                [replace(q, answered_at=NOW, answered_by_name=PEOPLE[0][1]) for q in questions[:3]],
                lang,
                label=f"all-answered-{lang}",
            ),
            sample(
                calendar_card,
                occurrences,
                {c.id: c for c in catalog()},
                lang,
                base_url=BASE_URL,
                label=f"all-{lang}",
            ),
            sample(
                calendar_card,
                [],
                {c.id: c for c in catalog()},
                lang,
                base_url=BASE_URL,
                mine=True,
                label=f"mine-empty-{lang}",
            ),
            sample(
                upcoming_card,
                ubs,
                [o for o in occurrences if o.cop_id == "UBS"] + [skipped],
                lang,
                base_url=BASE_URL,
                label=f"member-{lang}",
            ),
            sample(
                upcoming_card,
                ubs,
                [themed, moved, skipped, event],
                lang,
                base_url=BASE_URL,
                posts={
                    themed.id: [
                        _post(themed, "announcement", "sent"),
                        _post(
                            themed,
                            "digest",
                            "failed",
                            "ErrorResponseException: (ServiceUnavailable) None",
                        ),
                    ]
                },
                due_times={
                    (o.id, kind): o.starts_at - timedelta(days=1)
                    for o in (themed, moved, skipped, event)
                    for kind in ("announcement", "reminder", "digest")
                },
                can_manage=True,
                label=f"focal-point-{lang}",
            ),
            sample(changed_card, skipped, ubs, lang, base_url=BASE_URL, label=f"skipped-{lang}"),
            sample(changed_card, moved, ubs, lang, base_url=BASE_URL, label=f"moved-{lang}"),
            sample(changed_card, event, ubs, lang, base_url=BASE_URL, label=f"event-added-{lang}"),
        ]
    return found + followup_samples(occ)
