"""The database: engine, sessions, readiness and migrations (SQLite or PostgreSQL)."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

log = structlog.get_logger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any constant works; it only has to be the same for every instance of CoP Bot.
_MIGRATION_LOCK_ID = 0x436F50426F74


class DatabaseUnavailable(Exception):
    """The database cannot be reached (with the reason, without the password)."""


class Database:
    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 10):
        self.url = make_url(url)
        kwargs: dict[str, Any] = {"echo": echo, "pool_pre_ping": True}
        if self.is_sqlite:
            if self.url.database and self.url.database != ":memory:":
                folder = Path(self.url.database).parent
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise DatabaseUnavailable(
                        f"{self.safe_url}: cannot create the folder {folder}: {exc.strerror}"
                    ) from exc
            kwargs["connect_args"] = {"timeout": 30}
        else:
            kwargs.update(pool_size=pool_size, max_overflow=pool_size)
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def is_postgres(self) -> bool:
        return self.url.get_backend_name() == "postgresql"

    @property
    def safe_url(self) -> str:
        return self.url.render_as_string(hide_password=True)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction: committed on success, rolled back on error."""
        async with self.sessions() as session, session.begin():
            yield session

    async def ping(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109 - a bound, not a deadline API
        try:
            async with asyncio.timeout(timeout), self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:  # every driver has its own errors; all mean "unreachable"
            raise DatabaseUnavailable(f"{self.safe_url}: {_reason(exc)}") from exc

    async def upgrade(self) -> None:
        """Apply every Alembic migration not yet applied (safe with several instances starting)."""
        try:
            async with self._sqlite_file_lock(), self.engine.begin() as conn:
                if self.is_postgres:
                    await conn.execute(text(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK_ID})"))
                await conn.run_sync(_run_upgrade)
        except DatabaseUnavailable:
            raise
        except OSError as exc:
            raise DatabaseUnavailable(f"{self.safe_url}: {_reason(exc)}") from exc
        except Exception as exc:
            if _is_connection_error(exc):
                raise DatabaseUnavailable(f"{self.safe_url}: {_reason(exc)}") from exc
            raise
        log.info("db.upgraded", url=self.safe_url)

    @asynccontextmanager
    async def _sqlite_file_lock(self) -> AsyncIterator[None]:
        """SQLite has no advisory locks: processes migrating one file take turns on a lock file."""
        if not self.is_sqlite or not self.url.database or self.url.database == ":memory:":
            yield
            return
        fd = os.open(f"{self.url.database}.migrate-lock", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            await asyncio.to_thread(fcntl.flock, fd, fcntl.LOCK_EX)
            yield
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    async def dispose(self) -> None:
        await self.engine.dispose()


def _run_upgrade(connection: Connection) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    # The history has one head (tests/integration/test_migrations.py keeps it so); "heads" also
    # upgrades a database made by a release whose history had several.
    command.upgrade(cfg, "heads")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # WAL + NORMAL: a commit survives a crash of the process (not of the machine's power) without
    # an fsync per transaction, which queued every write behind the disk (local mode only: in
    # production the database is PostgreSQL).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _is_connection_error(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        name = type(seen).__name__
        if isinstance(seen, OSError | TimeoutError) or name in {
            "InvalidCatalogNameError",
            "InvalidPasswordError",
            "CannotConnectNowError",
            "ConnectionDoesNotExistError",
        }:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _reason(exc: BaseException) -> str:
    root: BaseException = exc
    while root.__cause__ is not None:
        root = root.__cause__
    message = (str(root).strip() or type(root).__name__).splitlines()[0]
    errno = getattr(root, "errno", None)
    if isinstance(root, OSError) and errno:
        return f"{os.strerror(errno)} ({message})"
    return message
