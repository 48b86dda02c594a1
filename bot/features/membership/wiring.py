"""The membership feature's place in the bot: its commands and card actions, its part of the
details card, its periodic job. The work itself (cards and messages included) is done by the
domain (`copbot.membership`), whose outbox kinds app.py registers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.triggers.interval import IntervalTrigger

from bot.feature import Feature
from bot.features.membership.decide import approve_action, refresh_action, reject_action
from bot.features.membership.join import cancel_action, join_action, join_command
from bot.features.membership.mine import (
    leave_action,
    leave_command,
    mine_action,
    mine_command,
    primary_action,
    primary_command,
)
from bot.features.membership.words import (
    JOIN_PATTERNS,
    LEAVE_PATTERNS,
    MINE_PATTERNS,
    PRIMARY_PATTERNS,
)
from bot.router import Router
from cards.approval import APPROVE, REFRESH, REJECT
from cards.membership import CANCEL, JOIN, LEAVE, MAKE_PRIMARY, MINE, details_part
from copbot.catalog import Community
from copbot.i18n import Lang
from copbot.services import ReadinessCheck, Services
from scheduler.runner import Job

REMINDERS_INTERVAL_S = 3600
SYNC_JOB = "membership.directory_sync"
SYNC_AFTER_START_S = 60


def details_contributor(
    community: Community, lang: Lang, person_id: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return details_part(community, lang)


def setup(services: Services) -> None:
    services.details_contributors.append(details_contributor)
    services.readiness.append(directory_sync_check(services))


def directory_sync_check(services: Services) -> ReadinessCheck:
    """/readyz: CoPs whose focal point left, failed syncs, Team adds that fell back to the group
    (warnings: the bot still serves)."""

    async def check() -> tuple[str, dict[str, Any], list[str]]:
        membership = services.membership
        warnings = [
            f"team {team_id}: {reason}"
            for team_id, reason in membership.directory_work.team_warnings.reasons.items()
        ]
        if membership.sync is None:
            return "directory_sync", {"ok": True, "enabled": False}, warnings
        warnings = await membership.sync.warnings() + warnings
        return "directory_sync", {"ok": True, "enabled": True}, warnings

    return check


def jobs(services: Services) -> list[Job]:
    soon = datetime.now(UTC) + timedelta(seconds=2)  # after a restart, recall at once
    out = [
        Job(
            "membership.reminders",
            services.membership.reminders.remind_pending,
            IntervalTrigger(seconds=REMINDERS_INTERVAL_S, start_date=soon),
            misfire_grace_time=None,
        ),
    ]
    sync = services.membership.sync
    if sync is not None and sync.groups.settings.interval_hours > 0:
        # Daily by default, and a minute after a start (a deployment restarting more often than
        # daily would otherwise never sync; a run with nothing new costs one request per CoP).
        out.append(
            Job(
                SYNC_JOB,
                sync,
                IntervalTrigger(
                    hours=sync.groups.settings.interval_hours,
                    start_date=datetime.now(UTC) + timedelta(seconds=SYNC_AFTER_START_S),
                ),
                misfire_grace_time=None,
            )
        )
    return out


def register(router: Router) -> None:
    # Before the core "list" (50) and "details" (60); after help (10) and greetings (20).
    router.command("membership.mine", MINE_PATTERNS, mine_command, priority=30)
    router.command("membership.primary", PRIMARY_PATTERNS, primary_command, priority=32)
    router.command("membership.join", JOIN_PATTERNS, join_command, priority=35)
    router.command("membership.leave", LEAVE_PATTERNS, leave_command, priority=36)
    router.action(JOIN, join_action)
    router.action(APPROVE, approve_action)
    router.action(REJECT, reject_action)
    router.action(REFRESH, refresh_action)
    router.action(LEAVE, leave_action)
    router.action(MAKE_PRIMARY, primary_action)
    router.action(CANCEL, cancel_action)
    router.action(MINE, mine_action)


FEATURE = Feature("membership", register, setup=setup, jobs=jobs)
