"""The shape of an inbound activity: every field CoP Bot or the SDK reads, as a typed model.

`route.parse_activity` validates each body against `InboundActivity` before the SDK sees it: a
field of the wrong type is a 400 that names it, never an exception deep inside a turn (msrest's
DeserializationError in the Teams handler, a `None.get` in a feature). Unknown fields are allowed
(Teams adds some); known ones must have the types of the Bot Framework schema
(https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#activity-object)
and of Teams' channelData
(https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/conversation-basics#teams-channel-data).
"""

from __future__ import annotations

from typing import Any

from botbuilder.schema import ActivityTypes
from pydantic import BaseModel, ConfigDict, Field, ValidationError

KNOWN_TYPES = frozenset(t.value for t in ActivityTypes)
MAX_ID = 1024  # ids, names and URLs of the channel: generous, but bounded


class _Model(BaseModel):
    # strict: no "5" for 5 or 5 for "5" (msrest would choke on some of those later)
    model_config = ConfigDict(extra="allow", strict=True, populate_by_name=True)


Text = str  # a free text (message text, names): bounded by the body limit only


def _id() -> Any:
    return Field(default=None, max_length=MAX_ID)


class Account(_Model):
    id: str | None = _id()
    name: Text | None = None
    aadObjectId: str | None = _id()
    role: str | None = _id()
    properties: dict[str, Any] | None = None


class Conversation(_Model):
    id: str = Field(max_length=MAX_ID)
    conversationType: str | None = _id()
    isGroup: bool | None = None
    name: Text | None = None
    tenantId: str | None = _id()
    aadObjectId: str | None = _id()
    role: str | None = _id()
    properties: dict[str, Any] | None = None


class TenantInfo(_Model):
    id: str | None = _id()


class TeamInfo(_Model):
    id: str | None = _id()
    name: Text | None = None
    aadGroupId: str | None = _id()


class ChannelInfo(_Model):
    id: str | None = _id()
    name: Text | None = None
    type: str | None = _id()


class NotificationInfo(_Model):
    alert: bool | None = None
    alertInMeeting: bool | None = None
    externalResourceUrl: str | None = None


class MeetingInfo(_Model):
    id: str | None = _id()


class ChannelDataSettings(_Model):
    selectedChannel: ChannelInfo | None = None


class OnBehalfOf(_Model):
    itemid: int | None = None
    mentionType: str | None = _id()
    mri: str | None = _id()
    displayName: Text | None = None


class TeamsChannelData(_Model):
    channel: ChannelInfo | None = None
    eventType: str | None = _id()
    team: TeamInfo | None = None
    notification: NotificationInfo | None = None
    tenant: TenantInfo | None = None
    meeting: MeetingInfo | None = None
    settings: ChannelDataSettings | None = None
    onBehalfOf: list[OnBehalfOf] | None = None


class Attachment(_Model):
    contentType: str | None = _id()
    contentUrl: str | None = None
    content: Any = None
    name: Text | None = None
    thumbnailUrl: str | None = None


class Entity(_Model):
    type: str | None = _id()


class InboundActivity(_Model):
    type: str
    id: str | None = _id()
    serviceUrl: str
    channelId: str | None = _id()
    from_: Account | None = Field(default=None, alias="from")
    recipient: Account | None = None
    conversation: Conversation
    locale: str | None = _id()
    text: Text | None = None
    textFormat: str | None = _id()
    name: str | None = _id()
    action: str | None = _id()
    replyToId: str | None = _id()
    timestamp: str | None = _id()
    localTimestamp: str | None = _id()
    value: Any = None
    membersAdded: list[Account] | None = None
    membersRemoved: list[Account] | None = None
    attachments: list[Attachment] | None = None
    entities: list[Entity] | None = None
    channelData: TeamsChannelData | None = None

    @property
    def tenant_id(self) -> str | None:
        """The tenant Teams says the activity comes from (channelData first, as Teams sends it)."""
        tenant = self.channelData.tenant if self.channelData else None
        return (tenant.id if tenant else None) or self.conversation.tenantId


def validation_problem(error: ValidationError) -> str:
    """The first problem of a validation error, as a sentence naming the field."""
    first = error.errors(include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "the activity"
    return f"'{where}': {first['msg'][:120]}"


def validate(data: dict[str, Any]) -> InboundActivity | str:
    """The typed activity, or the sentence saying which field is wrong."""
    try:
        return InboundActivity.model_validate(data)
    except ValidationError as exc:
        return validation_problem(exc)
