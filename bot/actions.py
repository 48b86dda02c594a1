"""What each card action may carry: one typed model per verb, checked before any handler runs.

A card's `data` comes back from the client, so it is input like any other. Ids that cannot name
anything (`question: 10**30` or `"abc"`, a list as a request id) become ids of nothing, so the
feature answers as for any unknown id; free text or flags of the wrong type (a list as a note,
`late: "maybe"`) are refused here with a clear answer. Handlers get the validated, coerced values
(still a dict, with only the keys that were sent). A verb registered in `bot/features/*.py` without a model here
is refused too (fail closed); `tests/unit/test_actions.py` checks every registered verb has one.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints, ValidationError

from bot.activity_model import validation_problem

# SQLite and PostgreSQL integers are 64-bit signed; a larger id cannot name a row.
MAX_ROW_ID = 2**63 - 1
MAX_KEY = 200


def _as_key(value: object) -> str:
    """An id as a text. Whatever does not look like one names nothing (""), so the feature answers
    "I can't find it" as for any unknown id (tests/faults/test_fault_card_authorization.py)."""
    if isinstance(value, str):
        return value if len(value) <= MAX_KEY else ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return ""


def _as_row_id(value: object) -> int:
    """A row id as an integer; anything that cannot be one (10**30, "abc", a list) is 0: no row."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip()[:20])
    else:
        return 0
    return number if 0 <= number <= MAX_ROW_ID else 0


# ids and names from the catalog or the store: coerced, never an error (an unknown id is answered)
Key = Annotated[str, BeforeValidator(_as_key)]
RowId = Annotated[int, BeforeValidator(_as_row_id)]
# what a person typed in a card input: must be a text (another type is a damaged card)
Words = Annotated[str, StringConstraints(max_length=4000)]


class ActionData(BaseModel):
    """Unknown keys are dropped (Teams and old cards add some); known ones must fit."""

    model_config = ConfigDict(extra="ignore")


class NoData(ActionData):
    pass


class Community(ActionData):
    cop: Key = ""


class Join(ActionData):
    cop: Key = ""
    role: Key = ""
    note: Words | None = None
    confirm_primary: bool = False


class Decision(ActionData):
    request_id: Key = ""
    purpose: Key = ""
    reason: Words | None = None


class Leave(ActionData):
    cop: Key = ""
    confirmed: bool = False
    new_primary: Key = ""


class Occurrence(ActionData):
    occurrence: Key = ""


class Ask(Occurrence):
    question: Words | None = None


class Follow(ActionData):
    cop: Key = ""
    series: Words | None = None  # the keys chosen, comma-separated (Input.ChoiceSet)


class Answered(Occurrence):
    question: RowId = 0
    late: bool = False


class FollowUp(Occurrence):
    recording: Words | None = None
    materials: Words | None = None
    summary: Words | None = None


class FeedbackGiven(Occurrence):
    rating: Key = ""  # "1".."5" from the choice set; anything else is answered "choose 1-5"
    comment: Words | None = None


# verb -> what its data may hold (the verbs' names live in cards/*.py and bot/features/*.py)
ACTIONS: dict[str, type[ActionData]] = {
    "list": NoData,
    "help": NoData,
    "details": Community,
    "admin.report": NoData,
    "admin.health": NoData,
    "join": Join,
    "membership.approve": Decision,
    "membership.reject": Decision,
    "membership.refresh": Decision,
    "membership.leave": Leave,
    "membership.make_primary": Community,
    "membership.cancel": NoData,
    "membership.mine": NoData,
    "meetings_ask": Ask,
    "meetings_answered": Answered,
    "meetings_skip": Occurrence,
    "meetings_restore": Occurrence,
    "meetings_followup_form": Occurrence,
    "meetings_followup": FollowUp,
    "meetings_feedback": FeedbackGiven,
    "meetings_follow": Follow,
}


class InvalidActionData(Exception):
    """A card action whose data does not fit its verb; `problem` names the field (for logs)."""

    def __init__(self, verb: str, problem: str):
        super().__init__(f"{verb}: {problem}")
        self.verb = verb
        self.problem = problem


def validated(verb: str, data: dict[str, Any]) -> dict[str, Any]:
    """The data of a `verb` click, checked and coerced; raises InvalidActionData."""
    model = ACTIONS.get(verb)
    if model is None:
        raise InvalidActionData(verb, "no data model for this verb (bot/actions.py)")
    try:
        return model.model_validate(data).model_dump(exclude_unset=True)
    except ValidationError as exc:
        raise InvalidActionData(verb, validation_problem(exc)) from None
