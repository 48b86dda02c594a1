"""One send, its true outcome: recorded in the ledger, and told to the outbox.

`attempt(ledger, message, send)` runs a send through the Notifier port and:
- records `delivered` only when Teams returned the activity id (a 201 without one is retried:
  the card could not be updated later, and nobody could tell it arrived);
- records `retrying` and raises the outbox's `Retry` (after Teams' Retry-After when it gave one)
  when Teams throttled or failed for a while, or the send raised something unexpected;
- records `undeliverable` with Teams' reason and raises `PermanentFailure` when Teams refused
  for good.
`gave_up(...)`, from an outbox `on_failed` hook, marks the message undeliverable when the outbox
ran out of attempts (a refusal for good is recorded already).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from copbot.delivery.ledger import UNDELIVERABLE, DeliveryLedger, Message
from copbot.notifier import DeliveryDeferred, Notifier, SentMessage, Undeliverable
from copbot.work.outbox import PermanentFailure, Retry

T = TypeVar("T")
CHANNEL_PREFIX = "channel:"  # a Message's recipient that is a channel: "channel:<channel id>"
NO_ACTIVITY_ID = "Teams answered without an activity id: not counted as delivered"


async def attempt(
    ledger: DeliveryLedger, message: Message, what: str, send: Callable[[], Awaitable[SentMessage]]
) -> SentMessage:
    """A new message: delivered only with Teams' activity id."""
    try:
        sent = await send()
    except Undeliverable as exc:
        await ledger.undeliverable(message, exc.reason)
        raise PermanentFailure(f"{what}: {exc.reason}") from exc
    except DeliveryDeferred as exc:
        await ledger.retrying(message, exc.reason)
        raise Retry(f"{what}: {exc.reason}", after=exc.retry_after) from exc
    except Exception as exc:  # a bug or an unexpected outage: the outbox retries it
        await ledger.retrying(message, f"{type(exc).__name__}: {exc}"[:300])
        raise
    if not sent.activity_id:
        await ledger.retrying(message, NO_ACTIVITY_ID)
        raise Retry(f"{what}: {NO_ACTIVITY_ID}")
    await ledger.delivered(message, sent.activity_id)
    return sent


async def deliver(
    ledger: DeliveryLedger,
    notifier: Notifier,
    message: Message,
    what: str,
    *,
    text: str | None = None,
    card: dict[str, Any] | None = None,
) -> SentMessage:
    """`attempt` for the usual send: to the message's recipient, a person (object id) or a
    channel (`channel:<id>`)."""
    recipient = message.recipient

    async def send() -> SentMessage:
        if recipient.startswith(CHANNEL_PREFIX):
            channel_id = recipient.removeprefix(CHANNEL_PREFIX)
            return await notifier.send_to_channel(channel_id, text=text, card=card)
        return await notifier.send_to_person(recipient, text=text, card=card)

    return await attempt(ledger, message, what, send)


async def attempt_update(
    ledger: DeliveryLedger, message: Message, what: str, update: Callable[[], Awaitable[None]]
) -> None:
    """A change to a message that arrived (Teams answers an update without a new id)."""

    async def send() -> SentMessage:
        await update()
        return SentMessage("", "updated")

    await attempt(ledger, message, what, send)


async def gave_up(
    ledger: DeliveryLedger, session: AsyncSession, message: Message, reason: str
) -> None:
    """The outbox marked the work failed: the message is undeliverable (once)."""
    known = await ledger.get(message.key, session)
    if known is not None and known.state == UNDELIVERABLE:
        return
    await ledger.undeliverable(message, reason, session=session, attempted=False)
