"""The bot's features; each module ends with `FEATURE = Feature(...)`. Order does not matter:
priorities do."""

from __future__ import annotations

from bot.feature import Feature
from bot.features import admin, core, finder, glossary, meetings, membership
from bot.router import Router

FEATURES: list[Feature] = [
    core.FEATURE,
    meetings.FEATURE,
    membership.FEATURE,
    admin.FEATURE,
    finder.FEATURE,
    glossary.FEATURE,
]


def build_router() -> Router:
    router = Router()
    for feature in FEATURES:
        feature.register(router)
    return router
