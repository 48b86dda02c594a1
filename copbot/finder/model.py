"""What the finder answers (`Match`, `Recommendation`) and what its index holds."""

from __future__ import annotations

from dataclasses import dataclass, field

from copbot.finder.weights import SHORTLIST_SHARE
from copbot.i18n import Lang

__all__ = ["Credit", "Key", "Match", "Phrase", "Recommendation", "Worth"]

Key = tuple[Lang, str]  # a stem in a language


@dataclass(frozen=True)
class Match:
    """One community for a question: its score in [0, 1] and the catalog's words that matched."""

    cop_id: str
    score: float
    # the catalog's words the question matched, in the question's order, abbreviations spelled
    # out ("land value capture (LVC)"; for the first EXPLAINED communities and the cross-cutting
    # ones)
    terms: tuple[str, ...] = ()
    credit: float = 0.0  # the unscaled score
    topical: float = 0.0  # the part of the credit from topical fields


@dataclass(frozen=True)
class Recommendation:
    query: str
    lang: Lang  # the language of the question (or the hint when it does not tell)
    ranking: tuple[Match, ...]  # every community, best first
    confident: bool
    cross_cutting: Match | None = None  # suggested as well when the best is not cross-cutting
    readable: bool = False  # the question has words we know (function words or catalog words)
    # the question names a second topic, of another community: offered as a secondary CoP
    second: Match | None = None

    @property
    def best(self) -> Match | None:
        return self.ranking[0] if self.ranking else None

    @property
    def topical(self) -> bool:
        """Some catalog topic matched, even if not enough to be confident."""
        return bool(self.ranking) and self.ranking[0].topical > 0

    def shortlist(self, size: int = 3) -> list[Match]:
        """Up to `size` communities worth showing, best first (those with real evidence)."""
        if not self.ranking or self.ranking[0].credit <= 0:
            return []
        floor = self.ranking[0].credit * SHORTLIST_SHARE
        return [m for m in self.ranking[:size] if m.credit > 0 and m.credit >= floor]

    def match(self, cop_id: str) -> Match | None:
        return next((m for m in self.ranking if m.cop_id == cop_id), None)


@dataclass
class Phrase:
    """A catalog entry of two words or more, checked whole when its rarest word is asked."""

    cop: int
    weight: float
    topical: bool
    lang: Lang
    slots: tuple[frozenset[str], ...]  # the stems of each content word
    surface: str = ""  # as the catalog writes it (shown in the reasons)
    rarity: float = 0.0  # scaled idf of the phrase itself
    keys: tuple[tuple[Key, ...], ...] = ()  # the slots as index keys

    def __post_init__(self) -> None:
        self.keys = tuple(tuple((self.lang, stem) for stem in slot) for slot in self.slots)


@dataclass
class Worth:
    """What one stem is worth to one community: the best entry containing it."""

    any: float = 0.0  # field weight of the best entry (a phrase counts PARTIAL)
    topical: float = 0.0  # the same among topical fields
    whole: float = 0.0  # field weight of a topical entry that is this word alone


@dataclass
class Credit:
    total: dict[int, float] = field(default_factory=dict)  # token position -> best credit
    topical: dict[int, float] = field(default_factory=dict)
    complete: float = 0.0  # best credit of a complete topical entry
    phrases: dict[int, int] = field(default_factory=dict)  # position -> the phrase that gave it
    exact: set[int] = field(default_factory=set)  # positions in a phrase written word for word

    def add(self, position: int, value: float, topical: bool, complete: bool) -> None:
        if value > self.total.get(position, 0.0):
            self.total[position] = value
        if topical:
            if value > self.topical.get(position, 0.0):
                self.topical[position] = value
            if complete and value > self.complete:
                self.complete = value
