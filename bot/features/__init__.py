"""The bot's features; each module has `register(router)`. Order does not matter: priorities do."""

from __future__ import annotations

from bot.features import admin, core, finder, glossary, meetings, membership
from bot.router import Router

FEATURES = [core, meetings, membership, admin, finder, glossary]


def build_router() -> Router:
    router = Router()
    for feature in FEATURES:
        feature.register(router)
    return router
