"""Cards about the communities: the list of all, and one in detail."""

from __future__ import annotations

from typing import Any

from cards.elements import (
    Markdown,
    action_set,
    bullet_list,
    card,
    container,
    heading,
    submit,
    text,
    trusted,
)
from copbot.catalog import Catalog, Community
from copbot.i18n import Lang, colon, t


def _focal_point_names(community: Community) -> str:
    return ", ".join(fp.name for fp in community.focal_points)


def _title(community: Community, lang: Lang) -> str:
    title = f"**{community.display_name(lang)}**"
    if community.cross_cutting:
        title += f" · _{t(lang, 'cross_cutting')}_"
    return title


def community_list_card(catalog: Catalog, lang: Lang) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        heading(t(lang, "list_title")),
        text(t(lang, "list_intro"), subtle=True),
    ]
    for community in catalog:
        body.append(
            container(
                [
                    text(_title(community, lang)),
                    text(community.lead.get(lang), spacing="Small"),
                    text(
                        colon(lang, t(lang, "focal_points"), _focal_point_names(community)),
                        subtle=True,
                        spacing="Small",
                    ),
                    action_set([submit(t(lang, "button_details"), "details", cop=community.id)]),
                ],
                separator=True,
            )
        )
    fallback = "; ".join(c.display_name(lang) for c in catalog)
    return card(body, fallback_text=f"{t(lang, 'list_title')}: {fallback}")


def community_details_card(
    community: Community,
    lang: Lang,
    *,
    extra_body: list[dict[str, Any]] | None = None,
    actions: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One community in full. Features add their own parts (next meeting, join buttons)."""
    body: list[dict[str, Any]] = [heading(community.display_name(lang))]
    if community.cross_cutting:
        body.append(text(t(lang, "cross_cutting"), color="Accent", weight="Bolder", spacing="None"))
    body += [
        text(community.lead.get(lang), weight="Bolder"),
        text(community.description.get(lang)),
    ]
    if community.practice_areas:
        body.append(text(t(lang, "practice_areas"), weight="Bolder", separator=True))
        body.append(bullet_list([area.name.get(lang) for area in community.practice_areas]))
    body.append(text(t(lang, "focal_points"), weight="Bolder", separator=True))
    body.append(
        bullet_list(
            [
                # the catalog's own data (admins wrote it), as a mailto link on purpose
                Markdown("{} ([{}](mailto:{}))").format(fp.name, fp.email, trusted(fp.email))
                for fp in community.focal_points
            ]
        )
    )
    body += extra_body or []
    all_actions = [*(actions or []), submit(t(lang, "button_all"), "list")]
    return card(
        body,
        all_actions,
        fallback_text=f"{community.display_name(lang)}: {community.lead.get(lang)}",
    )
