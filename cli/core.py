"""serve, check-config, db upgrade."""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer
from sqlalchemy.exc import SQLAlchemyError

import app as composition
from copbot.catalog import Catalog, CatalogError
from copbot.i18n import counted
from copbot.membership.sync_job import sync_warnings
from copbot.store import Database, DatabaseUnavailable

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)


def fail(message: str, code: int = 2) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def serve(
    host: str = typer.Option(None, help="Address to listen on (default: HOST or 127.0.0.1)."),
    port: int = typer.Option(None, help="Port to listen on (default: PORT or 3978)."),
) -> None:
    """Run the bot's HTTP server (what a deployment runs). Stops cleanly on Ctrl-C / SIGTERM."""
    settings = composition.load_settings()
    try:
        composition.serve(settings, host, port)
    except CatalogError as exc:
        fail(f"The catalog is not valid; the server did not start:\n{exc}")
    except composition.StartupError as exc:
        fail(f"The server did not start: {exc}")


def check_config() -> None:
    """Check the settings and the catalog; print every problem with where it is."""
    settings = composition.load_settings()
    problems = composition.check_settings(settings)
    for problem in problems:
        typer.secho(f"error: settings: {problem}", fg=typer.colors.RED)
    if settings.directory_mode == composition.DirectoryMode.GRAPH and not problems:
        described = settings.graph_credential_config().describe()
        typer.echo(f"Graph: {settings.graph_base_url}, credential {described}")
    try:
        catalog, warnings = composition.load_checked_catalog(settings)
    except CatalogError as exc:
        for catalog_problem in exc.problems:
            typer.secho(str(catalog_problem), fg=typer.colors.RED)
        fail(f"{counted(len(exc.problems) + len(problems), 'problem')} found.", 1)
        return
    for warning in warnings:
        typer.secho(str(warning), fg=typer.colors.YELLOW)
    flagged = _sync_warnings(settings, catalog)
    for flag in flagged:
        typer.secho(f"warning: directory sync: {flag}", fg=typer.colors.YELLOW)
    counted_warnings = len(warnings) + len(flagged)
    if problems:
        fail(f"{counted(len(problems), 'problem')} found.", 1)
    typer.secho(
        f"OK: {len(catalog)} communities ({', '.join(catalog.ids())}) in {settings.catalog_path}"
        + (f", {counted(counted_warnings, 'warning')}" if counted_warnings else ""),
        fg=typer.colors.GREEN,
    )


def _sync_warnings(settings: composition.Settings, catalog: Catalog) -> list[str]:
    """What the last directory sync flagged (a focal point gone, a failed sync); nothing when the
    database is unreachable or not created yet (check-config is also run before a first start)."""

    async def read() -> list[str]:
        db = Database(settings.effective_database_url)
        try:
            return await sync_warnings(db, catalog)
        finally:
            await db.dispose()

    url = settings.effective_database_url
    if url.startswith("sqlite") and not Path(url.split("///", 1)[-1]).exists():
        return []  # no database yet: nothing synced
    try:
        return asyncio.run(read())
    except DatabaseUnavailable as exc:
        typer.secho(f"note: the directory sync's state was not read: {exc}", err=True)
        return []
    except SQLAlchemyError:  # an older schema (no directory_syncs yet): nothing synced
        return []


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (the server also does it on start)."""
    settings = composition.load_settings()

    async def run() -> str:
        db = Database(settings.effective_database_url)
        try:
            await db.upgrade()
            return db.safe_url
        finally:
            await db.dispose()

    try:
        url = asyncio.run(run())
    except DatabaseUnavailable as exc:
        fail(f"The database is unreachable: {exc}")
    typer.secho(f"Database is up to date: {url}", fg=typer.colors.GREEN)


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command("check-config")(check_config)
    app.add_typer(db_app, name="db")
