"""Who receives a post, and in which language: a channel post goes to the channel of the
occurrence's series (in the CoP's channel language), a digest to each focal point of the series (in
the language Teams last told us for them), a notice to each follower of a practice area's series."""

from __future__ import annotations

from collections.abc import Mapping

from copbot.catalog import Catalog
from copbot.i18n import Lang, lang_from_locale
from copbot.meetings.occurrences import Occurrence
from copbot.meetings.schedule import DIGEST, NOTICE
from copbot.meetings.series import focal_point_ids
from copbot.store import Database, people

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


async def person_lang(db: Database, person_id: str) -> Lang:
    person = await people.get_person(db, person_id)
    return lang_from_locale(person.locale if person else None)
