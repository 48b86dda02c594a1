"""Cards of CoP meetings, one module per family: what is posted in the CoP's channel
(`announcement`), the focal points' questions (`digest`), when CoPs meet (`calendar`), the result
of a change (`editing`), after the meeting (`followup`). This package is the `MeetingCards` the domain posts with."""

from cards.meetings.announcement import announcement_card, change_card, reminder_card
from cards.meetings.calendar import calendar_card, next_meeting_lines, upcoming_card
from cards.meetings.common import ANSWERED, ASK, RESTORE, SKIP, error_line, feed_url
from cards.meetings.digest import answered_text, digest_card
from cards.meetings.editing import changed_card
from cards.meetings.followup import (
    FEEDBACK,
    FOLLOWUP,
    FOLLOWUP_FORM,
    feedback_card,
    feedback_results_card,
    followup_asker_text,
    followup_card,
    followup_form_card,
    past_card,
)

__all__ = [
    "ANSWERED",
    "ASK",
    "FEEDBACK",
    "FOLLOWUP",
    "FOLLOWUP_FORM",
    "RESTORE",
    "SKIP",
    "announcement_card",
    "answered_text",
    "calendar_card",
    "change_card",
    "changed_card",
    "digest_card",
    "error_line",
    "feed_url",
    "feedback_card",
    "feedback_results_card",
    "followup_asker_text",
    "followup_card",
    "followup_form_card",
    "next_meeting_lines",
    "past_card",
    "reminder_card",
    "upcoming_card",
]
