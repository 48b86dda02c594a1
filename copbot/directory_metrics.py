"""A Directory that counts and times every call of the directory it wraps.

`copbot_directory_calls_total{operation, outcome}`: outcome is the call's result (`added`,
`already_member`, `removed`, `not_member`, `ok`), `unavailable` (throttled, down), `error` (refused,
or anything unexpected: a bug must not count as a success) or `cancelled`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from copbot.directory import (
    AddOutcome,
    Directory,
    DirectoryError,
    DirectoryUnavailable,
    DirectoryUser,
    RemoveOutcome,
)
from copbot.metrics import Metrics

T = TypeVar("T")


class InstrumentedDirectory:
    def __init__(self, inner: Directory, metrics: Metrics):
        self.inner = inner
        self.metrics = metrics

    async def _measure(self, operation: str, call: Callable[[], Awaitable[T]]) -> T:
        started = time.perf_counter()
        outcome = "ok"
        try:
            result = await call()
            if isinstance(result, AddOutcome | RemoveOutcome):
                outcome = result.value
            return result
        except DirectoryUnavailable:
            outcome = "unavailable"
            raise
        except DirectoryError:
            outcome = "error"
            raise
        except asyncio.CancelledError:
            outcome = "cancelled"
            raise
        except Exception:
            outcome = "error"
            raise
        finally:
            self.metrics.graph_calls.labels(operation, outcome).inc()
            self.metrics.graph_seconds.labels(operation).observe(time.perf_counter() - started)

    async def get_user(self, user_id_or_upn: str) -> DirectoryUser | None:
        return await self._measure("get_user", lambda: self.inner.get_user(user_id_or_upn))

    async def find_users(self, keys: Sequence[str]) -> dict[str, DirectoryUser | None]:
        return await self._measure("find_users", lambda: self.inner.find_users(keys))

    async def is_member(self, group_id: str, user_id: str) -> bool:
        return await self._measure("is_member", lambda: self.inner.is_member(group_id, user_id))

    async def add_member(self, group_id: str, user_id: str) -> AddOutcome:
        return await self._measure("add_member", lambda: self.inner.add_member(group_id, user_id))

    async def add_members(
        self, group_id: str, user_ids: Sequence[str]
    ) -> dict[str, AddOutcome | DirectoryError]:
        return await self._measure(
            "add_members", lambda: self.inner.add_members(group_id, user_ids)
        )

    async def remove_member(self, group_id: str, user_id: str) -> RemoveOutcome:
        return await self._measure(
            "remove_member", lambda: self.inner.remove_member(group_id, user_id)
        )

    async def list_members(self, group_id: str) -> list[str]:
        return await self._measure("list_members", lambda: self.inner.list_members(group_id))

    async def aclose(self) -> None:
        close: Any = getattr(self.inner, "aclose", None)
        if close is not None:
            await close()
