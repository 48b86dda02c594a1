"""`copbot sync [--dry-run] [--cop X]`: reconcile our membership records with the directory now
(what the periodic job does; copbot/membership/sync_job.py)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

import app as composition
from copbot.catalog import CatalogError
from copbot.membership.sync_job import SyncRun
from copbot.store import DatabaseUnavailable


def sync_lines(run: SyncRun, *, dry_run: bool) -> list[str]:
    """What the run did, as a person reads it."""
    verb = ("would be recorded", "would end") if dry_run else ("recorded", "ended")
    lines = []
    for c in run.cops:
        if c.outcome in {"ok", "dry_run"}:
            kind = "full round" + (" (the stored token was refused)" if c.restarted else "")
            kind = kind if c.full else "changes since the last run"
            lines.append(
                f"{c.cop_id}: {kind}, {c.requests} request(s); added outside: "
                f"{len(c.added_outside)} {verb[0]}, removed outside: {len(c.removed_outside)} "
                f"{verb[1]}" + (f"; {c.in_group} in the group" if c.in_group is not None else "")
            )
        else:
            lines.append(f"{c.cop_id}: {c.outcome}: {c.reason}")
    if run.leavers is not None:
        r = run.leavers
        scope = (
            "every member, requesters and focal points"
            if r.everyone
            else ("requesters and focal points")
        )
        lines.append(
            f"accounts: {r.checked} checked ({scope}); {len(r.left)} disabled or deleted; "
            f"{r.memberships_ended} membership(s) ended, {r.requests_closed} request(s) closed, "
            f"{r.escalated} escalated"
        )
        for cop, ids in sorted(r.focal_points_gone.items()):
            lines.append(f"  {cop}: focal point(s) gone: {', '.join(ids)}: name a new one")
    if run.leavers_error:
        lines.append(f"accounts: not checked: {run.leavers_error}")
    if dry_run:
        lines.append("Dry run: nothing was written and nobody was told.")
    return lines


def sync(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    cop: Annotated[
        list[str] | None, typer.Option("--cop", help="Only this CoP (repeat for several).")
    ] = None,
) -> None:
    """Read each CoP group's membership changes from the directory and make our records match.

    Someone added in Teams becomes a (secondary) member; someone removed stops being one;
    disabled or deleted accounts end their memberships and requests. Nothing is changed in the
    directory. Needs DIRECTORY_MODE=graph.
    """
    settings = composition.load_settings()
    try:
        run = asyncio.run(_sync(settings, cop or None, dry_run))
    except CatalogError as exc:
        typer.secho(f"The catalog is not valid:\n{exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    except DatabaseUnavailable as exc:
        typer.secho(f"The database is unreachable: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    if run is None:
        typer.secho(
            "The directory sync needs DIRECTORY_MODE=graph (local mode has nothing to reconcile).",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(2)
    for line in sync_lines(run, dry_run=dry_run):
        typer.echo(line)
    if not run.ok:
        raise typer.Exit(1)


async def _sync(
    settings: composition.Settings, cop_ids: list[str] | None, dry_run: bool
) -> SyncRun | None:
    components = composition.build_components(settings)
    services = components.services
    try:
        await services.db.upgrade()
        job = services.membership.sync
        if job is None:
            return None
        if cop_ids:
            known = {c.id for c in services.catalog}
            unknown = [c for c in cop_ids if c.upper() not in known]
            if unknown:
                raise typer.BadParameter(
                    f"unknown CoP {', '.join(unknown)}; known: {', '.join(sorted(known))}",
                    param_hint="--cop",
                )
        run = await job.run(cop_ids, dry_run=dry_run)
        await services.outbox.drain()  # the messages the run queued go out now
        return run
    finally:
        await services.outbox.close()
        close = getattr(services.directory, "aclose", None)
        if close is not None:
            await close()
        await components.sync_ports.aclose()
        await services.db.dispose()


def register(app: typer.Typer) -> None:
    app.command("sync")(sync)
