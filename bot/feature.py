"""What a bot feature module offers the composition root, as one typed value per module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from bot.router import Router
from copbot.services import Services
from scheduler.runner import Job


def _no_setup(services: Services) -> None:
    return None


def _no_jobs(services: Services) -> list[Job]:
    return []


def _no_routes(router: web.UrlDispatcher, services: Services) -> None:
    return None


@dataclass(frozen=True)
class Feature:
    """`register` adds the feature's commands, card actions, fallbacks and events to the router;
    `setup` adds its contributions to other features (`services.readiness`,
    `services.details_contributors`); `jobs` its background work; `routes` extra HTTP routes."""

    name: str
    register: Callable[[Router], None]
    setup: Callable[[Services], None] = _no_setup
    jobs: Callable[[Services], list[Job]] = _no_jobs
    routes: Callable[[web.UrlDispatcher, Services], None] = _no_routes
