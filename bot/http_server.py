"""aiohttp's own HTTP parsing: header limits, and what it logs about requests it cannot parse.

aiohttp refuses a header line over its `max_field_size` (8 KiB by default) before any route runs:
it logs "Error handling request" with a traceback whose message quotes the start of the header
(a token, say) and answers 400. Here the limits leave room for the route to answer a merely large
Authorization header itself (431, bot/route.py), and what aiohttp logs about a request it could
not parse keeps the status and the error's name, never the request's bytes.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp.http_exceptions import HttpProcessingError

MAX_HEADER_FIELD_BYTES = 96 * 1024  # a line beyond this is aiohttp's 400 (without its content)
MAX_HEADER_LINE_BYTES = 16 * 1024
MAX_HEADERS = 100


class _WithoutRequestContent(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError):
            remote = record.args[0] if isinstance(record.args, tuple) and record.args else "?"
            record.msg = "unparsable HTTP request from %s: %s %s (content not logged)"
            record.args = (remote, error.code, type(error).__name__)
            record.exc_info = None
            record.exc_text = None
        return True


def parse_error_logger() -> logging.Logger:
    logger = logging.getLogger("copbot.http")
    if not any(isinstance(f, _WithoutRequestContent) for f in logger.filters):
        logger.addFilter(_WithoutRequestContent())
    return logger


def http_server_options() -> dict[str, Any]:
    """Keyword arguments for aiohttp's request handler (`web.Application(handler_args=...)`)."""
    return {
        "max_field_size": MAX_HEADER_FIELD_BYTES,
        "max_line_size": MAX_HEADER_LINE_BYTES,
        "max_headers": MAX_HEADERS,
        "logger": parse_error_logger(),
    }
