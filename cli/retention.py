"""copbot purge: apply the data retention policy now (the server also does it daily)."""

from __future__ import annotations

import asyncio

import typer

import app as composition
from copbot.clock import SystemClock
from copbot.retention import purge as purge_data
from copbot.store import Database, DatabaseUnavailable


def purge(
    days: int = typer.Option(None, help="Keep this many days (default: RETENTION_DAYS)."),
) -> None:
    """Delete personal data older than the retention period (see docs/security.md)."""
    settings = composition.load_settings()
    policy = composition.retention_policy(settings)
    if days is not None:
        policy = type(policy)(days=days, audit_days=max(days, policy.audit_days))
    if policy.days <= 0:
        typer.secho("RETENTION_DAYS is 0: nothing is purged.", fg=typer.colors.YELLOW)
        return

    async def run() -> dict[str, int]:
        db = Database(settings.effective_database_url)
        try:
            await db.upgrade()
            return (await purge_data(db, SystemClock().now(), policy)).as_dict()
        finally:
            await db.dispose()

    try:
        counts = asyncio.run(run())
    except DatabaseUnavailable as exc:
        typer.secho(f"The database is unreachable: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"Kept {policy.days} days (audit log {policy.audit_days} days). Removed:")
    for name, count in counts.items():
        typer.echo(f"  {name.replace('_', ' ')}: {count}")


def register(app: typer.Typer) -> None:
    app.command()(purge)
