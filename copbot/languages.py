"""In which language the bot writes to someone: the reader's, never the language of whoever
triggered the message (an English speaker's request reaches a French-speaking focal point in
French).

For a person, the first of:
1. the locale Teams last sent with a message of theirs (`people.locale`, kept by
   `copbot.store.people.remember_person`), when it is one we speak;
2. a locale seen from them on the thing at hand (`known`: the request they made, the question
   they asked);
3. their own default in the catalog (a focal point's `language:`);
4. the CoP's default (`language:` of the community the message is about);
5. the organisation's default (the catalog's top-level `language:`, English unless set).
A channel reads the CoP's `channel_language`.
"""

from __future__ import annotations

from copbot.catalog import Catalog, Community
from copbot.i18n import DEFAULT_LANG, LANGS, Lang
from copbot.store import Database, people


def spoken(locale: str | None) -> Lang | None:
    """'fr-FR' -> 'fr'; a locale we do not speak (or none) -> None."""
    if not locale:
        return None
    primary = locale.replace("_", "-").split("-", 1)[0].strip().lower()
    return primary if primary in LANGS else None


def catalog_default(person_id: str, community: Community | None, catalog: Catalog | None) -> Lang:
    """Steps 3-5: the person's catalog language, else the CoP's, else the organisation's."""
    key = person_id.lower()
    communities = [community] if community else []
    if catalog is not None:
        communities += catalog.focal_point_of(key)
    for c in communities:
        for fp in c.focal_points:
            if fp.aad_object_id == key and fp.language:
                return fp.language
    if community is not None and community.language:
        return community.language
    return catalog.language if catalog is not None else DEFAULT_LANG


async def language_of(
    db: Database,
    person_id: str,
    *,
    community: Community | None = None,
    catalog: Catalog | None = None,
    known: str | None = None,
) -> Lang:
    """The language to write to `person_id` in (see the module's docstring)."""
    person = await people.get_person(db, person_id) if person_id else None
    return (
        spoken(person.locale if person else None)
        or spoken(known)
        or catalog_default(person_id, community, catalog)
    )


def channel_language(community: Community | None, catalog: Catalog | None = None) -> Lang:
    if community is not None:
        return community.channel_language
    return catalog.language if catalog is not None else DEFAULT_LANG
