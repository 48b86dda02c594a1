"""Alembic environment: runs on the connection CoP Bot hands over (see Database.upgrade)."""

from __future__ import annotations

from alembic import context

import copbot.store.models  # noqa: F401  (registers the tables)
from copbot.store.base import Base

target_metadata = Base.metadata


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through `copbot db upgrade`, which passes a connection")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
