"""`copbot`: the command line of CoP Bot. Each module adds its commands to `app`."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="copbot",
    help="CoP Bot: UN-Habitat's Communities of Practice in Microsoft Teams.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command modules, each calling `register(app)`.
COMMAND_MODULES = ["cli.core"]


def main() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)
    app()
