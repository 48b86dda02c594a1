"""Who receives a post, and in which language: a channel post goes to the CoP's channel (in its
channel language), a digest to each focal point (in the language Teams last told us for them)."""

from __future__ import annotations

from copbot.catalog import Catalog
from copbot.i18n import Lang, lang_from_locale
from copbot.meetings.occurrences import Occurrence
from copbot.meetings.schedule import DIGEST
from copbot.store import Database, people

CHANNEL = ""  # the recipient of a channel post


def recipients(kind: str, occurrence: Occurrence, catalog: Catalog) -> list[str]:
    """One recipient per post row: the channel, or each focal point of the CoP for a digest
    (the channel's "" when it has none, so that the missing focal point shows as a failure)."""
    if kind != DIGEST:
        return [CHANNEL]
    community = catalog.get(occurrence.cop_id)
    return (community.focal_point_ids() if community else []) or [CHANNEL]


async def person_lang(db: Database, person_id: str) -> Lang:
    person = await people.get_person(db, person_id)
    return lang_from_locale(person.locale if person else None)
