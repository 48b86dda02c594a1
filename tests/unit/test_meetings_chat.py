"""What people type about meetings reaches the right handler, in English, French and Spanish, and
the words of the other features still reach theirs."""

from __future__ import annotations

import pytest

from bot.features import build_router
from bot.features.meetings.words import parse_when
from copbot.i18n import fold


@pytest.fixture(scope="module")
def router():
    return build_router()


@pytest.mark.parametrize(
    ("text", "command", "name"),
    [
        ("calendar", "meetings_calendar", None),
        ("Show me the calendar", "meetings_calendar", None),
        ("events", "meetings_calendar", None),
        ("upcoming meetings", "meetings_calendar", None),
        ("calendrier", "meetings_calendar", None),
        ("Événements", "meetings_calendar", None),
        ("calendario", "meetings_calendar", None),
        ("eventos", "meetings_calendar", None),
        ("my calendar", "meetings_mine", None),
        ("mon calendrier", "meetings_mine", None),
        ("mes événements", "meetings_mine", None),
        ("mi calendario", "meetings_mine", None),
        ("mis eventos", "meetings_mine", None),
        ("upcoming meetings of UBS", "meetings_upcoming", "ubs"),
        ("UBS meetings", "meetings_upcoming", "ubs"),
        ("next climate change events", "meetings_upcoming", "climate change"),
        ("réunions de la CoP climat", "meetings_upcoming", "cop climat"),
        ("próximas reuniones de UBS", "meetings_upcoming", "ubs"),
        ("skip the next UBS meeting", "meetings_skip", "ubs"),
        ("cancel next PLG meeting.", "meetings_skip", "plg"),
        ("annuler la prochaine réunion de UBS", "meetings_skip", "ubs"),
        ("cancelar la próxima reunión de UBS", "meetings_skip", "ubs"),
        ("move the next UBS meeting to 2026-12-15 14:00", "meetings_move", "ubs"),
        ("move the next UBS meeting", "meetings_move", "ubs"),
        ("déplacer la prochaine réunion UBS au 2026-12-15 14h00", "meetings_move", "ubs"),
        ("mover la próxima reunión de UBS al 2026-12-15 14:00", "meetings_move", "ubs"),
        ("add an event to UBS on 2026-12-03 15:00: Webinar", "meetings_add_event", "ubs"),
        ("ajouter un événement à UBS le 2026-12-03 15:00 : Webinaire", "meetings_add_event", "ubs"),
        ("agregar un evento a UBS el 2026-12-03 15:00: Seminario", "meetings_add_event", "ubs"),
    ],
)
def test_meeting_words_reach_the_meetings_commands(router, text: str, command: str, name) -> None:
    found = router.match(fold(text))
    assert found is not None, text
    matched, match = found
    assert matched.name == command
    if name is not None:
        assert match.group("name") == name


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("help", "help"),
        ("communities", "list"),
        ("tell me about UBS", "details"),
        ("hello", "greeting"),
    ],
)
def test_the_core_words_still_reach_the_core(router, text: str, command: str) -> None:
    assert router.match(fold(text))[0].name == command


def test_dates_people_type_for_a_move() -> None:
    from datetime import datetime

    assert parse_when("2026-12-15 14:00") == (datetime(2026, 12, 15, 14, 0), True)
    assert parse_when("2026-12-15 9h30") == (datetime(2026, 12, 15, 9, 30), True)
    assert parse_when("2026-12-15") == (datetime(2026, 12, 15), False)
    assert parse_when("2026-02-30 10:00") is None
    assert parse_when("next tuesday") is None
