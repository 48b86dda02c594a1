"""Samples of cards/meetings/followup.py (called from `meetings.samples`): the follow-up in the
thread (full, summary only, nothing yet), the focal points' form (empty, filled, with an error),
the feedback card (for everyone, the clicker's own view, with an error), its results (many
comments, none), past meetings (member and focal point views, none)."""

from __future__ import annotations

from dataclasses import replace

from cards.meetings import (
    feedback_card,
    feedback_results_card,
    followup_card,
    followup_form_card,
    past_card,
)
from copbot.i18n import t
from copbot.meetings.feedback import MAX_COMMENT, FeedbackResults
from copbot.meetings.followup import MAX_SUMMARY, FeedbackCount, FollowUpView
from copbot.meetings.links import MAX_MATERIALS
from copbot.meetings.occurrences import Occurrence
from tests.cards.samples import Sample, sample
from tests.cards.samples.data import LANGS, NOW, catalog

SUMMARY = (
    "Utilities *cut* losses by [30 %] with district_metering; regulators <agreed> on "
    "performance-based contracts. "
) * 20
COMMENT = ("Too *short*: give the [regional] examples more time, and share_the slides. " * 20)[
    :MAX_COMMENT
]


def _followup(occ: Occurrence, *, full: bool = True) -> FollowUpView:
    materials = tuple(
        f"https://unhabitat.sharepoint.com/sites/UBS/Shared%20Documents/2026/deck-{n}.pdf"
        for n in range(MAX_MATERIALS)
    )
    return FollowUpView(
        occurrence_id=occ.id,
        cop_id=occ.cop_id,
        recording_url="https://unhabitat.sharepoint.com/sites/UBS/Recordings/2026-12-16.mp4"
        if full
        else "",
        material_urls=materials if full else (),
        summary=SUMMARY[:MAX_SUMMARY],
        version=3,
        updated_at=NOW,
    )


def followup_samples(occ: Occurrence) -> list[Sample]:
    ubs = catalog().get("UBS")
    full = _followup(occ)
    results = FeedbackResults(
        count=240,
        average=4.2,
        ratings={1: 4, 2: 10, 3: 30, 4: 96, 5: 100},
        comments=(COMMENT,) * 30,
    )
    found: list[Sample] = []
    for lang in LANGS:
        found += [
            sample(followup_card, occ, ubs, full, lang, label=f"full-{lang}"),
            sample(
                followup_card, occ, ubs, _followup(occ, full=False), lang, label=f"summary-{lang}"
            ),
            sample(
                followup_card,
                occ,
                ubs,
                replace(full, recording_url="", material_urls=(), summary=""),
                lang,
                label=f"empty-{lang}",
            ),
            sample(followup_form_card, occ, lang, label=f"empty-{lang}"),
            sample(
                followup_form_card,
                occ,
                lang,
                current=full,
                notice=t(lang, "followup_saved", title="UBS meeting", when="16 December 2026"),
                label=f"filled-{lang}",
            ),
            sample(
                followup_form_card,
                occ,
                lang,
                error=t(lang, "followup_https_only", link="http://x.org"),
                label=f"error-{lang}",
            ),
            sample(feedback_card, occ, ubs, FeedbackCount(0, None), lang, label=f"none-{lang}"),
            sample(
                feedback_card,
                occ,
                ubs,
                FeedbackCount(12, 4.1, mine=4, my_comment=COMMENT),
                lang,
                label=f"mine-{lang}",
            ),
            sample(
                feedback_card,
                occ,
                ubs,
                FeedbackCount(12, 4.1),
                lang,
                error=t(lang, "feedback_rating_needed"),
                label=f"error-{lang}",
            ),
            sample(feedback_results_card, occ, ubs, results, lang, label=f"many-{lang}"),
            sample(
                feedback_results_card,
                occ,
                ubs,
                FeedbackResults(0, None),
                lang,
                label=f"none-{lang}",
            ),
            sample(
                past_card,
                ubs,
                [(occ, full, results), (occ, None, FeedbackResults(0, None))],
                lang,
                label=f"focal-point-{lang}",
            ),
            sample(past_card, ubs, [(occ, full, None)] * 6, lang, label=f"member-{lang}"),
            sample(past_card, ubs, [], lang, label=f"none-{lang}"),
        ]
    return found
