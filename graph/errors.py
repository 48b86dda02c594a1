"""Graph's refusals as the domain's errors: one mapping for every Graph client of CoP Bot.

429 / 5xx / timeouts / connection errors (after the client's bounded retries, see
``graph.client.RetryPolicy``) raise ``DirectoryUnavailable`` with Graph's ``Retry-After``;
401 / 403 raise ``DirectoryError`` naming what to fix (``PermissionMissing`` for a 403 where the
caller asks for it, see ``graph_refusals``); token failures name the settings to check.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import structlog
from azure.core.exceptions import ClientAuthenticationError, ServiceRequestError
from kiota_abstractions.api_error import APIError
from msgraph.generated.models.o_data_errors.o_data_error import ODataError

from copbot.directory import DirectoryError, DirectoryUnavailable, PermissionMissing

from .client import RETRY_STATUSES, parse_retry_after
from .credential import CredentialRefused

log = structlog.get_logger(__name__)

__all__ = [
    "error_code",
    "error_header",
    "error_message",
    "graph_errors",
    "graph_refusals",
    "permanent_error",
]


@asynccontextmanager
async def graph_errors(what: str, permission: str) -> AsyncIterator[None]:
    """Translate what msgraph/httpx/azure raise into the domain's exceptions."""
    try:
        yield
    except (DirectoryError, DirectoryUnavailable):
        raise
    except APIError as exc:
        status = exc.response_status_code
        if status is not None and (status in RETRY_STATUSES or status >= 500):
            retry_after = parse_retry_after(error_header(exc, "Retry-After"))
            log.warning(
                "graph.unavailable",
                operation=what,
                status=status,
                code=error_code(exc),
                retry_after=retry_after,
            )
            raise DirectoryUnavailable(
                f"Graph could not {what} now (HTTP {status} {error_code(exc) or ''})".rstrip(),
                retry_after=retry_after,
                status=status,
            ) from exc
        error = permanent_error(what, permission, status, error_code(exc), error_message(exc))
        log.warning("graph.refused", operation=what, status=status, code=error_code(exc))
        raise error from exc
    except httpx.TimeoutException as exc:
        log.warning("graph.timeout", operation=what, error_type=type(exc).__name__)
        raise DirectoryUnavailable(f"Graph did not answer in time to {what}") from exc
    except httpx.TransportError as exc:
        log.warning("graph.unreachable", operation=what, error_type=type(exc).__name__)
        raise DirectoryUnavailable(
            f"Could not reach Graph to {what} ({type(exc).__name__})"
        ) from exc
    except ServiceRequestError as exc:
        log.warning("graph.token_unavailable", operation=what)
        raise DirectoryUnavailable(f"Could not get a Graph token to {what}: {exc}") from exc
    except CredentialRefused as exc:
        if exc.transient:
            raise DirectoryUnavailable(f"Could not get a Graph token to {what}: {exc}") from exc
        log.error("graph.token_refused", operation=what)
        raise DirectoryError(
            f"Could not get a Graph token to {what}: {exc}", code="authentication_failed"
        ) from exc
    except ClientAuthenticationError as exc:
        log.error("graph.token_refused", operation=what)
        raise DirectoryError(
            f"Could not get a Graph token to {what}: check GRAPH_CREDENTIAL and its settings. "
            f"{exc.message}",
            code="authentication_failed",
        ) from exc


@asynccontextmanager
async def graph_refusals(what: str, permission: str) -> AsyncIterator[None]:
    """``graph_errors``, with a 403 as `PermissionMissing(permission)` so that callers can fall
    back (a group add instead of a Team add) or warn once."""
    try:
        async with graph_errors(what, permission):
            yield
    except PermissionMissing:
        raise
    except DirectoryError as exc:
        if exc.status != 403:
            raise
        raise PermissionMissing(
            f"Graph refused to {what} (403 {exc.code or ''}): the app registration needs "
            f"the application permission {permission}, with admin consent",
            permission=permission,
            code=exc.code,
        ) from exc


def permanent_error(
    what: str, permission: str, status: int | None, code: str | None, message: str
) -> DirectoryError:
    if status == 401:
        return DirectoryError(
            f"Graph rejected the app's token when trying to {what} (401 {code or ''}): "
            "check the tenant id, client id and secret/certificate of the Graph app registration",
            status=401,
            code=code,
        )
    if status == 403:
        return DirectoryError(
            f"Graph refused to {what} (403 {code or ''}): the app registration needs the "
            f"application permission {permission}, with admin consent",
            status=403,
            code=code,
        )
    return DirectoryError(
        f"Graph refused to {what} (HTTP {status} {code or ''}): {message}",
        status=status,
        code=code,
    )


def error_code(exc: APIError) -> str | None:
    """Graph's error code of an ``APIError`` (``Request_ResourceNotFound``...), if it has one."""
    if isinstance(exc, ODataError) and exc.error is not None:
        return exc.error.code
    return None


def error_message(exc: APIError) -> str:
    if isinstance(exc, ODataError) and exc.error is not None:
        return exc.error.message or ""
    return exc.message or ""


def error_header(exc: APIError, name: str) -> str | None:
    headers = exc.response_headers
    if not headers:
        return None
    getter = getattr(headers, "get", None)
    value = getter(name) if getter else None
    if value is None and isinstance(headers, dict):
        for key, item in headers.items():
            if key.lower() == name.lower():
                return str(item)
    return value
