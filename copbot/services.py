"""What a handler, a job or a CLI command can use: plain domain objects, wired by app.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from copbot.catalog import Catalog
from copbot.clock import Clock
from copbot.directory import Directory
from copbot.metrics import Metrics
from copbot.notifier import Notifier
from copbot.store import Database


@dataclass(frozen=True)
class BotConfig:
    """Settings the domain needs, as plain values (app.py copies them from Settings)."""

    local_mode: bool = True
    app_id: str = ""
    tenant_id: str = ""
    public_base_url: str = "http://127.0.0.1:3978"
    admin_ids: tuple[str, ...] = ()
    skills_profile_url: str = ""
    request_reminder_days: float = 3
    request_escalation_days: float = 7
    meetings_announce_days: float = 7
    meetings_digest_hours: float = 24
    meetings_day_reminder: bool = False
    meetings_tick_seconds: float = 60


@dataclass
class Services:
    catalog: Catalog
    db: Database
    directory: Directory
    clock: Clock
    config: BotConfig
    notifier: Notifier
    # Feature services (finder, membership, meetings...) register themselves here by name.
    features: dict[str, Any] = field(default_factory=dict)
    metrics: Metrics = field(default_factory=Metrics)

    def is_admin(self, person_id: str) -> bool:
        return person_id.lower() in {a.lower() for a in self.config.admin_ids}
