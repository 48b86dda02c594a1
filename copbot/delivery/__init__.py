"""Delivery of proactive messages, for every feature: the ledger of true outcomes
(`ledger.py`), one send and its outcome (`outcome.py`), reaching people who never opened the bot
by installing the app for them (`reach.py`)."""

from copbot.delivery.ledger import (
    DELIVERED,
    RETRYING,
    UNDELIVERABLE,
    DeliveryLedger,
    DeliveryView,
    Message,
)

__all__ = [
    "DELIVERED",
    "RETRYING",
    "UNDELIVERABLE",
    "DeliveryLedger",
    "DeliveryView",
    "Message",
]
