"""Bad requests to /api/messages get a 4xx with a reason; the server stays up."""

from __future__ import annotations

import json

import pytest
import structlog

from tests.conftest import RunningBot
from tests.support.bot_client import ALICE


async def assert_still_serving(bot: RunningBot) -> None:
    response = await bot.client.say("help")
    assert response.status == 201 and response.cards


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'{"text": "hi"}', "no 'type'"),
        (
            b'{"type": "teleport", "serviceUrl": "http://x/", "conversation": {"id": "c"}}',
            "unknown activity type",
        ),
        (b'{"type": "message", "conversation": {"id": "c"}}', "serviceUrl"),
        (
            b'{"type": "message", "serviceUrl": "file:///etc/passwd", "conversation": {"id": "c"}}',
            "serviceUrl",
        ),
        (b'{"type": "message", "serviceUrl": "http://x/"}', "conversation"),
        (
            b'{"type": "message", "serviceUrl": "http://x/", "conversation": {"id": "c"}, "from": "me"}',
            "'from'",
        ),
        (b"\xff\xfe\x00", "not valid JSON"),
    ],
)
async def test_malformed_body_is_a_400_with_the_reason(
    bot: RunningBot, body: bytes, reason: str
) -> None:
    response = await bot.client.post(body)
    assert response.status == 400
    assert reason in response.body["error"]["message"]
    await assert_still_serving(bot)


async def test_wrong_content_type_is_415(bot: RunningBot) -> None:
    response = await bot.client.post(
        json.dumps({"type": "message"}), **{"Content-Type": "text/plain"}
    )
    assert response.status == 415
    assert "application/json" in response.body["error"]["message"]


async def test_body_over_256_kb_is_413(bot: RunningBot) -> None:
    activity = bot.client.activity("message", ALICE, text="x" * (300 * 1024))
    response = await bot.client.post(json.dumps(activity))
    assert response.status == 413
    await assert_still_serving(bot)


async def test_unknown_card_action_is_a_400_invoke_not_a_500(bot: RunningBot) -> None:
    # Universal Actions carry their status in the body; the HTTP exchange itself succeeded.
    response = await bot.client.execute("self-destruct", {"x": 1})
    assert response.status == 200
    assert response.body["statusCode"] == 400
    assert response.body["type"] == "application/vnd.microsoft.error"


async def test_execute_of_a_known_verb_returns_the_card_to_show(bot: RunningBot) -> None:
    response = await bot.client.execute("details", {"cop": "CC"})
    assert response.status == 200
    assert response.body["type"] == "application/vnd.microsoft.card.adaptive"
    assert response.body["value"]["body"][0]["text"] == "Climate Change (CC)"


async def test_unknown_submit_verb_gets_a_polite_reply(bot: RunningBot) -> None:
    response = await bot.client.submit({"verb": "no-such-thing"})
    assert response.status == 201
    assert "didn't understand" in response.texts[0]


async def test_unknown_invoke_name_is_not_a_500(bot: RunningBot) -> None:
    activity = bot.client.activity("invoke", ALICE, name="composeExtension/unknown", value={})
    response = await bot.client.post(activity)
    assert 400 <= response.status < 500


@pytest.mark.parametrize(
    "data",
    [
        {"occurrence": "x", "question": 10**30},  # OverflowError in SQLite before
        {"occurrence": "x", "question": "abc", "late": True},  # ValueError before
        {"occurrence": ["x"], "question": 1},
    ],
)
async def test_card_ids_that_name_nothing_are_answered_not_a_crash(
    bot: RunningBot, data: dict
) -> None:
    with structlog.testing.capture_logs() as logs:
        executed = await bot.client.execute("meetings_answered", data)
        submitted = await bot.client.submit({"verb": "meetings_answered", **data})
    assert not [e for e in logs if e["event"] == "turn.error"]
    assert executed.status == 200 and executed.body["statusCode"] == 200
    assert submitted.status == 201


@pytest.mark.parametrize(
    ("verb", "data"),
    [
        ("meetings_answered", {"question": 1, "late": "maybe"}),
        ("join", {"cop": "UBS", "note": ["a", "list"]}),
        ("membership.reject", {"request_id": "r", "reason": {"no": 1}}),
    ],
)
async def test_card_data_of_the_wrong_type_gets_a_clear_answer(
    bot: RunningBot, verb: str, data: dict
) -> None:
    with structlog.testing.capture_logs() as logs:
        executed = await bot.client.execute(verb, data)
        submitted = await bot.client.submit({"verb": verb, **data})
    assert not [e for e in logs if e["event"] == "turn.error"]
    assert executed.status == 200 and executed.body["statusCode"] == 400
    assert "could not use that button" in executed.body["value"]["message"]
    assert submitted.status == 201 and "could not use that button" in submitted.texts[0]


async def test_card_data_refusal_speaks_the_persons_language(bot: RunningBot) -> None:
    response = await bot.client.execute("join", {"note": 5}, locale="fr-FR")
    assert "je n'ai pas pu utiliser ce bouton" in response.body["value"]["message"]


@pytest.mark.parametrize(
    ("channel_data", "field"),
    [
        ({"tenant": "not-an-object"}, "channelData.tenant"),
        ({"tenant": {"id": 5}}, "channelData.tenant.id"),
        ({"team": ["x"]}, "channelData.team"),
        ({"team": {"id": "19:t", "aadGroupId": {}}}, "channelData.team.aadGroupId"),
    ],
)
async def test_channel_data_of_the_wrong_shape_is_a_400_naming_the_field(
    bot: RunningBot, channel_data: dict, field: str
) -> None:
    activity = bot.client.activity("conversationUpdate", ALICE, membersAdded=[{"id": "28:copbot"}])
    activity["channelData"] = channel_data
    with structlog.testing.capture_logs() as logs:
        response = await bot.client.post(activity)
    assert response.status == 400
    assert f"'{field}'" in response.body["error"]["message"]
    assert not [e for e in logs if e["event"] == "turn.error"]
    await assert_still_serving(bot)
