"""What a handler, a job or a CLI command can use: the shared ports and the domain services, each a
typed field, wired by app.py (the composition root)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from copbot.admins import Admins
from copbot.catalog import Catalog, Community
from copbot.clock import Clock
from copbot.delivery.ledger import DeliveryLedger
from copbot.directory import Directory
from copbot.finder import Finder
from copbot.glossary import Glossary
from copbot.i18n import Lang
from copbot.meetings import Meetings
from copbot.membership import MembershipService
from copbot.metrics import Metrics
from copbot.notifier import Notifier
from copbot.store import Database
from copbot.work.outbox import Outbox


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


# /readyz: a check's name, its details ({"ok": bool, ...}) and warnings for people.
ReadinessCheck = Callable[[], Awaitable[tuple[str, dict[str, Any], list[str]]]]
# The details card of a community: what a feature adds to it (body elements, buttons), for the
# person (Entra object id) who looks at it, in their language.
DetailsContributor = Callable[
    [Community, Lang, str], tuple[list[dict[str, Any]], list[dict[str, Any]]]
]


@dataclass
class Services:
    catalog: Catalog
    db: Database
    directory: Directory
    clock: Clock
    config: BotConfig
    notifier: Notifier
    metrics: Metrics
    outbox: Outbox
    admins: Admins
    finder: Finder
    glossary: Glossary
    membership: MembershipService
    meetings: Meetings
    deliveries: DeliveryLedger  # every proactive message's outcome
    # Contributions features register in their `setup(services)`.
    readiness: list[ReadinessCheck] = field(default_factory=list)
    details_contributors: list[DetailsContributor] = field(default_factory=list)

    def is_admin(self, person_id: str) -> bool:
        return self.admins.includes(person_id)
