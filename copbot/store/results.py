"""What a statement's result says, typed: SQLAlchemy types `session.execute` as a plain `Result`
even for an UPDATE, DELETE or INSERT, whose result is a `CursorResult` with a row count."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, Result


def rows_changed(result: Result[Any]) -> int:
    """How many rows the UPDATE, DELETE or INSERT behind `result` changed."""
    if not isinstance(result, CursorResult):  # a SELECT's result: asking it is a bug
        raise TypeError(f"no row count on a {type(result).__name__}")
    return result.rowcount
