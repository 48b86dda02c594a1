"""`copbot`: the command line of CoP Bot. Each module adds its commands to `app`."""

from __future__ import annotations

import importlib
import logging
import sys
import traceback

import structlog
import typer

app = typer.Typer(
    name="copbot",
    help="CoP Bot: UN-Habitat's Communities of Practice in Microsoft Teams.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _logs_on_stderr() -> None:
    """Every command's logs go to stderr: stdout is the command's output alone (`--json` is JSON
    alone). Commands that configure logging from the settings (`app.configure_logging`) keep
    stderr too; this covers those that log before or without it."""
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(sys.stderr))
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)


# Command modules, each calling `register(app)`.
COMMAND_MODULES = [
    "cli.core",
    "cli.recommend",
    "cli.requests",
    "cli.meetings",
    "cli.package",
    "cli.admin",
    "cli.retention",
    "cli.sync",
]


def main() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except Exception as exc:  # one broken command group must not take the others down
            typer.secho(f"copbot: commands of {name} are unavailable: {exc!r}", err=True, fg="red")
            traceback.print_exception(exc, file=sys.stderr)  # a bug: keep where it happened
            continue
        module.register(app)
    app()
