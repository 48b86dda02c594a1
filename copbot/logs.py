"""Structured logs (structlog, stdlib logging for the libraries), with email addresses masked."""

from __future__ import annotations

import logging
import re
import sys
from typing import Any, TextIO

import structlog
from structlog.typing import EventDict, WrappedLogger

_EMAIL = re.compile(r"[\w.+-]+@(?:[\w-]+\.)+[A-Za-z]{2,}\b")  # not user@127.0.0.1 (a database URL)


def redact_emails(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
    """Defense in depth: an email address that reaches a log line (an exception message, a
    traceback) is masked. Log calls themselves pass ids, never addresses."""
    for key, value in event.items():
        if isinstance(value, str) and "@" in value:
            event[key] = _EMAIL.sub("<email>", value)
    return event


def configure(
    level_name: str, *, as_json: bool, stream: TextIO | None = None, cache: bool = True
) -> None:
    """JSON for machines, console for people; libraries' own logs from WARNING up."""
    level = getattr(logging, level_name.upper(), logging.INFO)
    stream = stream or sys.stderr
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if as_json
        else structlog.dev.ConsoleRenderer(colors=stream.isatty())
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            redact_emails,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(stream),
        cache_logger_on_first_use=cache,
    )
    logging.basicConfig(level=max(level, logging.WARNING), stream=stream)
    # azure-identity logs each failed token request at WARNING, as free text with Entra's answer;
    # graph/credential.py logs the same failure as a structured `graph.token_refused` with ids.
    # Its own lines are kept for LOG_LEVEL=DEBUG, where a developer wants the library's story.
    logging.getLogger("azure.identity").setLevel(
        logging.DEBUG if level <= logging.DEBUG else logging.ERROR
    )
