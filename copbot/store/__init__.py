"""Persistence: SQLAlchemy 2 (async) on SQLite or PostgreSQL, migrated with Alembic."""

from copbot.store.db import Database, DatabaseUnavailable

__all__ = ["Database", "DatabaseUnavailable"]
