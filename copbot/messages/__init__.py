"""Translated message tables, one module per feature (see copbot.i18n)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping


def all_tables() -> list[Mapping[str, Mapping[str, str]]]:
    """Every `MESSAGES` table of the modules in this package, in name order."""
    tables = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        tables.append(module.MESSAGES)
    return tables
