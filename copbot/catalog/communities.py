"""`Catalog`: the communities of a loaded catalog, found by id, by name or alias in any language,
or by focal point."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from copbot.catalog.schema import Community, GlossaryEntry
from copbot.i18n import DEFAULT_LANG, LANGS, Lang, fold


@dataclass(frozen=True)
class Catalog:
    communities: tuple[Community, ...]
    source: str = ""
    _by_id: Mapping[str, Community] = field(default_factory=dict, repr=False)
    glossary: tuple[GlossaryEntry, ...] = ()
    language: Lang = DEFAULT_LANG  # the organisation's default language

    @classmethod
    def of(
        cls,
        communities: Iterable[Community],
        source: str = "",
        glossary: Iterable[GlossaryEntry] = (),
        language: Lang = DEFAULT_LANG,
    ) -> Catalog:
        items = tuple(communities)
        return cls(items, source, {c.id: c for c in items}, tuple(glossary), language)

    def __iter__(self) -> Iterator[Community]:
        return iter(self.communities)

    def __len__(self) -> int:
        return len(self.communities)

    def get(self, cop_id: str) -> Community | None:
        return self._by_id.get(cop_id.upper())

    def ids(self) -> list[str]:
        return [c.id for c in self.communities]

    def cross_cutting(self) -> list[Community]:
        return [c for c in self.communities if c.cross_cutting]

    def of_channel(self, channel_id: str, team_id: str = "") -> Community | None:
        """The CoP whose meetings channel (else whose team) this is."""
        for c in self.communities:
            if channel_id and c.channel_id == channel_id:
                return c
        for c in self.communities:
            if team_id and c.team_id == team_id:
                return c
        return None

    def focal_point_of(self, aad_object_id: str) -> list[Community]:
        key = aad_object_id.lower()
        return [c for c in self.communities if key in c.focal_point_ids()]

    @functools.cached_property
    def _name_patterns(self) -> list[tuple[int, re.Pattern[str], Community]]:
        """Every name, short name and alias, folded, longest first (built once per catalog)."""
        patterns = []
        for c in self.communities:
            names = [c.name.get(lang) for lang in LANGS]
            if c.short_name:
                names += [c.short_name.get(lang) for lang in LANGS]
            names += [alias for _, alias in c.aliases.all()]
            for name in names:
                candidate = fold(re.sub(r"\s*\([^)]*\)", "", name)).strip()
                if candidate:
                    pattern = re.compile(rf"(?<![a-z0-9]){re.escape(candidate)}(?![a-z0-9])")
                    patterns.append((len(candidate), pattern, c))
        return sorted(patterns, key=lambda p: -p[0])

    @functools.cached_property
    def _exact_names(self) -> dict[str, Community]:
        names: dict[str, Community] = {}
        for c in self.communities:
            spelled = [c.id, *(c.name.get(lang) for lang in LANGS)]
            if c.short_name:
                spelled += [c.short_name.get(lang) for lang in LANGS]
            spelled += [alias for _, alias in c.aliases.all()]
            for name in spelled:
                names.setdefault(fold(name).strip(), c)
        return names

    def by_exact_name(self, text: str) -> Community | None:
        """The community whose id, name or alias is the whole of `text` ("UBS", "climat")."""
        return self._exact_names.get(fold(text).strip(" .!?"))

    def resolve(self, text: str) -> Community | None:
        """The community a person names: by id ("UBS"), or by name / alias in any language.

        The longest name found wins ("Climate Change" over "climate")."""
        words = fold(text)
        tokens = set(re.findall(r"[a-z0-9]+", words))
        for c in self.communities:
            if c.id.lower() in tokens:
                return c
        return next((c for _, pattern, c in self._name_patterns if pattern.search(words)), None)

    def localized_name(self, cop_id: str, lang: Lang) -> str:
        c = self.get(cop_id)
        return c.display_name(lang) if c else cop_id
