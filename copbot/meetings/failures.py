"""How a failed send is told: its reason (recorded on the post, logged) and, when the failure was
not one we expect, its traceback.

Expected: the post cannot go out as things are (`NotSendable`: no channel id, no focal point) or
the bot cannot reach the person or channel yet (`NoConversation`: never installed there, never
chatted). Anything else (a connector 5xx, a timeout, a bug) keeps its traceback in the log; the
send is retried or the stored state stays true (a question stays in the next digest), so it is a
warning, not an error.
"""

from __future__ import annotations

from typing import Any

from copbot.notifier import NoConversation

MAX_REASON = 200  # the width of `meeting_posts.reason`


class NotSendable(Exception):
    """The post cannot go out as things are (no channel, no focal point): a failure to retry."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def expected(exc: BaseException) -> bool:
    return isinstance(exc, NotSendable | NoConversation)


def reason_of(exc: BaseException) -> str:
    """'no_channel_id', 'no_conversation: the bot has not…', 'ErrorResponseException: Operation…'."""
    if isinstance(exc, NotSendable):
        return exc.reason[:MAX_REASON]
    name = "no_conversation" if isinstance(exc, NoConversation) else type(exc).__name__
    detail = " ".join(str(exc).split())
    return (f"{name}: {detail}" if detail else name)[:MAX_REASON]


def log_send_failure(log: Any, event: str, exc: BaseException, **fields: Any) -> str:
    """Log a failed send on the caller's logger (traceback unless expected); returns its reason."""
    reason = reason_of(exc)
    if expected(exc):
        log.warning(event, reason=reason, **fields)
    else:
        log.warning(event, reason=reason, exc_info=exc, **fields)
    return reason
