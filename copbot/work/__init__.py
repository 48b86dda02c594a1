"""Background work that must happen once, eventually: one retry and lease policy for all of it."""

from copbot.work.policy import Backoff, RetryPolicy, backoff, retry_delay

__all__ = ["Backoff", "RetryPolicy", "backoff", "retry_delay"]
