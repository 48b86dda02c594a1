"""What each card action may carry: one typed model per verb, checked before any handler runs.

A card's `data` comes back from the client, so it is input like any other: a forged or damaged
click (`question: 10**30`, `late: true` with `question: "abc"`, a list where a text belongs) is
refused here with a clear answer, and handlers get the validated, coerced values (still a dict,
with only the keys that were sent). A verb registered in `bot/features/*.py` without a model here
is refused too (fail closed); `tests/unit/test_actions.py` checks every registered verb has one.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from bot.activity_model import validation_problem

# SQLite and PostgreSQL integers are 64-bit signed; a larger id cannot name a row.
MAX_ROW_ID = 2**63 - 1
Key = Annotated[str, StringConstraints(max_length=200)]  # ids and names from the catalog/store
Words = Annotated[str, StringConstraints(max_length=4000)]  # what a person typed in a card input


class ActionData(BaseModel):
    """Unknown keys are dropped (Teams and old cards add some); known ones must fit."""

    model_config = ConfigDict(extra="ignore")


class NoData(ActionData):
    pass


class Community(ActionData):
    cop: Key = ""


class Join(ActionData):
    cop: Key = ""
    role: Key | None = None
    note: Words | None = None
    confirm_primary: bool = False


class Decision(ActionData):
    request_id: Key = ""
    purpose: Key | None = None
    reason: Words | None = None


class Leave(ActionData):
    cop: Key = ""
    confirmed: bool = False
    new_primary: Key | None = None


class Occurrence(ActionData):
    occurrence: Key = ""


class Ask(Occurrence):
    question: Words | None = None


class Answered(Occurrence):
    question: int = Field(0, ge=0, le=MAX_ROW_ID)
    late: bool = False


# verb -> what its data may hold (the verbs' names live in cards/*.py and bot/features/*.py)
ACTIONS: dict[str, type[ActionData]] = {
    "list": NoData,
    "help": NoData,
    "details": Community,
    "admin.report": NoData,
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
