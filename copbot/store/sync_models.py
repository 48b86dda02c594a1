"""The directory sync's state per CoP: Graph's delta token, who holds the sync, what it found.

One row per CoP (`cop_id`); a special row per job that is not a CoP's (`~accounts`: the weekly
check of every member's account). The row is also the claim: a run takes it with a conditional
UPDATE of `lease_owner` / `lease_until` (free, or its lease expired), so one instance syncs a CoP
at a time, and it writes the new token only while it still holds it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from copbot.store.base import Base


class DirectorySync(Base):
    __tablename__ = "directory_syncs"

    cop_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    group_id: Mapped[str] = mapped_column(String(128), default="")
    # Graph's @odata.deltaLink of the last round (opaque); None: the next round is a full one.
    delta_token: Mapped[str | None] = mapped_column(Text)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    last_started_at: Mapped[datetime | None]
    last_finished_at: Mapped[datetime | None]
    last_outcome: Mapped[str | None] = mapped_column(String(16))  # ok | failed
    last_error: Mapped[str | None] = mapped_column(String(500))
    in_group: Mapped[int | None] = mapped_column(Integer)  # members of the group, last known
    added_outside: Mapped[int] = mapped_column(Integer, default=0)  # in total, since the first
    removed_outside: Mapped[int] = mapped_column(Integer, default=0)
    # Focal points whose account is disabled or gone (comma-separated ids); "" = none.
    focal_points_gone: Mapped[str] = mapped_column(String(1000), default="")
