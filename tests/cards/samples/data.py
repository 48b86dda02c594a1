"""Realistic data for sample cards: the real catalog, people with long names, a fixed time."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from copbot.catalog import Catalog, load_catalog
from copbot.i18n import LANGS, Lang

ROOT = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)

__all__ = ["LANGS", "NOW", "PEOPLE", "Lang", "catalog"]


@cache
def catalog() -> Catalog:
    """The catalog the bot ships (six CoPs, three languages)."""
    return load_catalog(ROOT / "catalog" / "communities.yaml")


# (Entra object id, display name, email): long names and characters markdown would eat.
PEOPLE = [
    (
        "a1a1a1a1-0000-4000-8000-000000000001",
        "Alice Wanjiru-Kamau [Urban *Planning* Unit]",
        "alice.wanjiru-kamau@un.org",
    ),
    ("b2b2b2b2-0000-4000-8000-000000000002", "Bruno Costa da Silva", "bruno.costa@un.org"),
    ("c3c3c3c3-0000-4000-8000-000000000003", "Carmen Ruiz_Fernández", "carmen.ruiz@un.org"),
    (
        "d4d4d4d4-0000-4000-8000-000000000004",
        "Dr. Maximilian Alexander von Hohenberg-Schwarzenfeld",
        "maximilian.vonhohenberg-schwarzenfeld@un.org",
    ),
]
