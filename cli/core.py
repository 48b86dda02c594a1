"""serve, check-config, db upgrade."""

from __future__ import annotations

import asyncio

import typer

import app as composition
from copbot.catalog import CatalogError
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
    try:
        catalog, warnings = composition.load_checked_catalog(settings)
    except CatalogError as exc:
        for problem in exc.problems:
            typer.secho(str(problem), fg=typer.colors.RED)
        fail(f"{len(exc.problems) + len(problems)} problem(s) found.", 1)
        return
    for warning in warnings:
        typer.secho(str(warning), fg=typer.colors.YELLOW)
    if problems:
        fail(f"{len(problems)} problem(s) found.", 1)
    typer.secho(
        f"OK: {len(catalog)} communities ({', '.join(catalog.ids())}) in {settings.catalog_path}"
        + (f", {len(warnings)} warning(s)" if warnings else ""),
        fg=typer.colors.GREEN,
    )


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
