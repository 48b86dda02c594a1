"""The card fast path sends exactly the JSON msrest would, and leaves the activity as it was."""

from __future__ import annotations

import copy

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import ChannelAccount, ConversationParameters
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials

from bot.fast_serializer import FastBodySerializer
from bot.sdk_patches import CardContent
from cards.communities import community_list_card
from copbot.catalog import load_catalog
from tests.conftest import ROOT


def activity_with(card: dict, *, fast: bool):
    content = CardContent(card) if fast else card
    activity = MessageFactory.attachment(CardFactory.adaptive_card(content))
    activity.text = "Les communautés"
    return activity


def test_the_body_is_the_same_json_and_the_activity_unchanged() -> None:
    card = community_list_card(load_catalog(ROOT / "catalog" / "communities.yaml"), "fr")
    client = ConnectorClient(MicrosoftAppCredentials("", ""), "http://teams/")
    stock, fast = client._serialize, FastBodySerializer(client._serialize.dependencies)
    plain, quick = activity_with(card, fast=False), activity_with(card, fast=True)
    assert fast.body(quick, "Activity") == stock.body(plain, "Activity")
    assert quick.attachments[0].content == card  # put back
    params = [
        ConversationParameters(is_group=True, bot=ChannelAccount(id="28:b"), activity=a)
        for a in (plain, quick)
    ]
    assert fast.body(params[1], "ConversationParameters") == stock.body(
        params[0], "ConversationParameters"
    )


def test_a_card_is_not_deep_copied_when_the_sdk_copies_an_activity() -> None:
    card = CardContent({"type": "AdaptiveCard", "body": [{"type": "TextBlock", "text": "x"}]})
    activity = MessageFactory.attachment(CardFactory.adaptive_card(card))
    assert copy.deepcopy(activity).attachments[0].content is card
