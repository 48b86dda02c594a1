"""The route's reader builds the same SDK objects msrest does, and refuses what msrest refuses."""

from __future__ import annotations

import copy
from typing import Any

from botbuilder.schema import Activity
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.fast_deserializer import READER

ACCOUNT = {"id": "29:user", "name": "Ana", "aadObjectId": "00000000-0000-4000-8000-000000000001"}
MESSAGE: dict[str, Any] = {
    "type": "message",
    "id": "1690000000000",
    "timestamp": "2026-12-02T07:00:00.1234567Z",
    "localTimestamp": "2026-12-02T10:00:00.123+03:00",
    "localTimezone": "Africa/Nairobi",
    "serviceUrl": "https://smba.trafficmanager.net/emea/",
    "channelId": "msteams",
    "from": ACCOUNT,
    "recipient": {"id": "28:bot", "name": "CoP Bot"},
    "conversation": {
        "id": "a:1xyz",
        "conversationType": "personal",
        "tenantId": "tenant",
        "isGroup": False,
    },
    "textFormat": "plain",
    "locale": "fr-FR",
    "text": "<at>CoP Bot</at> quelle CoP me convient ?",
    "attachments": [{"contentType": "text/html", "content": "<p>hi</p>"}],
    "entities": [
        {"type": "clientInfo", "locale": "fr-FR", "country": "KE", "platform": "Web"},
        {"type": "mention", "text": "<at>CoP Bot</at>", "mentioned": {"id": "28:bot"}},
    ],
    "channelData": {"tenant": {"id": "tenant"}, "source": {"name": "message"}},
    "someFieldTeamsAddsLater": {"x": [1, 2]},
}
INVOKE = {
    **{k: MESSAGE[k] for k in ("serviceUrl", "channelId", "from", "recipient", "conversation")},
    "type": "invoke",
    "name": "adaptiveCard/action",
    "value": {"action": {"type": "Action.Execute", "verb": "membership.approve", "data": {}}},
}
UPDATE = {
    **{k: MESSAGE[k] for k in ("serviceUrl", "channelId", "recipient", "conversation")},
    "type": "conversationUpdate",
    "membersAdded": [ACCOUNT, {"id": "28:bot"}],
    "membersRemoved": [],
    "reactionsAdded": [{"type": "like"}],
    "suggestedActions": {"to": ["a"], "actions": [{"type": "imBack", "title": "t", "value": "v"}]},
    "relatesTo": {"activityId": "1", "conversation": {"id": "c"}, "bot": {"id": "28:bot"}},
    "textHighlights": [{"text": "t", "occurrence": 1}],
    "semanticAction": {"id": "s", "entities": {"e": {"type": "x"}}, "state": "start"},
}


def outcome(read: Any, data: Any) -> Any:
    try:
        return read(copy.deepcopy(data))
    except Exception as exc:
        return type(exc)


def same_as_msrest(data: Any) -> None:
    ours, stock = outcome(READER.activity, data), outcome(Activity().deserialize, data)
    assert ours == stock  # msrest models compare by their attributes, nested ones included
    if isinstance(stock, Activity):
        assert ours.serialize() == stock.serialize()
        assert getattr(ours, "additional_properties", None) == getattr(
            stock, "additional_properties", None
        )


def test_teams_activities_read_the_same() -> None:
    for data in (MESSAGE, INVOKE, UPDATE):
        same_as_msrest(data)
    activity = READER.activity(MESSAGE)
    assert activity.from_property.aad_object_id == ACCOUNT["aadObjectId"]
    assert activity.entities[1].additional_properties["mentioned"] == {"id": "28:bot"}
    assert activity.additional_properties == {"someFieldTeamsAddsLater": {"x": [1, 2]}}


def test_wrong_shapes_are_refused_or_kept_as_msrest_does() -> None:
    wrong: list[dict[str, Any]] = [
        {**MESSAGE, "from": "29:user"},
        {**MESSAGE, "from": ["29:user"]},
        {**MESSAGE, "entities": {"type": "mention"}},
        {**MESSAGE, "entities": ["mention"]},
        {**MESSAGE, "timestamp": "yesterday"},
        {**MESSAGE, "timestamp": 5},
        {**MESSAGE, "text": 5},
        {**MESSAGE, "text": {"a": 1}},
        {**MESSAGE, "conversation": {"id": 7, "isGroup": "maybe"}},
        {**UPDATE, "membersAdded": [None, 3]},
        {**UPDATE, "membersAdded": "everyone"},
    ]
    for data in wrong:
        same_as_msrest(data)


json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False),
    st.text(max_size=5),
    st.sampled_from(["2026-12-02T07:00:00Z", "message", "29:x"]),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["id", "name", "type", "text", "aadObjectId", "x", "role"]),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=8,
)
KEYS = [d["key"] for d in Activity._attribute_map.values()] + ["unknownKey"]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), json_value, max_size=8))
def test_any_json_object_reads_as_msrest_reads_it(fields: dict[str, Any]) -> None:
    same_as_msrest({**MESSAGE, **fields})
