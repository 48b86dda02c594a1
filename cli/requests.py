"""`copbot requests` (what is waiting, and why: each approval card's outcome), `copbot deliveries`
(every message not delivered lately, with its reason) and `copbot retry` (drive failed work
again). With `--json` the JSON alone is on stdout (logs go to stderr)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any

import typer

import app as composition
from copbot.catalog import CatalogError
from copbot.i18n import counted
from copbot.services import Services
from copbot.store import DatabaseUnavailable


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


def _days(since: datetime | None, now: datetime) -> str:
    if since is None:
        return ""
    days = (now - since).total_seconds() / 86400
    return counted(Decimal(f"{days:.1f}"), "day")  # "1.0 days", as CLDR counts it


def report_lines(report: dict[str, list[dict[str, Any]]], now: datetime) -> list[str]:
    """The report as a person reads it: three sections, each item with what to do about it."""
    lines = [f"Pending requests ({len(report['pending'])}):"]
    for r in report["pending"]:
        lines.append(
            f"  {r['request_id']}  {r['name'] or r['person_id']} -> {r['cop_id']} ({r['role']}), "
            f"asked {_when(r['created_at'])}, waiting {_days(r['created_at'], now)}"
        )
        if r.get("reach") == "nobody":
            lines.append(
                "    NOBODY WHO MAY DECIDE COULD BE REACHED (no focal point, no admin): decide it "
                "in Teams as an admin, or fix the catalog / grant the install permission and "
                "`copbot retry --all`"
            )
        for card in r.get("cards", []):
            reason = f": {card['reason']}" if card.get("reason") else ""
            lines.append(
                f"    {card['purpose']} card to {card['to']}: {card['state']} "
                f"({_when(card['at'])}){reason}"
            )
    approved = report["approved_not_added"]
    lines.append(f"Approved, not yet in the group ({len(approved)}):")
    for r in approved:
        state = (
            f"outbox #{r['outbox_id']} {r['status']}, {counted(r['attempts'], 'attempt')}, "
            f"next try {_when(r['next_attempt_at'])}"
            if r.get("outbox_id")
            else "no queued work (see the audit log)"
        )
        error = f"; last error: {r['last_error']}" if r.get("last_error") else ""
        lines.append(
            f"  {r['request_id']}  {r['name'] or r['person_id']} -> {r['cop_id']}, approved by "
            f"{r['decided_by']} {_when(r['decided_at'])}; {state}{error}"
        )
    failed = report["failed"]
    lines.append(f"Failed ({len(failed)}):")
    for item in failed:
        payload = item["payload"]
        about = (
            payload.get("request_id") or payload.get("cop_id") or payload.get("occurrence_id") or ""
        )
        lines.append(
            f"  #{item['outbox_id']}  {item['kind']} {about}: {item['last_error']}  "
            f"(copbot retry {item['outbox_id']})"
        )
    return lines


async def _with_services(work: Any) -> Any:
    settings = composition.load_settings()
    composition.configure_logging(settings)  # to stderr: stdout is the command's output
    components = composition.build_components(settings)
    services = components.services
    try:
        await services.db.upgrade()
        return await work(services)
    finally:
        await services.outbox.close()  # work kicked by the command finishes first
        close = getattr(services.directory, "aclose", None)
        if close is not None:
            await close()
        await services.db.dispose()


def _run(work: Any) -> Any:
    try:
        return asyncio.run(_with_services(work))
    except CatalogError as exc:
        typer.secho(f"The catalog is not valid:\n{exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    except composition.StartupError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    except DatabaseUnavailable as exc:
        typer.secho(f"The database is unreachable: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc


def requests(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Join requests waiting for focal points, approved ones not yet in the group, failed work."""

    async def work(services: Services) -> tuple[dict[str, Any], datetime]:
        return await services.membership.reports.requests_report(), services.clock.now()

    report, now = _run(work)
    if as_json:
        typer.echo(json.dumps(report, default=str, indent=2))
        return
    for line in report_lines(report, now):
        typer.echo(line)


def delivery_lines(rows: list[dict[str, Any]], days: float) -> list[str]:
    lines = [f"Messages not delivered in the last {days:g} day(s) ({len(rows)}):"]
    for row in rows:
        reason = f": {row['reason']}" if row.get("reason") else ""
        lines.append(
            f"  {_when(row['updated_at'])}  {row['kind']} to {row['recipient']} "
            f"({row['subject']}): {row['state']}, {row['attempts']} attempt(s){reason}"
        )
    return lines


def deliveries(
    days: Annotated[float, typer.Option("--days", help="How far back to look.")] = 7,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Every proactive message not delivered lately (retrying or undeliverable), with its reason;
    meeting posts that could not reach their channel too."""

    async def work(services: Services) -> list[dict[str, Any]]:
        rows = [row.as_json() for row in await services.deliveries.undelivered(days)]
        since = services.clock.now() - timedelta(days=days)
        rows += await services.meetings.channels.failed_posts(since)
        return sorted(rows, key=lambda row: row["updated_at"], reverse=True)

    rows = _run(work)
    if as_json:
        typer.echo(json.dumps(rows, default=str, indent=2))
        return
    for line in delivery_lines(rows, days):
        typer.echo(line)


def retry(
    ids: Annotated[list[int] | None, typer.Argument(help="Outbox item numbers (#N).")] = None,
    all_failed: Annotated[bool, typer.Option("--all", help="Every failed item.")] = False,
    run: Annotated[
        bool, typer.Option("--run/--no-run", help="Run the queue now, here (default).")
    ] = True,
) -> None:
    """Put failed work (a directory add, a card, a message) back in the queue and run it."""
    if not ids and not all_failed:
        typer.secho("Name the items to retry (see `copbot requests`) or use --all.", err=True)
        raise typer.Exit(2)

    async def work(services: Services) -> tuple[list[int], list[dict[str, Any]]]:
        outbox = services.outbox
        chosen = await outbox.retry_failed(None if all_failed else list(ids or []))
        if run and chosen:
            await outbox.drain()
        report = await services.membership.reports.requests_report()
        return chosen, report["failed"]

    chosen, still = _run(work)
    if not chosen:
        typer.secho("Nothing to retry: no such failed item.", fg=typer.colors.YELLOW)
        raise typer.Exit(1)
    typer.secho(f"Queued again: {', '.join(f'#{i}' for i in chosen)}", fg=typer.colors.GREEN)
    if run:
        failing = [item for item in still if item["outbox_id"] in chosen]
        for item in failing:
            typer.secho(
                f"still failing: #{item['outbox_id']} {item['last_error']}", fg=typer.colors.RED
            )
        if not failing:
            typer.secho("Done (or waiting for its next try; see `copbot requests`).")


def register(app: typer.Typer) -> None:
    app.command("requests")(requests)
    app.command("retry")(retry)
    app.command("deliveries")(deliveries)
