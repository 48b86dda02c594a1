"""A msrest Serializer that does not walk Adaptive Card content node by node.

Outgoing activities are serialised by msrest against the Bot Framework schema; an attachment's
`content` is typed `object`, which msrest walks recursively (half a turn's CPU for a card). Card
content (bot.sdk_patches.CardContent) is already plain JSON: it is set aside while msrest
serialises the rest, then put back as it is.
"""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity, ConversationParameters
from msrest import Serializer

from bot.sdk_patches import CardContent
from bot.sdk_versions import require

require(__name__, "msrest", "botframework-connector", "botbuilder-schema")


def _attachments(data: Any) -> list[Any]:
    if isinstance(data, Activity):
        return list(data.attachments or [])
    if isinstance(data, ConversationParameters) and isinstance(data.activity, Activity):
        return list(data.activity.attachments or [])
    return []


def _serialized_attachments(body: dict[str, Any]) -> list[dict[str, Any]]:
    if "attachments" in body:
        return body["attachments"]
    return (body.get("activity") or {}).get("attachments") or []


class FastBodySerializer(Serializer):
    def body(self, data: Any, data_type: str, **kwargs: Any) -> Any:
        held = [(a, a.content) for a in _attachments(data) if isinstance(a.content, CardContent)]
        if not held:
            return super().body(data, data_type, **kwargs)
        try:
            for attachment, _ in held:
                attachment.content = None
            body = super().body(data, data_type, **kwargs)
        finally:
            for attachment, content in held:
                attachment.content = content
        by_identity = {id(a): content for a, content in held}
        originals = _attachments(data)
        for serialized, original in zip(_serialized_attachments(body), originals, strict=False):
            if id(original) in by_identity:
                serialized["content"] = by_identity[id(original)]
        return body


def use_fast_serializer(client: Any) -> None:
    """Give a ConnectorClient's conversation operations the fast serializer."""
    fast = FastBodySerializer(client._serialize.dependencies)
    client._serialize = fast
    client.conversations._serialize = fast
