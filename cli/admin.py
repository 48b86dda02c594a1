"""Admin commands: `copbot import-members` (bulk import of existing members) and `copbot report`
(`--health`: CoP health over the last year)."""

from __future__ import annotations

import asyncio
import csv
import json
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

import app as composition
from copbot.admins import Admins
from copbot.catalog import Catalog, CatalogError
from copbot.clock import SystemClock
from copbot.directory import DirectoryError, DirectoryUnavailable
from copbot.importer import ImportReport, MemberImporter, Outcome, parse_import
from copbot.importer import Progress as ImportProgress
from copbot.meetings.calendar import Calendar
from copbot.meetings.health import HealthReport, build_health
from copbot.reports import AdminReport, build_report
from copbot.store import Database, DatabaseUnavailable

INTERRUPTED = 130  # the shell's code for Ctrl-C


def _fail(message: str, code: int = 2) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def _setup() -> tuple[Any, Catalog]:
    settings = composition.load_settings()
    # The command's own output is the report; logs only for warnings (or everything at DEBUG).
    quiet = settings.log_level.upper() != "DEBUG"
    composition.configure_logging(
        settings.model_copy(update={"log_level": "WARNING"}) if quiet else settings
    )
    problems = composition.check_settings(settings)
    if problems:
        _fail("The settings cannot work:\n" + "\n".join(problems))
    try:
        catalog, _warnings = composition.load_checked_catalog(settings)
    except CatalogError as exc:
        _fail(f"The catalog is not valid:\n{exc}")
    return settings, catalog


# -- import-members ---------------------------------------------------------------------------------


def import_members(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV: email or Entra object id, CoP id, primary (yes/no).",
            exists=True,
            dir_okay=False,
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Look people and groups up; add no one.")
    ] = False,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            help="Name this import: progress is kept under the name, not the file's contents, "
            "so an edited file resumes too.",
        ),
    ] = None,
    report_csv: Annotated[
        Path | None,
        typer.Option("--report", help="Also write each line's outcome to this CSV file."),
    ] = None,
) -> None:
    """Add existing members to their CoPs' groups and record them (primary or secondary).

    People are looked up in batches and added 20 per request; throttling is waited out as
    Microsoft Graph asks. Progress is stored after every request: run the same command again
    after an interruption and the rows done are skipped. Exit code: 0 when every row is done,
    1 when some need attention (bad rows, unknown people, failures), 130 when interrupted.
    """
    settings, catalog = _setup()
    data = file.read_bytes()
    parsed = parse_import(data, catalog, name=name)
    console = Console(stderr=True)
    report = ImportReport(key=parsed.key)
    interrupted = False
    try:
        asyncio.run(_import(settings, catalog, parsed, dry_run, report, console))
    except KeyboardInterrupt:
        interrupted = True
    except DatabaseUnavailable as exc:
        _fail(f"The database is unreachable: {exc}")
    except DirectoryError as exc:
        _fail(f"The directory refused: {exc}")
    _print_import_report(report, Console(), interrupted)
    if report_csv is not None:
        _write_import_csv(report, report_csv)
    if interrupted:
        typer.secho(
            "Interrupted: the rows done so far are saved. Run the same command again to go on.",
            fg=typer.colors.YELLOW,
            err=True,
        )
        raise typer.Exit(INTERRUPTED)
    attention = report.bad or report.of(Outcome.UNKNOWN_PERSON, Outcome.FAILED)
    raise typer.Exit(1 if attention else 0)


async def _import(
    settings: Any,
    catalog: Catalog,
    parsed: Any,
    dry_run: bool,
    report: ImportReport,
    console: Console,
) -> None:
    clock = SystemClock()
    db = Database(settings.effective_database_url)
    directory: Any = None
    ports = composition.SyncPorts()
    credential = composition.build_graph_credential(settings)
    try:
        await db.upgrade()
        directory = composition.build_directory(settings, db, clock, credential)
        ports = composition.build_sync_ports(settings, credential)
        importer = MemberImporter(db, directory, catalog, clock, team_members=ports.team_members)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=False) as bar:
            resolve = bar.add_task("Looking people up", total=None)
            add = bar.add_task("Checking groups" if dry_run else "Adding to groups", total=None)

            def show(event: ImportProgress) -> None:
                if event.stage == "resolve":
                    bar.update(resolve, completed=event.done, total=event.total)
                elif event.stage in {"add", "check"}:
                    bar.update(
                        add,
                        completed=event.done,
                        total=event.total,
                        description=f"{'Checking' if dry_run else 'Adding to'} {event.cop_id}",
                    )
                elif event.stage == "wait":
                    console.print(f"Microsoft Graph asks to wait {event.wait_s:g} s (throttling)")

            await importer.run(parsed, dry_run=dry_run, on_progress=show, report=report)
        for team_id, reason in importer.adder.fell_back.items():
            console.print(f"Team {team_id}: added to its group instead: {reason}", markup=False)
    finally:
        close = getattr(directory, "aclose", None)
        if close is not None:
            await close()
        await ports.aclose()
        if credential is not None:
            await credential.close()
        await db.dispose()


def _print_import_report(report: ImportReport, console: Console, interrupted: bool) -> None:
    counts = report.counts()
    title = "Dry run: nothing was added" if report.dry_run else "Import"
    if interrupted:
        title += " (interrupted)"
    summary = Table(title=title, show_header=False)
    summary.add_column("outcome")
    summary.add_column("rows", justify="right")
    if report.dry_run:
        summary.add_row("would be added", str(counts["would_add"]))
    else:
        summary.add_row("added", str(counts["added"]))
    summary.add_row("already members", str(counts["already_member"]))
    summary.add_row("unknown people", str(counts["unknown_person"]))
    summary.add_row("failed", str(counts["failed"]))
    summary.add_row("bad rows", str(counts["bad_rows"]))
    summary.add_row("done by an earlier run", str(counts["previously_done"]))
    console.print(summary)
    unknown = report.of(Outcome.UNKNOWN_PERSON)
    if unknown:
        console.print("[bold]Unknown people[/bold] (not found in the directory):")
        for result in sorted(unknown, key=lambda r: r.row.line):
            console.print(
                f"  line {result.row.line}: {result.row.person_key} ({result.row.cop_id})"
            )
    failed = report.of(Outcome.FAILED)
    if failed:
        console.print("[bold]Failed[/bold] (run again once the reason is fixed):")
        for result in sorted(failed, key=lambda r: r.row.line):
            console.print(
                f"  line {result.row.line}: {result.row.person_key} ({result.row.cop_id}): "
                f"{result.reason}",
                markup=False,
            )
    if report.bad:
        console.print("[bold]Bad rows[/bold] (fix them and run again):")
        for bad in report.bad:
            console.print(f"  line {bad.line}: {bad.reason}", markup=False)
    notes = [r for r in report.results if r.note]
    if notes:
        console.print("[bold]Notes[/bold]:")
        for result in sorted(notes, key=lambda r: r.row.line):
            console.print(f"  line {result.row.line}: {result.note}", markup=False)


def _write_import_csv(report: ImportReport, path: Path) -> None:
    lines: list[tuple[int, list[str]]] = []
    for result in report.results:
        row = result.row
        lines.append(
            (
                row.line,
                [
                    str(row.line),
                    row.person_key,
                    row.cop_id,
                    row.role,
                    str(result.outcome),
                    result.user_id or "",
                    result.reason or result.note,
                ],
            )
        )
    for row in report.previously_done:
        lines.append(
            (row.line, [str(row.line), row.person_key, row.cop_id, row.role, "done_before", "", ""])
        )
    for bad in report.bad:
        lines.append((bad.line, [str(bad.line), "", "", "", "bad_row", "", bad.reason]))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "person", "cop", "role", "outcome", "user_id", "reason"])
        for _line, values in sorted(lines, key=lambda item: item[0]):
            writer.writerow(values)


# -- report ---------------------------------------------------------------------------------------------


def report(
    directory_counts: Annotated[
        bool,
        typer.Option(
            "--directory",
            help="Also count each CoP group's members in the directory (one request per 999).",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    health: Annotated[
        bool,
        typer.Option(
            "--health",
            help="CoP health over the last year instead: meetings held / planned, recordings, "
            "questions answered, feedback, members joined and left.",
        ),
    ] = False,
) -> None:
    """Members and primaries per CoP, pending requests and their age, people without a primary.

    "People without a primary" are those who talked to the bot and have no primary CoP recorded.
    Figures are CoP Bot's records; --directory adds each CoP group's member count from the
    directory.
    """
    settings, catalog = _setup()
    if health:
        _health_report(settings, catalog, as_json)
        return
    try:
        result = asyncio.run(_report(settings, catalog, directory_counts))
    except DatabaseUnavailable as exc:
        _fail(f"The database is unreachable: {exc}")
    except (DirectoryError, DirectoryUnavailable) as exc:
        _fail(f"The directory could not count group members: {exc}")
    if as_json:
        typer.echo(json.dumps(asdict(result), default=_json_value, indent=2, ensure_ascii=False))
        return
    _print_report(result, catalog, Console())


async def _report(settings: Any, catalog: Catalog, directory_counts: bool) -> AdminReport:
    clock = SystemClock()
    db = Database(settings.effective_database_url)
    directory: Any = None
    credential = composition.build_graph_credential(settings) if directory_counts else None
    try:
        await db.upgrade()
        in_group = None
        if directory_counts:
            directory = composition.build_directory(settings, db, clock, credential)
            in_group = {c.id: len(await directory.list_members(c.group_key)) for c in catalog}
        return await build_report(db, catalog, clock.now(), directory_members=in_group)
    finally:
        close = getattr(directory, "aclose", None)
        if close is not None:
            await close()
        if credential is not None:
            await credential.close()
        await db.dispose()


def _health_report(settings: Any, catalog: Catalog, as_json: bool) -> None:
    async def build() -> HealthReport:
        clock = SystemClock()
        db = Database(settings.effective_database_url)
        try:
            await db.upgrade()
            calendar = Calendar(db=db, catalog=catalog, clock=clock, admins=Admins())
            return await build_health(db, catalog, calendar, clock.now())
        finally:
            await db.dispose()

    try:
        result = asyncio.run(build())
    except DatabaseUnavailable as exc:
        _fail(f"The database is unreachable: {exc}")
    if as_json:
        typer.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        return
    table = Table(title=f"CoP health, {result.start:%Y-%m-%d} to {result.end:%Y-%m-%d}")
    for name in ("CoP", "held / planned", "recordings", "questions answered", "feedback"):
        table.add_column(name, justify="left" if name == "CoP" else "right")
    table.add_column("members +joined / -left", justify="right")
    for cop in result.cops:
        share = "-" if cop.answered_share is None else f"{cop.answered_share:.0%}"
        average = "-" if cop.feedback_average is None else f"{cop.feedback_average:.1f}/5"
        table.add_row(
            catalog.localized_name(cop.cop_id, "en"),
            f"{cop.meetings_held} / {cop.meetings_planned}",
            str(cop.recordings),
            f"{cop.questions_answered} / {cop.questions} ({share})",
            f"{average} ({cop.feedback_count})",
            f"+{cop.members_joined} / -{cop.members_left}",
        )
    Console(width=140).print(table)  # wide enough for six columns also when piped


def _age(age: timedelta | None) -> str:
    if age is None:
        return "-"
    if age >= timedelta(days=1):
        return f"{age.days} d {age.seconds // 3600} h"
    return f"{int(age.total_seconds() // 3600)} h {age.seconds // 60 % 60} min"


def _print_report(result: AdminReport, catalog: Catalog, console: Console) -> None:
    table = Table(title=f"CoP Bot report, {result.at:%Y-%m-%d %H:%M} UTC")
    table.add_column("CoP")
    table.add_column("members", justify="right")
    table.add_column("primary", justify="right")
    with_group = any(c.in_group is not None for c in result.cops)
    if with_group:
        table.add_column("in the group", justify="right")
    table.add_column("pending", justify="right")
    table.add_column("oldest pending", justify="right")
    synced = any(c.last_sync_at or c.focal_points_gone for c in result.cops)
    if synced:
        table.add_column("added outside", justify="right")
        table.add_column("removed outside", justify="right")
        table.add_column("last sync (UTC)")
    for figures in result.cops:
        cells = [
            catalog.localized_name(figures.cop_id, "en"),
            str(figures.members),
            str(figures.primaries),
        ]
        if with_group:
            cells.append("-" if figures.in_group is None else str(figures.in_group))
        cells += [str(figures.pending), _age(figures.oldest_pending)]
        if synced:
            last = (
                f"{figures.last_sync_at:%Y-%m-%d %H:%M} {figures.last_sync_outcome or ''}"
                if figures.last_sync_at
                else "never"
            )
            if figures.focal_points_gone:
                last += ", needs a new focal point"
            cells += [str(figures.added_outside), str(figures.removed_outside), last]
        table.add_row(*cells)
    total = ["All CoPs", str(result.members), str(result.primaries)]
    if with_group:
        total.append(str(sum(c.in_group or 0 for c in result.cops)))
    oldest = max((c.oldest_pending for c in result.cops if c.oldest_pending), default=None)
    total += [str(len(result.pending)), _age(oldest)]
    if synced:
        total += [
            str(sum(c.added_outside for c in result.cops)),
            str(sum(c.removed_outside for c in result.cops)),
            "",
        ]
    table.add_row(*total, style="bold")
    console.print(table)

    console.print(f"[bold]Pending join requests ({len(result.pending)})[/bold], oldest first:")
    for p in result.pending:
        console.print(
            f"  {_age(p.age):>12}  {p.cop_id:<6} {p.role:<9} {p.name or p.person_id} "
            f"({p.person_id}) request {p.request_id}",
            markup=False,
        )
    console.print(
        f"[bold]People without a primary CoP ({len(result.without_primary)} of {result.people} "
        "who talked to the bot)[/bold], most recently seen first:"
    )
    for person in result.without_primary:
        others = f" (secondary: {', '.join(person.cops)})" if person.cops else ""
        who = " ".join(
            part
            for part in (person.name, f"<{person.email}>" if person.email else "", person.person_id)
            if part
        )
        console.print(f"  {who}, last seen {person.last_seen_at:%Y-%m-%d}{others}", markup=False)


def _json_value(value: Any) -> Any:
    if isinstance(value, timedelta):
        return value.total_seconds()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def register(app: typer.Typer) -> None:
    app.command("import-members")(import_members)
    app.command("report")(report)
