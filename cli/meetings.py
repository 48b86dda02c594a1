"""`copbot meetings ...`: list, skip, restore, move, theme, add (add-event), follow-up, post-now, tick.

Each command builds the app's parts through the composition root (the same settings, database and
bot adapter as the server), so `post-now` sends proactive messages exactly as the server's tick
does, with the same claim in the database: it cannot double a post the server already made.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import typer

import app as composition
from copbot import formats
from copbot.catalog import CatalogError
from copbot.meetings import Meetings, MeetingsError
from copbot.meetings.dates import short_local, when_utc
from copbot.meetings.occurrences import Occurrence
from copbot.meetings.schedule import KINDS
from copbot.store import DatabaseUnavailable

meetings_app = typer.Typer(
    help="CoP meetings: upcoming occurrences, skip / move / theme one, add events, post now.",
    no_args_is_help=True,
)
ACTOR = "cli"
FORMAT_HELP = f"The event's format: {', '.join(formats.FORMATS)} (default: the series' own)."
SERIES_HELP = "A practice area's series key (e.g. finance); the CoP-wide meetings when left out."


def fail(message: str, code: int = 2) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def run(work: Callable[[Meetings], Awaitable[Any]], *, drain_outbox: bool = False) -> Any:
    """Run `work` with the meetings services of a fully built app (database migrated);
    `drain_outbox`: then send what it queued (what the server would send at once)."""
    settings = composition.load_settings()
    composition.configure_logging(settings)

    async def main() -> Any:
        components = composition.build_components(settings)
        services = components.services
        try:
            await services.db.upgrade()
            result = await work(services.meetings)
            if drain_outbox:
                await services.outbox.drain()
            return result
        finally:  # the connector's and Graph's HTTP sessions too: no "Unclosed client session"
            await composition.close_components(components, started=False)

    try:
        return asyncio.run(main())
    except CatalogError as exc:
        fail(f"The catalog is not valid:\n{exc}")
    except composition.StartupError as exc:
        fail(f"Cannot start: {exc}")
    except DatabaseUnavailable as exc:
        fail(f"The database is unreachable: {exc}")
    except MeetingsError as exc:
        fail(exc.text("en"), 1)


def parse_local(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value.strip().replace(" ", "T", 1))
    except ValueError:
        fail(f"Give a local date and time like 2026-12-15 14:00, not {value!r}.")
        raise  # unreachable: fail exits


def describe(occ: Occurrence) -> str:
    status = {"skipped": "CANCELLED", "moved": "moved", "scheduled": "scheduled"}[occ.status]
    line = (
        f"{occ.id}  {short_local(occ.starts_at, occ.time_zone, 'en')}"
        f"  ({when_utc(occ.starts_at, 'en')})  [{status}]  {occ.title}"
    )
    if occ.series or occ.format != formats.MEETING:
        line += f"  ({occ.format_in('en')})"
    return line + (f"  - theme: {occ.theme}" if occ.theme else "")


@meetings_app.command("list")
def list_(
    cop: str = typer.Argument(None, help="A CoP id (UBS); all CoPs when left out."),
    days: int = typer.Option(92, help="How far ahead to look, in days."),
) -> None:
    """Upcoming occurrences with their status and the state of each post."""

    async def work(service: Meetings) -> list[str]:
        cop_ids = [service.calendar.community(cop).id] if cop else None
        occurrences = await service.calendar.upcoming(days=days, cop_ids=cop_ids)
        posts = await service.posting.posts([o.id for o in occurrences])
        lines = []
        for cop_id, why in (await service.channels.problems()).items():
            if cop_ids is None or cop_id.split("/")[0] in cop_ids:
                lines.append(f"warning: {cop_id}: {why}: announcements cannot be posted")
        for occ in occurrences:
            lines.append(describe(occ))
            rows = {(r.kind, r.recipient): r for r in posts.get(occ.id, [])}
            for kind in service.posting.policy.kinds():
                mine = [r for (k, _), r in rows.items() if k == kind]
                if not mine:
                    if not occ.skipped:
                        when = short_local(
                            service.posting.post_time(kind, occ), occ.time_zone, "en"
                        )
                        lines.append(f"    {kind}: planned {when}")
                    continue
                for row in mine:
                    to = f" to {row.recipient}" if row.recipient else ""
                    at = f" {short_local(row.sent_at, occ.time_zone, 'en')}" if row.sent_at else ""
                    reason = f" ({row.reason})" if row.reason else ""
                    lines.append(f"    {kind}{to}: {row.status}{at}{reason}")
            for (kind, _), row in rows.items():
                if kind.startswith("change"):
                    lines.append(f"    {kind}: {row.status}")
        return lines or ["No upcoming meeting."]

    for line in run(work):
        typer.echo(line)


@meetings_app.command()
def skip(
    cop: str = typer.Argument(..., help="The CoP id, e.g. UBS."),
    occurrence: str = typer.Option("next", help="An occurrence id (see `list`), or next."),
    series: str = typer.Option("", help=SERIES_HELP),
) -> None:
    """Cancel one occurrence (the channel is told if it was announced)."""

    async def work(service: Meetings) -> Occurrence:
        return await service.editing.skip(
            await service.calendar.resolve(cop, occurrence, series=series), ACTOR
        )

    typer.secho(f"Cancelled: {describe(run(work))}", fg=typer.colors.GREEN)


@meetings_app.command()
def restore(
    cop: str = typer.Argument(..., help="The CoP id, e.g. UBS."),
    occurrence: str = typer.Option(..., help="The occurrence id (see `list`)."),
) -> None:
    """Undo a skip or a move: the occurrence is back as its cadence has it."""

    async def work(service: Meetings) -> Occurrence:
        return await service.editing.restore(await service.calendar.resolve(cop, occurrence), ACTOR)

    typer.secho(f"Restored: {describe(run(work))}", fg=typer.colors.GREEN)


@meetings_app.command()
def move(
    cop: str = typer.Argument(..., help="The CoP id, e.g. UBS."),
    to: str = typer.Option(..., help="New local date and time in the CoP's zone: 2026-12-15 14:00"),
    occurrence: str = typer.Option("next", help="An occurrence id (see `list`), or next."),
    series: str = typer.Option("", help=SERIES_HELP),
) -> None:
    """Move one occurrence (by at most about three months)."""
    local = parse_local(to)

    async def work(service: Meetings) -> Occurrence:
        return await service.editing.move(
            await service.calendar.resolve(cop, occurrence, series=series), local, ACTOR
        )

    typer.secho(f"Moved: {describe(run(work))}", fg=typer.colors.GREEN)


@meetings_app.command()
def theme(
    cop: str = typer.Argument(..., help="The CoP id, e.g. UBS."),
    text: str = typer.Argument(..., help="The theme or agenda of that occurrence."),
    occurrence: str = typer.Option("next", help="An occurrence id (see `list`), or next."),
    series: str = typer.Option("", help=SERIES_HELP),
) -> None:
    """Give one occurrence a theme (shown on its announcement and in the calendar)."""

    async def work(service: Meetings) -> Occurrence:
        return await service.editing.set_theme(
            await service.calendar.resolve(cop, occurrence, series=series), text, ACTOR
        )

    typer.secho(f"Theme set: {describe(run(work))}", fg=typer.colors.GREEN)


def _add(
    cop: str, title: str, at: str, duration: int, theme: str, series: str, format_: str
) -> None:
    local = parse_local(at)
    if format_:
        try:
            format_ = formats.check(format_)
        except formats.UnknownFormat:
            fail(f"--format is one of {', '.join(formats.FORMATS)}, not {format_!r}.")

    async def work(service: Meetings) -> Occurrence:
        return await service.editing.add_event(
            cop,
            title,
            local,
            duration_minutes=duration,
            theme=theme,
            series=series.strip().lower(),
            format_=format_ or None,
            by=ACTOR,
        )

    typer.secho(f"Added: {describe(run(work))}", fg=typer.colors.GREEN)


@meetings_app.command("add")
def add(
    cop: str = typer.Option(..., "--cop", help="The CoP id, e.g. LHS."),
    at: str = typer.Option(..., help="Local start in the series' zone: 2026-12-03 15:00"),
    series: str = typer.Option("", help=SERIES_HELP),
    format_: str = typer.Option("", "--format", help=FORMAT_HELP),
    title: str = typer.Option("", help="A title; by default the series' name and the format."),
    duration: int = typer.Option(60, help="Minutes."),
    theme_: str = typer.Option("", "--theme", help="A theme or agenda."),
) -> None:
    """Add a one-off event (a workshop, a webinar...): announced, in the calendar, with questions."""
    _add(cop, title, at, duration, theme_, series, format_)


@meetings_app.command("add-event")
def add_event(
    cop: str = typer.Argument(..., help="The CoP id, e.g. UBS."),
    title: str = typer.Option(..., help="The event's title, e.g. 'Webinar: water operators'."),
    at: str = typer.Option(..., help="Local start in the CoP's zone: 2026-12-03 15:00"),
    duration: int = typer.Option(60, help="Minutes."),
    theme_: str = typer.Option("", "--theme", help="A theme or agenda."),
    series: str = typer.Option("", help=SERIES_HELP),
    format_: str = typer.Option("", "--format", help=FORMAT_HELP),
) -> None:
    """Add a one-off event (webinar, training): announced, in the calendar, with questions."""
    _add(cop, title, at, duration, theme_, series, format_)


@meetings_app.command("follow-up")
def follow_up(
    cop: str = typer.Option(..., "--cop", help="The CoP id, e.g. UBS."),
    recording: str = typer.Option("", help="The recording's https:// link."),
    material: list[str] = typer.Option(  # noqa: B008 - typer's way of a repeated option
        [], "--material", help="Another material's https:// link (repeat for more)."
    ),
    summary: str = typer.Option("", help="A short summary: the key points."),
    occurrence: str = typer.Option(
        "last", help="An occurrence id (see `list`), or last: the latest meeting held."
    ),
) -> None:
    """After a meeting: share its recording, materials and summary (posted in the announcement's
    thread with the feedback card, added to the calendar feeds, the askers told)."""

    async def work(service: Meetings) -> Any:
        occ = (
            await service.followups.last_held(cop)
            if occurrence == "last"
            else await service.calendar.resolve(cop, occurrence)
        )
        saved = await service.followups.add(
            occ,
            ACTOR,
            recording=recording or None,
            materials=material,
            summary=summary or None,
            trusted=True,
        )
        return occ, saved

    occ, saved = run(work, drain_outbox=True)
    typer.secho(
        f"Follow-up shared (version {saved.version}): {describe(occ)}", fg=typer.colors.GREEN
    )
    if saved.recording_url:
        typer.echo(f"  recording: {saved.recording_url}")
    for link in saved.material_urls:
        typer.echo(f"  material:  {link}")
    if saved.summary:
        typer.echo(f"  summary:   {saved.summary}")


@meetings_app.command("post-now")
def post_now(
    cop: str = typer.Argument(..., help="The CoP id, e.g. UBS."),
    kind: str = typer.Option("announcement", help="announcement, reminder or digest."),
    occurrence: str = typer.Option("next", help="An occurrence id (see `list`), or next."),
    again: bool = typer.Option(False, "--again", help="Post even if it was already posted."),
    series: str = typer.Option("", help=SERIES_HELP),
) -> None:
    """Post now instead of at its time (once: a post already made is not repeated)."""
    if kind not in KINDS:
        fail(f"--kind is one of {', '.join(KINDS)}, not {kind!r}.")

    async def work(service: Meetings) -> Any:
        return await service.posting.post_now(cop, kind, occurrence, again=again, series=series)

    report = run(work)
    for label in report.sent:
        typer.secho(f"posted: {label}", fg=typer.colors.GREEN)
    for label in report.skipped:
        typer.secho(f"not posted: {label} (nothing to post)", fg=typer.colors.YELLOW)
    for label in report.failed:
        typer.secho(f"failed: {label} (see the log; it is tried again)", fg=typer.colors.RED)
    if not (report.sent or report.skipped or report.failed):
        typer.secho(
            f"Already posted (or being posted): {kind} of {cop}. Use --again to post once more.",
            fg=typer.colors.YELLOW,
        )
    if report.failed:
        raise typer.Exit(1)


@meetings_app.command()
def tick() -> None:
    """Send what is due now, once (what the server does every MEETINGS_TICK_SECONDS)."""

    async def work(service: Meetings) -> Any:
        return await service.posting.tick()

    report = run(work)
    typer.echo(
        f"sent {len(report.sent)}, failed {len(report.failed)}, skipped {len(report.skipped)}"
    )
    for label in report.sent:
        typer.echo(f"posted: {label}")


def register(app: typer.Typer) -> None:
    app.add_typer(meetings_app, name="meetings")
