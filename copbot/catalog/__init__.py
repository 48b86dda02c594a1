"""The catalog of Communities of Practice: a YAML file admins edit, validated on load.

`load_catalog(path)` returns a `Catalog` or raises `CatalogError` listing every problem with its
place (``file:line: communities[3] (UBS).focal_points[0].email: ...``, ``file:line:
glossary[4] (NDC).cops[0]: ...``). Besides the communities, the catalog has a glossary: the
abbreviations staff write (WASH, VBG, CDN...), what they stand for in en/fr/es and the communities
they point to (read by `copbot.glossary`). `check_catalog` adds the
checks that depend on how the bot runs (Graph group ids in graph mode, channels for meeting posts)
as warnings or errors.
"""

from copbot.catalog.communities import Catalog
from copbot.catalog.reading import CatalogError, Problem, check_catalog, load_catalog, parse_catalog
from copbot.catalog.schema import (
    ABBREVIATION_RE,
    EMAIL_RE,
    GUID_RE,
    ID_RE,
    Cadence,
    Community,
    FocalPoint,
    GlossaryEntry,
    LocalizedList,
    LocalizedText,
    MeetingSeries,
    OneOffEvent,
    PracticeArea,
    localized,
)

__all__ = [
    "ABBREVIATION_RE",
    "EMAIL_RE",
    "GUID_RE",
    "ID_RE",
    "Cadence",
    "Catalog",
    "CatalogError",
    "Community",
    "FocalPoint",
    "GlossaryEntry",
    "LocalizedList",
    "LocalizedText",
    "MeetingSeries",
    "OneOffEvent",
    "PracticeArea",
    "Problem",
    "check_catalog",
    "load_catalog",
    "localized",
    "parse_catalog",
]
