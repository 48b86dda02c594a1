"""How the Bot Connector service (Teams) refuses a bot's call: status, error code, message, body.

Each refusal is the answer Microsoft documents (or, for the Playground, the answer its code sends),
with the page it comes from. `FakeConnector.refuse(...)` answers with one of them.

Pages:
- STATUS_CODES: "Status codes from bot conversational APIs"
  https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
  (older copy: .../bots/how-to/conversations/conversation-messages#status-codes-from-bot-conversational-apis)
- PROACTIVE: "Understand who blocked, muted, or uninstalled a bot" (the 403 MessageWritesBlocked body)
  https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages#understand-who-blocked-muted-or-uninstalled-a-bot
- RATE_LIMIT: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
- MESSAGE_SIZE: "The bot message size limit is 100 KB ... the bot receives a 413 status code
  (RequestEntityTooLarge), which contains the error code MessageSizeTooBig"
  https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages
- A 1:1 create for someone who never installed the app: 403 "The bot is not part of the
  conversation roster." as Company Communicator's users see it
  (https://github.com/OfficeDev/microsoft-teams-apps-company-communicator/issues/744) and as
  https://github.com/MicrosoftDocs/bot-docs/issues/1527 shows it for a channel without the bot.
- PLAYGROUND: Microsoft 365 Agents Playground 0.2.28 (tools/playground): `setErrorResponse` sends
  `{"error": {"code", "message"}}`; an unknown user (`UserNotFoundError`, not an `ApiError`)
  becomes HTTP 500 `UserNotFound` "User not found", after `createConversation` answered 201.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

STATUS_CODES = (
    "https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability"
    "#status-codes-from-bot-conversational-apis"
)
PROACTIVE = (
    "https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/"
    "send-proactive-messages#understand-who-blocked-muted-or-uninstalled-a-bot"
)
RATE_LIMIT = "https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit"
MESSAGE_SIZE = (
    "https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages"
)
COMPANY_COMMUNICATOR_744 = (
    "https://github.com/OfficeDev/microsoft-teams-apps-company-communicator/issues/744"
)
PLAYGROUND = "tools/playground (m365agentsplayground 0.2.28, dist/index.js setErrorResponse)"


@dataclass(frozen=True, slots=True)
class Refusal:
    """One way Teams says no. `body` replaces the usual `{"error": {code, message}}` when Teams
    answers in another shape; `code` None with no body = an empty answer (503, 504)."""

    status: int
    code: str | None
    message: str = ""
    doc: str = STATUS_CODES
    retry_after: float | None = None  # seconds, sent as an integer Retry-After header
    body: dict[str, Any] | None = None

    def with_retry_after(self, seconds: float | None) -> Refusal:
        return replace(self, retry_after=seconds)

    def json_body(self) -> dict[str, Any] | None:
        if self.body is not None:
            return self.body
        if self.code is None:
            return None
        return {"error": {"code": self.code, "message": self.message}}


# 403: the bot may not write here (STATUS_CODES table; none of them is retried).
NOT_IN_ROSTER = Refusal(
    403,
    "BotNotInConversationRoster",
    "The bot is not part of the conversation roster.",
)
BLOCKED_BY_USER = Refusal(
    403, "ConversationBlockedByUser", "User blocked the conversation with the bot."
)
NOT_INSTALLED = Refusal(
    403, "ForbiddenOperationException", "Bot is not installed in user's personal scope"
)
DISABLED_BY_ADMIN = Refusal(403, "BotDisabledByAdmin", "The tenant admin disabled this bot")
# Blocked or uninstalled after having been installed: Teams' own example answer (PROACTIVE),
# which is not the usual error shape.
WRITES_BLOCKED = Refusal(
    403,
    "MessageWritesBlocked",
    "Thread is blocked from message writes.",
    doc=PROACTIVE,
    body={
        "errorCode": 209,
        "message": json.dumps(
            {
                "subCode": "MessageWritesBlocked",
                "details": "Thread is blocked from message writes.",
                "errorCode": None,
                "errorSubCode": None,
            },
            indent=2,
        ).replace("\n", "\r\n"),
    },
)

# 404: gone.
CONVERSATION_NOT_FOUND = Refusal(404, "ConversationNotFound", "Conversation not found.")
ACTIVITY_NOT_FOUND = Refusal(404, "ActivityNotFoundInConversation", "Conversation not found.")

# Retried with backoff (STATUS_CODES "Status codes retry guidance": 412, 429, 502, 503, 504).
PRECONDITION_FAILED = Refusal(412, "PreconditionFailed", "Precondition failed, please try again.")
THROTTLED = Refusal(429, "Throttled", "Too many requests.", doc=RATE_LIMIT, retry_after=1)
BAD_GATEWAY = Refusal(502, "ServiceError", "Service dependency issue.")
SERVICE_UNAVAILABLE = Refusal(503, None)
GATEWAY_TIMEOUT = Refusal(504, None)

# Not retried.
MESSAGE_TOO_BIG = Refusal(413, "MessageSizeTooBig", "Message size too large.", doc=MESSAGE_SIZE)
SERVICE_ERROR = Refusal(500, "ServiceError", "Internal server error.")
USER_NOT_FOUND = Refusal(500, "UserNotFound", "User not found", doc=PLAYGROUND)

#: Teams' documented bot message limit ("approximate ... encoded as UTF-16", MESSAGE_SIZE).
MAX_MESSAGE_BYTES = 100 * 1024
