"""CoP meetings: cadences and one-off events, posts in each CoP's channel on its own schedule
(claimed in the database so that each is sent exactly once), questions in advance, and calendar
feeds. Plain values in, plain values out: no Teams code here (cards come in through
`MeetingCards`). `services.Meetings` lists the modules by job."""

from copbot.meetings.occurrences import Occurrence
from copbot.meetings.services import Meetings
from copbot.meetings.values import MeetingsError, PostView, QuestionView

__all__ = ["Meetings", "MeetingsError", "Occurrence", "PostView", "QuestionView"]
