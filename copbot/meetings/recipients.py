"""Who receives a post, and in which language: a channel post goes to the channel of the
occurrence's series (in the CoP's channel language), a digest to each focal point of the series (in
their own language: `copbot.languages`), a notice to each follower of a practice area's series."""

from __future__ import annotations

from collections.abc import Mapping

from copbot.catalog import Catalog, Community
from copbot.i18n import Lang
from copbot.languages import language_of
from copbot.meetings.occurrences import Occurrence
from copbot.meetings.schedule import DIGEST, NOTICE
from copbot.meetings.series import focal_point_ids
from copbot.store import Database

CHANNEL = ""  # the recipient of a channel post


Followers = Mapping[tuple[str, str], list[str]]


def recipients(
    kind: str, occurrence: Occurrence, catalog: Catalog, followers: Followers | None = None
) -> list[str]:
    """One recipient per post row: the channel, each focal point of the series for a digest
    (the channel's "" when it has none, so that the missing focal point shows as a failure), each
    follower of the series for a notice (none: nothing to post)."""
    if kind == NOTICE:
        return list((followers or {}).get((occurrence.cop_id, occurrence.series), []))
    if kind != DIGEST:
        return [CHANNEL]
    community = catalog.get(occurrence.cop_id)
    return (focal_point_ids(community, occurrence.series) if community else []) or [CHANNEL]


async def person_lang(
    db: Database,
    person_id: str,
    community: Community | None = None,
    *,
    known: str | None = None,
) -> Lang:
    """The reader's language (`copbot.languages`): their last locale, their own or the CoP's
    default."""
    return await language_of(db, person_id, community=community, known=known)
