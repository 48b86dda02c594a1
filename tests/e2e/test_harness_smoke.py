"""Proves the e2e harness against a minimal echo bot (no CoP Bot code involved).

The bot is a botbuilder CloudAdapter without app id on an aiohttp server on a free 127.0.0.1
port, in this test's event loop; the Playground (a separate node process) calls it through the
harness's activity proxy.
"""

from __future__ import annotations

import dataclasses
import json
import re
import time
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from aiohttp import web
from botbuilder.core import ActivityHandler, CardFactory, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import (
    Activity,
    AdaptiveCardInvokeResponse,
    AdaptiveCardInvokeValue,
    ChannelAccount,
    ConversationReference,
)

from tests.e2e.harness import PlaygroundPage, PlaygroundServer, serve_app
from tools.playground.playground_config import JEAN, KWAME, PlaygroundSetup

SUBMIT_CARD = {
    "type": "AdaptiveCard",
    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
    "version": "1.5",
    "body": [
        {"type": "TextBlock", "text": "Submit card: tell us your name"},
        {
            "type": "Input.Text",
            "id": "name",
            "label": "Your name",
            "placeholder": "Type your name",
        },
    ],
    "actions": [{"type": "Action.Submit", "title": "Send it", "data": {"kind": "submit"}}],
}

EXECUTE_CARD = {
    "type": "AdaptiveCard",
    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
    "version": "1.5",
    "body": [
        {"type": "TextBlock", "text": "Execute card: pick a colour"},
        {
            "type": "Input.ChoiceSet",
            "id": "colour",
            "label": "Colour",
            "choices": [{"title": "Red", "value": "red"}, {"title": "Blue", "value": "blue"}],
        },
    ],
    "actions": [
        {"type": "Action.Execute", "title": "Do it", "verb": "paint", "data": {"kind": "execute"}}
    ],
}

INPUTS_CARD = {
    "type": "AdaptiveCard",
    "version": "1.5",
    "body": [
        {"type": "TextBlock", "text": "Inputs card"},
        {
            "type": "Input.ChoiceSet",
            "id": "cop",
            "label": "Primary CoP",
            "style": "expanded",
            "choices": [
                {"title": "Urban Basic Services (UBS)", "value": "UBS"},
                {"title": "Climate Change (CC)", "value": "CC"},
            ],
        },
        {
            "type": "Input.ChoiceSet",
            "id": "extra",
            "label": "Also join",
            "isMultiSelect": True,
            "choices": [{"title": "SHRSI", "value": "SHRSI"}, {"title": "PLG", "value": "PLG"}],
        },
        {"type": "Input.Text", "id": "reason", "label": "Reason", "isMultiline": True},
        {"type": "Input.Toggle", "id": "notify", "title": "Notify me", "valueOn": "yes"},
        {"type": "Input.Number", "id": "n", "label": "How many"},
        {"type": "Input.Date", "id": "d", "label": "When"},
    ],
    "actions": [{"type": "Action.Submit", "title": "Save"}],
}


class _Config:
    APP_ID = ""
    APP_PASSWORD = ""
    APP_TYPE = "MultiTenant"
    APP_TENANTID = ""


class EchoBot(ActivityHandler):
    def __init__(self) -> None:
        self.received: list[Activity] = []
        self.references: dict[str, ConversationReference] = {}

    async def on_turn(self, turn_context: TurnContext) -> None:
        a = turn_context.activity
        self.received.append(a)
        self.references[a.conversation.id] = TurnContext.get_conversation_reference(a)
        await super().on_turn(turn_context)

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        me = turn_context.activity.recipient.id
        if any(m.id == me for m in members_added):
            await turn_context.send_activity("Welcome from the echo bot")

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        a = turn_context.activity
        if a.value is not None:  # Action.Submit
            await turn_context.send_activity(f"submitted: {json.dumps(a.value, sort_keys=True)}")
            return
        text = TurnContext.remove_recipient_mention(a) if a.entities else a.text
        text = (text or "").strip()
        if text == "inputs":
            await turn_context.send_activity(
                MessageFactory.attachment(CardFactory.adaptive_card(INPUTS_CARD))
            )
            return
        if text == "cards":
            await turn_context.send_activity(
                MessageFactory.attachment(CardFactory.adaptive_card(SUBMIT_CARD))
            )
            await turn_context.send_activity(
                MessageFactory.attachment(CardFactory.adaptive_card(EXECUTE_CARD))
            )
            return
        await turn_context.send_activity(f"echo: {text} [locale={a.locale}]")

    async def on_adaptive_card_invoke(
        self, turn_context: TurnContext, invoke_value: AdaptiveCardInvokeValue
    ) -> AdaptiveCardInvokeResponse:
        action = invoke_value.action  # a dict here: {"type", "title", "verb", "data"}
        card = {
            "type": "AdaptiveCard",
            "version": "1.5",
            "body": [
                {
                    "type": "TextBlock",
                    "text": f"Executed {action['verb']} with {action['data'].get('colour')}",
                }
            ],
        }
        return AdaptiveCardInvokeResponse(
            status_code=200, type="application/vnd.microsoft.card.adaptive", value=card
        )


@dataclasses.dataclass
class RunningBot:
    url: str
    bot: EchoBot
    adapter: CloudAdapter

    def received(self, type: str | None = None) -> list[Activity]:
        return [a for a in self.bot.received if type is None or a.type == type]

    async def send_proactive(self, conversation_id: str, text: str) -> None:
        async def callback(turn_context: TurnContext) -> None:
            await turn_context.send_activity(text)

        reference = self.bot.references[conversation_id]
        await self.adapter.continue_conversation(reference, callback, bot_app_id="")


@pytest_asyncio.fixture
async def echo_bot() -> AsyncIterator[RunningBot]:
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(_Config()))
    bot = EchoBot()

    async def messages(request: web.Request) -> web.Response:
        # Own the route instead of adapter.process(): ActivityHandler serializes the value of
        # on_adaptive_card_invoke into a dict and process() then serializes that dict again
        # (HTTP 500 "'dict' object has no attribute 'is_xml_model'"), even for a model.
        activity = Activity().deserialize(await request.json())
        auth = request.headers.get("Authorization", "")
        response = await adapter.process_activity(auth, activity, bot.on_turn)
        if response is None:
            return web.Response(status=201)
        return web.json_response(response.body, status=response.status)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    async with serve_app(app) as base_url:
        yield RunningBot(url=f"{base_url}/api/messages", bot=bot, adapter=adapter)


async def test_chat_opens_message_reaches_bot_and_echo_shows(
    echo_bot: RunningBot, playground: PlaygroundServer, chat: PlaygroundPage
) -> None:
    t0 = time.monotonic()
    playground.connect(echo_bot.url)
    await chat.open_personal_chat()

    # Opening the chat installs the bot: installationUpdate(add) + conversationUpdate.
    types = [a.type for a in echo_bot.received()]
    assert "installationUpdate" in types and "conversationUpdate" in types
    await chat.wait_for_bot_message("Welcome from the echo bot", fresh=False)

    await chat.send_message("hello there")
    text = await chat.wait_for_bot_message("echo: hello there")
    print(f"\nchat open + first echo: {time.monotonic() - t0:.2f}s")
    assert text == "echo: hello there [locale=en-US]"

    message = echo_bot.received("message")[-1]
    assert message.text == "hello there"
    assert message.from_property.aad_object_id == playground.setup.me().aad_object_id
    assert message.conversation.id == playground.personal_chat_id
    assert message.service_url == f"http://localhost:{playground.port}/_connector"

    last = await chat.messages(last=2)
    assert [m.author for m in last] == [None, "CoP Bot"]
    assert last[0].text == "hello there"


async def test_card_buttons_submit_and_execute_reach_the_bot(
    echo_bot: RunningBot, playground: PlaygroundServer, chat: PlaygroundPage
) -> None:
    playground.connect(echo_bot.url)
    await chat.open_personal_chat()
    await chat.send_message("cards")
    await chat.wait_for_card("Submit card")
    await chat.wait_for_card("Execute card")

    # Action.Submit: a message activity with `value` (inputs merged into data), no text.
    await chat.fill_card_input("Your name", "Amina", card_contains="Submit card")
    await chat.click_card_button("Send it")
    shown = await chat.wait_for_bot_message("submitted:")
    assert shown == 'submitted: {"kind": "submit", "name": "Amina"}'
    submit = echo_bot.received("message")[-1]
    assert submit.value == {"kind": "submit", "name": "Amina"}
    assert not submit.text

    # Action.Execute: invoke adaptiveCard/action; the card returned replaces the card shown.
    await chat.select_card_choice("Colour", "Blue", card_contains="Execute card")
    await chat.click_card_button("Do it", card_contains="Execute card")
    await chat.wait_for_card("Executed paint with blue")
    invoke = echo_bot.received("invoke")[-1]
    assert invoke.name == "adaptiveCard/action"
    assert invoke.value["action"]["verb"] == "paint"
    assert invoke.value["action"]["data"] == {"kind": "execute", "colour": "blue"}


async def test_card_inputs_of_every_kind(
    echo_bot: RunningBot, playground: PlaygroundServer, chat: PlaygroundPage
) -> None:
    playground.connect(echo_bot.url)
    await chat.open_personal_chat()
    await chat.send_message("inputs")
    await chat.wait_for_card("Inputs card")
    await chat.select_card_choice("Primary CoP", "Climate Change (CC)")  # expanded: radios
    await chat.select_card_choice("Also join", "PLG")  # multi-select combobox
    await chat.select_card_choice("Also join", "SHRSI")
    await chat.fill_card_input("Reason", "line one")  # textarea
    await chat.select_card_choice("Notify me", "Notify me")  # Input.Toggle
    await chat.fill_card_input("How many", "3")  # spinbutton
    await chat.fill_card_input("When", "2026-12-01")  # date picker accepts typed ISO dates
    await chat.click_card_button("Save")
    await chat.wait_for_bot_message("submitted:")
    assert echo_bot.received("message")[-1].value == {
        "cop": "CC",
        "extra": "PLG,SHRSI",
        "reason": "line one",
        "notify": "yes",
        "n": "3",
        "d": "2026-12-01",
    }


async def test_proactive_message_shows_on_the_page(
    echo_bot: RunningBot, playground: PlaygroundServer, chat: PlaygroundPage
) -> None:
    playground.connect(echo_bot.url)
    await chat.open_personal_chat()
    await chat.mark()
    # The reference stored from the installation events is enough to continue the chat.
    await echo_bot.send_proactive(playground.personal_chat_id, "Proactive reminder 42")
    assert await chat.wait_for_bot_message("Proactive reminder 42") == "Proactive reminder 42"
    created = [e for e in playground.ui_events if e.get("action") == "createMessage"]
    assert created[-1]["message"]["text"] == "Proactive reminder 42"


@pytest.mark.parametrize("locale", ["en-US", "fr-FR", "es-ES"])
async def test_activity_locale_is_the_configured_one(
    locale: str,
    echo_bot: RunningBot,
    make_playground,
    new_chat,
) -> None:
    pg = make_playground(PlaygroundSetup(locale=locale))
    pg.connect(echo_bot.url)
    page = await new_chat(pg)
    await page.open_personal_chat()
    await page.send_message("bonjour")
    assert await page.wait_for_bot_message(f"[locale={locale}]") == (
        f"echo: bonjour [locale={locale}]"
    )
    assert {a.locale for a in echo_bot.received("message")} == {locale}
    assert {a.locale for a in echo_bot.received("installationUpdate")} == {locale}
    entities = [e for e in echo_bot.received("message")[-1].entities if e.type == "clientInfo"]
    assert entities and entities[0].additional_properties.get("locale") == locale


async def test_channel_post_with_mention_reaches_bot_and_reply_shows(
    echo_bot: RunningBot, playground: PlaygroundServer, chat: PlaygroundPage
) -> None:
    playground.connect(echo_bot.url)
    await chat.open_channel("General")
    install = echo_bot.received("conversationUpdate")[-1]
    assert install.channel_data["team"]["aadGroupId"] == playground.setup.team.aad_group_id

    await chat.post_in_channel("hello channel")
    reply = await chat.wait_for_bot_message("echo: hello channel")
    assert reply == "echo: hello channel [locale=en-US]"
    # As sent on the wire (the bot's remove_recipient_mention() edits its own copy).
    post = playground.received("message")[-1]
    assert post["conversation"]["id"].startswith(playground.team_id + ";messageid=")
    assert post["text"] == "<at>CoP Bot</at> hello channel"
    mention = post["entities"][0]
    assert mention["type"] == "mention"
    assert mention["mentioned"]["id"] == playground.setup.bot.id

    await chat.reply_in_thread("hello channel", "and a reply")
    assert await chat.wait_for_bot_message("echo: and a reply")

    await chat.open_channel("Climate Change")
    await chat.post_in_channel("climate post")
    await chat.wait_for_bot_message("echo: climate post")
    climate = echo_bot.received("message")[-1]
    assert climate.channel_data["channel"]["id"] == playground.channel_id("Climate Change")


async def test_group_chat_needs_a_mention(
    echo_bot: RunningBot, playground: PlaygroundServer, chat: PlaygroundPage
) -> None:
    playground.connect(echo_bot.url)
    await chat.open_group_chat()
    await chat.send_message("no mention here")
    await chat.send_message("with mention", mention=True)
    assert await chat.wait_for_bot_message("echo: with mention")
    texts = [a["text"] for a in playground.received("message")]
    assert texts == ["<at>CoP Bot</at> with mention"]  # the first one never reached the bot
    assert playground.received("message")[0]["conversation"]["id"] == playground.group_chat_id


async def test_another_current_user_and_injected_events(
    echo_bot: RunningBot, make_playground, new_chat
) -> None:
    pg = make_playground(PlaygroundSetup(current_user=KWAME.email))
    pg.connect(echo_bot.url)
    page = await new_chat(pg)
    await page.open_personal_chat()
    await page.send_message("who am I")
    await page.wait_for_bot_message("echo: who am I")
    message = echo_bot.received("message")[-1]
    assert message.from_property.aad_object_id == KWAME.aad_object_id
    assert message.from_property.name == KWAME.name
    assert message.conversation.id == pg.personal_chat_id != PlaygroundSetup().personal_chat()

    # A custom activity goes to the bot as given; its own locale is kept.
    sent = await pg.inject_event("userAdded", locale="es-ES")
    added = echo_bot.received("conversationUpdate")[-1]
    assert added.id == sent["id"]
    assert added.members_added[0].aad_object_id == KWAME.aad_object_id
    assert added.locale == "es-ES"

    # What the UI does when a conversation is first shown, on demand (here: the team).
    await pg.trigger_installation(pg.team_id)
    installed = await pg.wait_for_received(
        lambda a: a["type"] == "installationUpdate" and a["conversation"]["id"] == pg.team_id
    )
    assert installed["channelData"]["team"]["name"] == "Urban Basic Services CoP"

    # A message from someone else than the current user, in the group chat.
    await pg.inject_message(
        "hello from Jean", user=JEAN, conversation_id=pg.group_chat_id, mention_bot=True
    )
    from_jean = echo_bot.received("message")[-1]
    assert from_jean.from_property.aad_object_id == JEAN.aad_object_id
    assert from_jean.conversation.id == pg.group_chat_id
    assert TurnContext.remove_recipient_mention(from_jean).strip() == "hello from Jean"


def test_playground_config_matches_schema_limits() -> None:
    with pytest.raises(ValueError, match="exactly 5 users"):
        dataclasses.replace(PlaygroundSetup(), people=PlaygroundSetup().people[:5]).to_dict()
    config = PlaygroundSetup(current_user=KWAME.aad_object_id).to_dict()
    assert config["currentUser"]["email"] == KWAME.email
    assert len(config["users"]) == 5
    assert [c["name"] for c in config["team"]["channels"]] == ["Climate Change"]
    assert re.fullmatch(r"[0-9a-f-]{36}", config["team"]["aadGroupId"])
