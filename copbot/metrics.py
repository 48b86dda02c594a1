"""Prometheus metrics of one CoP Bot process (served at /metrics).

One registry per app, so tests and several apps in one process do not share counters. Features
that own state in the database (outbox, meeting posts) register a refresher: an async function
called before each scrape to set their gauges.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import structlog
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

log = structlog.get_logger(__name__)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
Refresher = Callable[["Metrics"], Awaitable[None]]


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        # labelled children of the per-turn metrics (labels() costs a lock and a lookup a turn);
        # their labels are bounded: activity types and HTTP statuses
        self._turn_children: dict[tuple[str, str], tuple[Counter, Histogram]] = {}
        r = self.registry
        self.turns = Counter(
            "copbot_turns",
            "Activities received, by type and outcome",
            ["type", "outcome"],
            registry=r,
        )
        self.turn_seconds = Histogram(
            "copbot_turn_seconds",
            "Time to handle an activity",
            ["type"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.turn_errors = Counter(
            "copbot_turn_errors", "Activities whose handling raised (a bug)", ["type"], registry=r
        )
        self.graph_calls = Counter(
            "copbot_directory_calls",
            "Directory (Graph) calls by operation and outcome",
            ["operation", "outcome"],
            registry=r,
        )
        self.graph_seconds = Histogram(
            "copbot_directory_call_seconds",
            "Directory (Graph) call latency",
            ["operation"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.outbox_depth = Gauge(
            "copbot_outbox_depth", "Outbox items not done yet, by status", ["status"], registry=r
        )
        self.outbox_oldest_seconds = Gauge(
            "copbot_outbox_oldest_age_seconds", "Age of the oldest outbox item not done", registry=r
        )
        self.meeting_posts = Counter(
            "copbot_meeting_posts",
            "Scheduled meeting posts by kind and outcome (sent, late, skipped)",
            ["kind", "outcome"],
            registry=r,
        )
        self.sync_runs = Counter(
            "copbot_directory_sync_runs",
            "Directory sync runs per CoP by outcome (ok, failed, skipped) and kind (full, delta)",
            ["outcome", "kind"],
            registry=r,
        )
        self.sync_changes = Counter(
            "copbot_directory_sync_changes",
            "Changes the directory sync found and applied (added_outside, removed_outside)",
            ["change"],
            registry=r,
        )
        self.sync_requests = Counter(
            "copbot_directory_sync_requests", "Graph requests made by delta rounds", registry=r
        )
        self.sends = Counter(
            "copbot_sends",
            "Proactive messages by kind and outcome (delivered, retrying, undeliverable)",
            ["kind", "outcome"],
            registry=r,
        )
        self._refreshers: list[Refresher] = []

    def count_turn(self, kind: str, outcome: str, seconds: float) -> None:
        """One activity handled: its type, outcome ("ok" or the HTTP status) and duration."""
        children = self._turn_children.get((kind, outcome))
        if children is None:
            children = (self.turns.labels(kind, outcome), self.turn_seconds.labels(kind))
            self._turn_children[(kind, outcome)] = children
        children[0].inc()
        children[1].observe(seconds)

    def count_send(self, kind: str, outcome: str) -> None:
        self.sends.labels(kind, outcome).inc()

    def add_refresher(self, refresher: Refresher) -> None:
        self._refreshers.append(refresher)

    async def render(self) -> bytes:
        for refresh in self._refreshers:
            try:
                await refresh(self)
            except Exception:  # a scrape must still answer with what it has
                log.exception("metrics.refresh_failed")
        return generate_latest(self.registry)
