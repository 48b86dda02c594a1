"""`copbot package`: the Teams app package (manifest.json, icons, localization files) as a zip."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import Annotated

import typer

import app as composition
from copbot.i18n import counted
from copbot.package import MANIFEST_DIR, PackageValues, build_package, write_zip


def _project_version() -> str:
    try:
        return metadata.version("cop-bot")
    except metadata.PackageNotFoundError:
        return "0.1.0"


def package(
    out: Annotated[Path, typer.Option("--out", help="Where to write the zip.")] = Path(
        "build/copbot.zip"
    ),
    app_id: str = typer.Option(
        None, "--app-id", help="The bot's Entra app (client) id (default: MICROSOFT_APP_ID)."
    ),
    teams_app_id: str = typer.Option(
        None, "--teams-app-id", help="The Teams app's own id (default: the bot's app id)."
    ),
    version: str = typer.Option(
        None,
        "--version",
        help="The app version, like 1.2.0; raise it for every upload (default: CoP Bot's).",
    ),
    manifest_dir: Annotated[
        Path | None,
        typer.Option("--manifest-dir", help="The template, icons and localization files."),
    ] = None,
) -> None:
    """Build the Teams app package and validate it (official schema + Teams' rules).

    The ids come from MICROSOFT_APP_ID and the domain from PUBLIC_BASE_URL. Every problem is
    printed with its file and JSON path; when there is any, nothing is written and the exit code
    is 1.
    """
    settings = composition.load_settings()
    values = PackageValues(
        app_id=app_id or settings.microsoft_app_id,
        public_base_url=settings.public_base_url,
        version=version or _project_version(),
        teams_app_id=teams_app_id or "",
    )
    built = build_package(values, manifest_dir or MANIFEST_DIR)
    if not built.ok:
        for problem in built.problems:
            typer.secho(f"error: {problem}", fg=typer.colors.RED)
        typer.secho(
            f"{counted(len(built.problems), 'problem')} found: {out} was not written.",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(1)
    write_zip(built, out)
    manifest = built.manifest or {}
    typer.secho(
        f"Wrote {out}: {', '.join(built.files)} (manifest {manifest.get('manifestVersion')}, "
        f"app version {manifest.get('version')}, bot {values.placeholders()['MICROSOFT_APP_ID']}, "
        f"domain {values.domain})",
        fg=typer.colors.GREEN,
    )


def register(app: typer.Typer) -> None:
    app.command("package")(package)
