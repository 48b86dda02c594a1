"""Logs carry ids, not personal data: no message text, names or email addresses at info level."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
import structlog

import app as composition
from tests.conftest import RunningBot, make_settings
from tests.support.bot_client import User

SECRET_TEXT = "I work on piped water in Kibera with Zanzibar-Flamingo partners"
PERSON = User("e5e5e5e5-0000-4000-8000-000000000005", "Zelda Quintessa-Marlowe", "zelda.qm@un.org")


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    """The production logging configuration (JSON, INFO), written to a buffer."""
    buffer = io.StringIO()
    composition.configure_logging(
        make_settings(LOG_FORMAT="json", LOG_LEVEL="INFO"), buffer, cache=False
    )
    yield buffer
    structlog.reset_defaults()


def lines(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.startswith("{")]


async def test_a_conversation_logs_ids_and_no_personal_data(
    bot: RunningBot, json_logs: io.StringIO
) -> None:
    await bot.client.install(PERSON)
    await bot.client.say(SECRET_TEXT, PERSON)
    await bot.client.say("tell me about UBS", PERSON)
    await bot.client.submit(
        {"verb": "join", "cop": "UBS", "role": "primary", "note": "Zanzibar"}, PERSON
    )
    await bot.client.say("my communities", PERSON)
    await bot.client.say(f"leave UBS {PERSON.email}", PERSON)
    logged = lines(json_logs)
    assert len(logged) >= 6, "the flow logged (almost) nothing"
    dump = json.dumps(logged).lower()
    for secret in ("kibera", "zanzibar", "zelda", "quintessa", "marlowe", "@un.org"):
        assert secret not in dump, f"{secret!r} leaked into the logs"
    turns = [e for e in logged if e["event"].startswith("turn.")]
    assert turns and all(e.get("activity_id") and e.get("conversation_id") for e in turns)


async def test_a_crash_is_logged_with_its_type_and_any_email_masked(
    bot: RunningBot, json_logs: io.StringIO
) -> None:
    async def broken(turn, services):  # a bug in a handler that puts an address in its message
        raise RuntimeError(f"could not reach {PERSON.email}")

    router = bot.components.router
    router._commands = [
        type(c)(c.name, c.patterns, broken, c.priority) if c.name == "help" else c
        for c in router._commands
    ]
    response = await bot.client.say("help", PERSON)
    assert response.texts == [
        "Sorry, something went wrong on my side. Please try again in a moment."
    ]
    errors = [e for e in lines(json_logs) if e["event"] == "turn.error"]
    assert len(errors) == 1 and errors[0]["error"] == "RuntimeError"
    assert "could not reach <email>" in errors[0]["traceback"]
    assert PERSON.email not in json_logs.getvalue()
