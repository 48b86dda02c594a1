"""CoP Bot admins (ADMIN_IDS): who may decide any request and see reports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Admins:
    """Entra object ids, compared case-insensitively."""

    ids: tuple[str, ...] = ()

    @classmethod
    def of(cls, ids: Iterable[str]) -> Admins:
        return cls(tuple(dict.fromkeys(i.strip().lower() for i in ids if i and i.strip())))

    def includes(self, person_id: str | None) -> bool:
        return person_id is not None and person_id.lower() in self.ids

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)
