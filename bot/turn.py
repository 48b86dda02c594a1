"""A Teams turn seen as plain values, with the ways to answer it.

Handlers get a `Turn`, never a TurnContext: who is talking (taken from the authenticated activity,
never from card data), in which language, what they said or clicked, and `reply`/`send_card`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount

from bot.sdk_patches import CardContent
from copbot.i18n import Lang, fold, lang_from_locale, t

MAX_TEXT = 2000  # characters we read of a message; longer ones get a polite refusal
_MENTION_RE = re.compile(r"<at>[^<]*</at>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]{0,200}>")
_ASCII_CONTROL_RE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
_SPACES_RE = re.compile(r"\s+")


def clean_text(raw: str | None) -> str:
    """The words a person typed: @mentions, markup and control characters removed."""
    if not raw:
        return ""
    text = _MENTION_RE.sub(" ", raw)
    text = _TAG_RE.sub(" ", text)
    if text.isascii():  # the common case: only ASCII control characters to drop
        text = _ASCII_CONTROL_RE.sub(" ", text)
    else:
        text = "".join(
            " " if unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"} and c != "\n" else c
            for c in text
        )
    return _SPACES_RE.sub(" ", text).strip()


@dataclass
class Turn:
    context: TurnContext
    user_id: str  # the sender's Entra object id (`from.aadObjectId`); "" when Teams gave none
    user_name: str
    lang: Lang
    text: str  # cleaned
    value: dict[str, Any] = field(default_factory=dict)  # card data (Action.Submit / Execute)
    conversation_type: str = "personal"  # personal | channel | groupChat
    match: re.Match[str] | None = None  # set by the router for text commands

    @classmethod
    def of(cls, context: TurnContext) -> Turn:
        activity = context.activity
        sender = activity.from_property
        value = activity.value if isinstance(activity.value, dict) else {}
        conversation = activity.conversation
        return cls(
            context=context,
            user_id=person_id_of(sender),
            user_name=(sender.name if sender and sender.name else "") or "",
            lang=lang_from_locale(activity.locale),
            text=clean_text(activity.text)[: MAX_TEXT + 1],
            value=value,
            conversation_type=(conversation.conversation_type if conversation else None)
            or "personal",
        )

    @property
    def folded(self) -> str:
        return fold(self.text)

    @property
    def activity(self) -> Activity:
        return self.context.activity

    @property
    def is_personal(self) -> bool:
        return self.conversation_type == "personal"

    @property
    def first_name(self) -> str:
        return self.user_name.split(" ", 1)[0] if self.user_name else ""

    def original(self, group: str) -> str:
        """The words of a matched group as the person typed them (matching runs on folded text)."""
        folded = self.match.group(group) if self.match else None
        if not folded:
            return ""
        words = self.text.split(" ")
        for start in range(len(words)):
            candidate = " ".join(words[start:])
            if fold(candidate).strip(" .!?") == folded.strip(" .!?"):
                return candidate.strip(" .!?")
        return folded

    def t(self, key: str, **values: object) -> str:
        return t(self.lang, key, **values)

    async def reply(self, text: str) -> str | None:
        response = await self.context.send_activity(MessageFactory.text(text))
        return response.id if response else None

    async def send_card(self, card: dict[str, Any], *, summary: str | None = None) -> str | None:
        activity = MessageFactory.attachment(CardFactory.adaptive_card(CardContent(card)))
        if summary:
            activity.summary = summary
        response = await self.context.send_activity(activity)
        return response.id if response else None

    async def typing(self) -> None:
        await self.context.send_activity(Activity(type=ActivityTypes.typing))


_GUID_RE = re.compile(r"[0-9a-fA-F-]{36}")


def person_id_of(sender: ChannelAccount | None) -> str:
    """Who is talking: the sender's Entra object id (lower case), from `from.aadObjectId` only.

    Never `from.id`: that is the channel's own user id, and a client of another channel may choose
    it (set it to a focal point's object id, say). The route lets only authenticated Teams
    activities through in production; without an object id there is no person ("")."""
    if sender is None:
        return ""
    person_id = getattr(sender, "aad_object_id", None) or ""
    return person_id.lower() if _GUID_RE.fullmatch(person_id) else ""
