"""Graph ``$batch``: up to 20 requests in one ``POST /$batch``, each answered on its own.

msgraph-sdk's batch response parsing loses the bodies (FACTS.md), so the requests are sent as raw
JSON and the answer read as bytes. Items answered 429/503/504 are sent again (alone) after their
``Retry-After``, within the same ``RetryPolicy`` as whole requests; what still fails is returned as
is for the caller to map (``raise_for_item`` for what is no per-item outcome).
https://learn.microsoft.com/graph/json-batching
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn, TypeVar

import structlog
from kiota_abstractions.method import Method
from kiota_abstractions.request_information import RequestInformation
from msgraph import GraphServiceClient
from msgraph.generated.models.o_data_errors.o_data_error import ODataError

from copbot.directory import DirectoryUnavailable

from .client import RETRY_STATUSES, RetryPolicy, parse_retry_after
from .errors import permanent_error

__all__ = ["MAX_BATCH", "BatchResult", "chunks", "raise_for_item", "send_batch"]

log = structlog.get_logger(__name__)

T = TypeVar("T")

MAX_BATCH = 20  # Graph: at most 20 requests in one $batch
ODATA_ERRORS: dict[str, Any] = {"XXX": ODataError}


@dataclass(frozen=True, slots=True)
class BatchResult:
    """One item of a ``$batch`` answer."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None

    @property
    def error_code(self) -> str | None:
        error = self.body.get("error") if isinstance(self.body, dict) else None
        return error.get("code") if isinstance(error, dict) else None

    @property
    def error_message(self) -> str:
        error = self.body.get("error") if isinstance(self.body, dict) else None
        return str(error.get("message") or "") if isinstance(error, dict) else ""

    @property
    def retry_after(self) -> float | None:
        for name, value in self.headers.items():
            if name.lower() == "retry-after":
                return parse_retry_after(str(value))
        return None


async def send_batch(
    client: GraphServiceClient, requests: list[dict[str, Any]], retry: RetryPolicy, what: str
) -> dict[str, BatchResult]:
    """POST ``$batch`` (≤ 20 requests, each with an ``id``); the answers by request id."""
    if len(requests) > MAX_BATCH:
        raise ValueError(f"a Graph batch holds at most {MAX_BATCH} requests")
    results: dict[str, BatchResult] = {}
    pending = requests
    for attempt in range(retry.max_retries + 1):
        answered = await _post_batch(client, pending)
        missing = [r["id"] for r in pending if r["id"] not in answered]
        if missing:
            raise DirectoryUnavailable(
                f"Graph $batch answer lacks {len(missing)} of {len(pending)} responses",
                status=502,
            )
        results.update(answered)
        again = [r for r in pending if answered[r["id"]].status in RETRY_STATUSES]
        if not again or attempt == retry.max_retries:
            break
        hints = [answered[r["id"]].retry_after for r in again]
        known = [h for h in hints if h is not None]
        wait = max(known) if known else retry.backoff(attempt)
        if wait > retry.max_wait:
            break
        log.info(
            "graph.batch_items_retry",
            operation=what,
            items=len(again),
            wait_s=round(wait, 3),
            attempt=attempt + 1,
        )
        await asyncio.sleep(wait)
        pending = again
    return results


async def _post_batch(
    client: GraphServiceClient, requests: list[dict[str, Any]]
) -> dict[str, BatchResult]:
    info = RequestInformation(Method.POST, "{+baseurl}/$batch")
    info.headers.try_add("Accept", "application/json")
    info.set_stream_content(json.dumps({"requests": requests}).encode("utf-8"), "application/json")
    raw: bytes | None = await client.request_adapter.send_primitive_async(
        info, "bytes", ODATA_ERRORS
    )
    try:
        payload = json.loads(raw or b"{}")
        responses = payload["responses"]
    except (ValueError, KeyError, TypeError) as exc:
        raise DirectoryUnavailable("Graph answered $batch with a body we cannot read") from exc
    return {
        str(item.get("id")): BatchResult(
            status=int(item.get("status", 0)),
            headers=dict(item.get("headers") or {}),
            body=item.get("body"),
        )
        for item in responses
        if isinstance(item, dict)
    }


def raise_for_item(result: BatchResult, what: str, permission: str) -> NoReturn:
    """A batch item that is no outcome of its own: unavailable (retry later) or refused."""
    status, code, message = result.status, result.error_code, result.error_message
    if status in RETRY_STATUSES or status >= 500:
        raise DirectoryUnavailable(
            f"Graph could not {what} now (HTTP {status} {code or ''})".rstrip(),
            retry_after=result.retry_after,
            status=status,
        )
    raise permanent_error(what, permission, status, code, message)


def chunks(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
