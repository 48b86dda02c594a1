"""CoP meetings: cadences and one-off events, posts in each CoP's channel on its own schedule
(claimed in the database so that each is sent exactly once), questions in advance, and calendar
feeds. Plain values in, plain values out: no Teams code here (cards come in through
`MeetingCards`)."""

from copbot.meetings.occurrences import Occurrence
from copbot.meetings.service import MeetingsError, MeetingsService, QuestionView

__all__ = ["MeetingsError", "MeetingsService", "Occurrence", "QuestionView"]
