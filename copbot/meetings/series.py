"""Practice areas' meeting series: which series a person names ("LHS Finance", "finances de LHS"),
who manages one, and who follows one (people who asked for its announcements, kept per person).

A community's CoP-wide meetings are its series "" (every member sees them in the CoP's channel);
a practice area's series (`MeetingSeries` in the catalog) is announced in its own channel and to
each of its followers in their chat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlalchemy import delete, select

from copbot.catalog import Catalog, Community, MeetingSeries
from copbot.clock import Clock
from copbot.i18n import LANGS, Lang, fold
from copbot.store import Database
from copbot.store.meetings_models import MeetingFollower
from copbot.store.models import AuditEntry
from copbot.store.results import rows_changed
from copbot.store.upsert import insert_ignore

log = structlog.get_logger(__name__)


def focal_point_ids(community: Community, series: str = "") -> list[str]:
    """Who manages a series: the community's focal points and the series' own."""
    own = community.series_of(series)
    extra = [fp.aad_object_id for fp in own.focal_points if fp.aad_object_id] if own else []
    return [
        *community.focal_point_ids(),
        *(i for i in extra if i not in community.focal_point_ids()),
    ]


def _names(community: Community, series: MeetingSeries) -> list[str]:
    """Every way to name a series, folded: its key, titles and aliases, with and without the CoP."""
    names = [series.key, series.key.replace("-", " ")]
    names += [series.title.get(lang) for lang in LANGS]
    names += [alias for _, alias in series.aliases.all()]
    found = set()
    for name in names:
        folded = " ".join(re.sub(r"[^a-z0-9' -]", " ", fold(name)).split())
        found.add(folded)
        cop = community.id.lower()
        found.add(" ".join(re.sub(rf"(?<![a-z0-9]){cop}(?![a-z0-9])", " ", folded).split()))
    return sorted(found, key=len, reverse=True)


def find_series(catalog: Catalog, words: str) -> tuple[Community | None, MeetingSeries | None]:
    """The community and series a person names: "LHS Finance", "Finance LHS", "finances de LHS",
    "LHS rights and protection". (community, None) when the community is named but no series."""
    text = " ".join(re.sub(r"[^a-z0-9' -]", " ", fold(words)).split())
    community = catalog.resolve(words)
    candidates = [community] if community else [c for c in catalog if c.series]
    for c in candidates:
        rest = re.sub(rf"(?<![a-z0-9]){re.escape(c.id.lower())}(?![a-z0-9])", " ", text)
        rest = " ".join(rest.split())
        for series in c.series:
            for name in _names(c, series):
                if re.search(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", rest):
                    return c, series
    return community, None


def series_list(community: Community, lang: Lang) -> str:
    return ", ".join(s.title.get(lang) for s in community.series)


@dataclass(frozen=True)
class Following:
    cop_id: str
    series: str
    followed_at: datetime


class Followers:
    """Who follows which practice area's series (a row per person and series)."""

    def __init__(self, *, db: Database, clock: Clock):
        self.db = db
        self.clock = clock

    async def follow(self, person_id: str, cop_id: str, series: str) -> bool:
        """True when the person did not follow it yet."""
        now = self.clock.now()
        async with self.db.session() as session:
            added = await insert_ignore(
                session,
                MeetingFollower.__table__,
                {
                    "person_id": person_id[:64],
                    "cop_id": cop_id,
                    "series": series,
                    "followed_at": now,
                },
                keys=["person_id", "cop_id", "series"],
            )
            if added:
                session.add(
                    AuditEntry(
                        at=now,
                        actor=person_id[:64],
                        action="meetings.series_followed",
                        subject=f"{cop_id}:{series}",
                        details={},
                    )
                )
        log.info("meetings.series_followed", cop_id=cop_id, series=series, new=added)
        return added

    async def unfollow(self, person_id: str, cop_id: str, series: str) -> bool:
        """True when the person followed it."""
        async with self.db.session() as session:
            result = await session.execute(
                delete(MeetingFollower).where(
                    (MeetingFollower.person_id == person_id[:64])
                    & (MeetingFollower.cop_id == cop_id)
                    & (MeetingFollower.series == series)
                )
            )
            removed = rows_changed(result) == 1
            if removed:
                session.add(
                    AuditEntry(
                        at=self.clock.now(),
                        actor=person_id[:64],
                        action="meetings.series_unfollowed",
                        subject=f"{cop_id}:{series}",
                        details={},
                    )
                )
        log.info("meetings.series_unfollowed", cop_id=cop_id, series=series, removed=removed)
        return removed

    async def followed_by(self, person_id: str) -> list[Following]:
        async with self.db.session() as session:
            rows = await session.scalars(
                select(MeetingFollower)
                .where(MeetingFollower.person_id == person_id[:64])
                .order_by(MeetingFollower.cop_id, MeetingFollower.series)
            )
            return [Following(r.cop_id, r.series, r.followed_at) for r in rows]

    async def of_series(self, cop_id: str, series: str) -> list[str]:
        """The followers' ids, in the order they followed."""
        async with self.db.session() as session:
            rows = await session.scalars(
                select(MeetingFollower.person_id)
                .where((MeetingFollower.cop_id == cop_id) & (MeetingFollower.series == series))
                .order_by(MeetingFollower.followed_at, MeetingFollower.person_id)
            )
            return list(rows)

    async def all(self) -> dict[tuple[str, str], list[str]]:
        """{(CoP id, series key): followers' ids} for every followed series (one read a tick)."""
        async with self.db.session() as session:
            rows = await session.execute(
                select(
                    MeetingFollower.cop_id, MeetingFollower.series, MeetingFollower.person_id
                ).order_by(MeetingFollower.followed_at, MeetingFollower.person_id)
            )
            found: dict[tuple[str, str], list[str]] = {}
            for cop_id, series, person_id in rows:
                found.setdefault((cop_id, series), []).append(person_id)
            return found
