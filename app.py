"""The composition root: reads settings, wires every part, serves HTTP.

Nothing else reads the environment. Tests build the same parts with `build_components(settings,
...)` and replace only what sits outside this machine (the clock, the directory, credentials).
"""

from __future__ import annotations

import ipaddress
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

import structlog
from aiohttp import web
from botframework.connector.auth import ServiceClientCredentialsFactory

from bot.activity_handler import CopBot
from bot.adapter import AdapterConfig, build_adapter
from bot.features import FEATURES, build_router
from bot.proactive import BotNotifier
from bot.route import InboundPolicy
from bot.web import Components
from bot.web import close_components as close_components  # for the CLI commands
from bot.web import create_web_app as web_app
from cards import approval as approval_cards
from cards import meetings as meeting_cards
from cards import membership as membership_cards
from cards import sync as sync_cards
from copbot import logs
from copbot.admins import Admins
from copbot.catalog import Catalog, CatalogError, Problem, check_catalog, load_catalog
from copbot.clock import Clock, SystemClock
from copbot.delivery.ledger import DeliveryLedger
from copbot.delivery.reach import InstallSettings, ReachingNotifier
from copbot.directory import Directory
from copbot.directory_metrics import InstrumentedDirectory
from copbot.finder import Finder
from copbot.i18n import Lang
from copbot.installer import AppInstaller
from copbot.meetings import Meetings
from copbot.meetings.schedule import PostPolicy
from copbot.membership import MembershipService, MembershipSettings
from copbot.membership.delivery import NextMeeting
from copbot.membership.sync import CopSync, SyncObserver, SyncSettings
from copbot.membership.sync_ports import SyncPorts
from copbot.metrics import Metrics
from copbot.retention import RetentionPolicy
from copbot.services import BotConfig, ReadinessCheck, Services
from copbot.store import Database, DatabaseUnavailable
from copbot.work.outbox import Outbox
from copbot.work.pace import Pace
from copbot.work.paced_notifier import PacedNotifier
from graph.local_directory import LocalDirectory
from graph.local_teamwork import LocalAppInstaller
from scheduler.jobs import outbox_job, outbox_metrics, retention_job
from scheduler.runner import JobRunner
from settings import DirectoryMode, LogFormat, Settings

if TYPE_CHECKING:
    from graph.credential import GraphCredential

log = structlog.get_logger("copbot.app")


class StartupError(Exception):
    """The server cannot start; the message says why and what to do."""


def configure_logging(
    settings: Settings, stream: TextIO | None = None, *, cache: bool = True
) -> None:
    """Structured logs at LOG_LEVEL in LOG_FORMAT, to `stream` (stderr); copbot/logs.py."""
    logs.configure(
        settings.log_level,
        as_json=settings.log_format == LogFormat.JSON,
        stream=stream,
        cache=cache,
    )


def load_settings(**overrides: Any) -> Settings:
    return Settings(**overrides)


def load_checked_catalog(settings: Settings) -> tuple[Catalog, list[Problem]]:
    """The catalog and its warnings; raises CatalogError when anything is an error."""
    catalog = load_catalog(settings.catalog_path, settings.catalog_overlay_path)
    problems = check_catalog(catalog, graph_mode=settings.directory_mode == DirectoryMode.GRAPH)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CatalogError(errors)
    return catalog, problems


def is_loopback(host: str) -> bool:
    """Whether `host` accepts connections from this machine only."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[] ")).is_loopback
    except ValueError:  # a host name, "" or "0.0.0.0"-like wildcards: reachable from outside
        return False


def unauthenticated_problem(settings: Settings, host: str) -> str | None:
    """Why the server must not serve unauthenticated on `host`, or None when it may."""
    if not settings.local_mode or is_loopback(host) or settings.allow_unauthenticated:
        return None
    return (
        f"no MICROSOFT_APP_ID is set, so every request would be unauthenticated, and HOST={host!r} "
        "is reachable from other machines: anyone who reaches it could act as any person. Set "
        "MICROSOFT_APP_ID (and its password and tenant), listen on 127.0.0.1, or set "
        "ALLOW_UNAUTHENTICATED=true if you really mean it"
    )


def check_settings(settings: Settings) -> list[str]:
    """Settings that cannot work together, as sentences for a person to fix."""
    problems = []
    unauthenticated = unauthenticated_problem(settings, settings.host)
    if unauthenticated:
        problems.append(unauthenticated)
    if settings.microsoft_app_id and settings.microsoft_app_type.lower() == "singletenant":
        if not settings.microsoft_app_password.get_secret_value():
            problems.append("MICROSOFT_APP_PASSWORD is required when MICROSOFT_APP_ID is set")
        if not settings.microsoft_app_tenant_id:
            problems.append("MICROSOFT_APP_TENANT_ID is required for a SingleTenant bot")
    if settings.directory_mode == DirectoryMode.GRAPH:
        problems += settings.graph_credential_config().problems()
    return problems


def build_graph_credential(settings: Settings) -> GraphCredential | None:
    """The one credential of every Graph client (Graph mode); closed at shutdown."""
    if settings.directory_mode == DirectoryMode.LOCAL:
        return None
    from graph.credential import GraphCredential

    return GraphCredential(settings.graph_credential_config())


def build_sync_ports(settings: Settings, credential: GraphCredential | None) -> SyncPorts:
    if credential is None:
        return SyncPorts()
    from graph.factory import graph_sync_ports

    return SyncPorts(*graph_sync_ports(credential, settings.graph_base_url))


def sync_metrics(metrics: Metrics) -> SyncObserver:
    def observe(result: CopSync) -> None:
        kind = "full" if result.full else "delta"
        metrics.sync_runs.labels(outcome=result.outcome, kind=kind).inc()
        metrics.sync_requests.inc(result.requests)
        if result.outcome == "ok":
            metrics.sync_changes.labels(change="added_outside").inc(len(result.added_outside))
            metrics.sync_changes.labels(change="removed_outside").inc(len(result.removed_outside))

    return observe


def build_directory(
    settings: Settings, db: Database, clock: Clock, credential: GraphCredential | None
) -> Directory:
    if credential is None:
        return LocalDirectory(db, clock)
    from graph.directory import GraphDirectory

    return GraphDirectory.create(credential, settings.graph_base_url)


def build_installer(settings: Settings, credential: GraphCredential | None) -> AppInstaller:
    """Graph's app installer in Graph mode with PROACTIVE_INSTALL on; else local mode's."""
    if credential is None or not settings.proactive_install:
        return LocalAppInstaller()
    from graph.installs import GraphAppInstaller

    return GraphAppInstaller.create(credential, settings.graph_base_url)


def build_components(
    settings: Settings,
    *,
    clock: Clock | None = None,
    directory: Directory | None = None,
    installer: AppInstaller | None = None,
    credentials_factory: ServiceClientCredentialsFactory | None = None,
    adapter_overrides: dict[str, str] | None = None,
    sync_ports: SyncPorts | None = None,
    graph_credential: GraphCredential | None = None,
) -> Components:
    """`directory` / `sync_ports` / `graph_credential`: given by tests (on the Graph fake and the
    login double); built from settings otherwise."""
    problems = check_settings(settings)
    if problems:
        raise StartupError("\n".join(problems))
    catalog, catalog_problems = load_checked_catalog(settings)
    clock = clock or SystemClock()
    db = Database(settings.effective_database_url)
    # One Graph credential for every Graph client; none when tests give them all.
    needs_graph = directory is None or (installer is None and settings.proactive_install)
    if graph_credential is None and needs_graph:
        graph_credential = build_graph_credential(settings)
    local = settings.local_mode
    metrics = Metrics()
    adapter_config = AdapterConfig(
        APP_ID=settings.microsoft_app_id,
        APP_PASSWORD=settings.microsoft_app_password.get_secret_value(),
        APP_TYPE="MultiTenant" if local else settings.microsoft_app_type,
        APP_TENANTID=settings.microsoft_app_tenant_id,
    )
    if not local:
        adapter_config = adapter_config.with_endpoints(
            openid_metadata_url=settings.bot_openid_metadata_url,
            token_issuer=settings.bot_token_issuer,
            login_url=settings.bot_login_url,
            oauth_scope=settings.bot_oauth_scope,
        )
    adapter = build_adapter(
        replace(adapter_config, **(adapter_overrides or {})),
        credentials_factory,
        metrics,
    )
    # Every proactive send of the process goes through one pace (Teams' rate limits) and
    # confirms the lease of the work it belongs to (copbot/work/paced_notifier.py); a person
    # who never opened the bot gets the app installed first (copbot/delivery/reach.py), and
    # the send after the installation is paced too.
    notifier = ReachingNotifier(
        PacedNotifier(
            BotNotifier(
                adapter,
                db,
                clock,
                app_id=settings.microsoft_app_id,
                tenant_id=settings.microsoft_app_tenant_id,
            ),
            Pace(clock, tenant_rate=settings.teams_sends_per_second),
        ),
        installer or build_installer(settings, graph_credential),
        InstallSettings(
            enabled=settings.proactive_install,
            manifest_id=settings.teams_app_id or settings.microsoft_app_id,
            catalog_id=settings.teams_app_catalog_id,
        ),
    )
    deliveries = DeliveryLedger(db, clock, count=metrics.count_send)
    config = BotConfig(
        local_mode=local,
        app_id=settings.microsoft_app_id,
        tenant_id=settings.microsoft_app_tenant_id,
        public_base_url=settings.public_base_url,
        admin_ids=tuple(settings.admin_id_list),
        skills_profile_url=settings.skills_profile_url,
        request_reminder_days=settings.request_reminder_days,
        request_escalation_days=settings.request_escalation_days,
        meetings_announce_days=settings.meetings_announce_days,
        meetings_digest_hours=settings.meetings_digest_hours,
        meetings_day_reminder=settings.meetings_day_reminder,
        meetings_tick_seconds=settings.meetings_tick_seconds,
    )
    admins = Admins.of(settings.admin_id_list)
    if sync_ports is None:
        sync_ports = (
            build_sync_ports(settings, graph_credential) if directory is None else SyncPorts()
        )
    directory = InstrumentedDirectory(
        directory or build_directory(settings, db, clock, graph_credential), metrics
    )
    outbox = Outbox(db, clock)
    finder = Finder.of(catalog)
    meetings = Meetings.build(
        db=db,
        catalog=catalog,
        clock=clock,
        notifier=notifier,
        metrics=metrics,
        cards=meeting_cards,
        admins=admins,
        policy=PostPolicy(
            announce_days=settings.meetings_announce_days,
            digest_hours=settings.meetings_digest_hours,
            day_reminder=settings.meetings_day_reminder,
        ),
        base_url=settings.public_base_url,
        outbox=outbox,
        followup_cards=meeting_cards,
        ledger=deliveries,
    )
    membership = MembershipService.build(
        db=db,
        catalog=catalog,
        directory=directory,
        clock=clock,
        outbox=outbox,
        admins=admins,
        notifier=notifier,
        approval_cards=approval_cards,
        welcome_cards=membership_cards,
        settings=MembershipSettings(
            reminder_days=settings.request_reminder_days,
            escalation_days=settings.request_escalation_days,
        ),
        next_meeting=next_meeting_of(meetings),
        skills_profile_url=settings.skills_profile_url,
        group_delta=sync_ports.group_delta,
        accounts=sync_ports.accounts,
        team_members=sync_ports.team_members,
        sync_cards=sync_cards,
        sync_settings=SyncSettings(
            interval_hours=settings.directory_sync_hours,
            account_check_days=settings.account_check_days,
        ),
        sync_observers=[sync_metrics(metrics)],
        ledger=deliveries,
    )
    membership.register(outbox)
    meetings.followups.register(outbox)
    services = Services(
        catalog=catalog,
        db=db,
        directory=directory,
        clock=clock,
        config=config,
        notifier=notifier,
        metrics=metrics,
        outbox=outbox,
        admins=admins,
        finder=finder,
        glossary=finder.glossary,
        membership=membership,
        meetings=meetings,
        deliveries=deliveries,
    )
    services.readiness.append(notifier.readiness)
    services.readiness.append(unreached_readiness(membership))
    if graph_credential is not None:
        from graph.factory import credential_readiness

        services.readiness.append(credential_readiness(graph_credential, settings.graph_base_url))
    metrics.add_refresher(outbox_metrics(outbox))
    runner = JobRunner()
    runner.add(outbox_job(outbox))
    if settings.retention_days:
        runner.add(retention_job(db, clock, retention_policy(settings)))
    for feature in FEATURES:
        feature.setup(services)
        for job in feature.jobs(services):
            runner.add(job)
    router = build_router()
    return Components(
        settings=settings,
        services=services,
        router=router,
        bot=CopBot(router, services),
        adapter=adapter,
        runner=runner,
        catalog_problems=catalog_problems,
        sync_ports=sync_ports,
        graph_credential=graph_credential,
    )


def unreached_readiness(membership: MembershipService) -> ReadinessCheck:
    """/readyz names the join requests that reached nobody who may decide."""

    async def check() -> tuple[str, dict[str, Any], list[str]]:
        stuck = await membership.reports.unreached_requests()
        warnings = (
            [
                f"warning: membership: {len(stuck)} pending join request(s) reached nobody who "
                "may decide (no focal point, no admin could be reached through Teams); see "
                "`copbot requests`"
            ]
            if stuck
            else []
        )
        return "requests_reach", {"ok": True, "unreached_requests": stuck}, warnings

    return check


def next_meeting_of(meetings: Meetings) -> NextMeeting:
    """The welcome's "next meeting" line, from the meetings feature."""

    async def next_meeting(cop_id: str, lang: Lang) -> tuple[str, datetime] | None:
        occurrence = await meetings.calendar.next_occurrence(cop_id, "")  # its CoP-wide one
        return (occurrence.title_in(lang), occurrence.starts_at) if occurrence else None

    return next_meeting


def retention_policy(settings: Settings) -> RetentionPolicy:
    return RetentionPolicy(
        days=settings.retention_days, audit_days=settings.audit_retention_days or 36500
    )


def inbound_policy(settings: Settings) -> InboundPolicy:
    single_tenant = settings.microsoft_app_type.lower() == "singletenant"
    return InboundPolicy(
        production=not settings.local_mode,
        tenant_id=settings.microsoft_app_tenant_id if single_tenant else None,
    )


def create_web_app(components: Components) -> web.Application:
    """The aiohttp app of these components (bot/web.py), with the inbound policy of the settings."""
    return web_app(components, inbound_policy(components.settings))


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Run the server until SIGINT/SIGTERM; raises StartupError or CatalogError when it cannot."""
    configure_logging(settings)
    host = host or settings.host
    refusal = unauthenticated_problem(settings, host)
    if refusal:
        raise StartupError(refusal)
    components = build_components(settings.model_copy(update={"host": host}))
    if settings.local_mode and not is_loopback(host):
        log.warning(
            "app.unauthenticated",
            host=host,
            warning="ALLOW_UNAUTHENTICATED=true and no MICROSOFT_APP_ID: requests are NOT "
            "authenticated; anyone who reaches this server can act as any person",
        )
    for problem in components.catalog_problems:
        log.warning("catalog.warning", problem=str(problem))
    app = create_web_app(components)
    try:
        web.run_app(
            app,
            host=host,
            port=port or settings.port,
            print=None,
            access_log=None,
            shutdown_timeout=10,
        )
    except DatabaseUnavailable as exc:
        raise StartupError(f"the database is unreachable: {exc}") from exc
