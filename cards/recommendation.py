"""Cards of "which CoP fits me": the ranked recommendation, and the "not sure" answer."""

from __future__ import annotations

from typing import Any

from cards.elements import action_set, card, container, heading, submit, text
from copbot.catalog import Catalog, Community
from copbot.finder import Match, Recommendation
from copbot.i18n import Lang, colon, t

SHOWN = 3  # communities on the card, best first


def _reason(match: Match, lang: Lang) -> str:
    """The catalog's words the question matched, abbreviations spelled out. Not escaped: they are
    the catalog's (like the names on the card) or, for a word met in another language, one word
    of the person's made of letters or digits only (`copbot.finder.text.tokenize`)."""
    return t(lang, "finder_reason", terms=", ".join(match.terms[:5]))


def _join_buttons(community: Community, lang: Lang, *, primary: bool) -> list[dict[str, Any]]:
    buttons = []
    if primary:
        buttons.append(
            submit(
                t(lang, "finder_join_primary"),
                "join",
                style="positive",
                cop=community.id,
                role="primary",
            )
        )
    buttons.append(
        submit(t(lang, "finder_join_secondary"), "join", cop=community.id, role="secondary")
    )
    buttons.append(submit(t(lang, "button_details"), "details", cop=community.id))
    return buttons


def _focal_points(community: Community, lang: Lang) -> dict[str, Any]:
    names = ", ".join(fp.name for fp in community.focal_points)
    return text(colon(lang, t(lang, "focal_points"), names), subtle=True, spacing="Small")


def _community(
    rank: int | None, community: Community, reason: str, lang: Lang, *, primary: bool
) -> list[dict[str, Any]]:
    title = (
        f"**{rank}. {community.display_name(lang)}**"
        if rank
        else f"**{community.display_name(lang)}**"
    )
    if community.cross_cutting:
        title += f" · _{t(lang, 'cross_cutting')}_"
    items = [text(title), text(community.lead.get(lang), spacing="Small")]
    if reason:
        items.append(text(reason, color="Accent", spacing="Small"))
    items.append(_focal_points(community, lang))
    items.append(action_set(_join_buttons(community, lang, primary=primary)))
    return items


def recommendation_card(rec: Recommendation, catalog: Catalog, lang: Lang) -> dict[str, Any]:
    """Up to three communities, best first, each with its lead, why it matched and buttons to join
    as primary or secondary; then the cross-cutting community to join as well (when the best one is
    not cross-cutting).

    When the question names two topics, the card says so: the best community as the primary, the
    other topic's community in its own block to join as a secondary one, then the others."""
    body: list[dict[str, Any]] = [
        heading(t(lang, "finder_title")),
        text(t(lang, "finder_intro"), subtle=True),
    ]
    shown: list[tuple[Community, str]] = []  # and the reason
    for match in rec.shortlist(SHOWN):
        community = catalog.get(match.cop_id)
        if community is not None:
            shown.append((community, _reason(match, lang) if match.terms else ""))
    second = catalog.get(rec.second.cop_id) if rec.second is not None else None
    fallback: list[str] = []
    if second is not None and rec.second is not None and shown:
        primary, reason = shown[0]
        body.append(
            text(
                t(
                    lang,
                    "finder_two_topics",
                    primary=primary.display_name(lang),
                    secondary=second.display_name(lang),
                ),
                separator=True,
            )
        )
        body.append(container(_community(1, primary, reason, lang, primary=True), separator=True))
        body.append(
            container(
                [
                    text(t(lang, "finder_second_title"), weight="Bolder"),
                    *_community(
                        None,
                        second,
                        _reason(rec.second, lang) if rec.second.terms else "",
                        lang,
                        primary=False,
                    ),
                ],
                separator=True,
                style="emphasis",
            )
        )
        fallback += [
            f"1. {primary.display_name(lang)}" + (f" ({reason})" if reason else ""),
            f"+ {second.display_name(lang)}",
        ]
        others = [(c, r) for c, r in shown[1:] if c.id != second.id]
        if others:
            body.append(text(t(lang, "finder_others_title"), weight="Bolder", separator=True))
        for rank, (community, reason) in enumerate(others, 2):
            body.append(
                container(_community(rank, community, reason, lang, primary=True), separator=True)
            )
        listed = [primary.id, second.id, *(c.id for c, _ in others)]
    else:
        for rank, (community, reason) in enumerate(shown, 1):
            body.append(
                container(_community(rank, community, reason, lang, primary=True), separator=True)
            )
        fallback += [
            f"{rank}. {c.display_name(lang)}" + (f" ({reason})" if reason else "")
            for rank, (c, reason) in enumerate(shown, 1)
        ]
        listed = [c.id for c, _ in shown]
    suggestion = rec.cross_cutting
    extra = catalog.get(suggestion.cop_id) if suggestion else None
    if suggestion is not None and extra is not None and extra.id not in listed[:1]:
        if extra.id in listed:
            if second is None or extra.id != second.id:
                body.append(
                    text(
                        t(lang, "finder_cross_cutting_listed", name=extra.display_name(lang)),
                        subtle=True,
                        separator=True,
                    )
                )
        else:
            intro = (
                "finder_cross_cutting_matched"
                if suggestion.terms
                else "finder_cross_cutting_closest"
            )
            body.append(
                container(
                    [
                        text(t(lang, "finder_cross_cutting_title"), weight="Bolder"),
                        text(t(lang, intro), spacing="Small"),
                        *_community(
                            None,
                            extra,
                            _reason(suggestion, lang) if suggestion.terms else "",
                            lang,
                            primary=False,
                        ),
                    ],
                    separator=True,
                    style="emphasis",
                )
            )
            fallback.append(f"+ {extra.display_name(lang)}")
    return card(
        body,
        [submit(t(lang, "button_all"), "list")],
        fallback_text=f"{t(lang, 'finder_title')}: " + "; ".join(fallback),
    )


def summary(rec: Recommendation, catalog: Catalog, lang: Lang) -> str:
    """One line for notifications: the suggested communities' names."""
    names = [catalog.localized_name(m.cop_id, lang) for m in rec.shortlist(SHOWN)]
    return t(lang, "finder_summary", names=", ".join(names))


def not_sure_card(lang: Lang, *, asked: bool = False) -> dict[str, Any]:
    """No confident match: say so kindly, ask what the work is about, offer the list."""
    message = t(lang, "finder_ask" if asked else "finder_not_sure")
    return card(
        [text(message)],
        [submit(t(lang, "button_all"), "list"), submit(t(lang, "help_title"), "help")],
        fallback_text=message,
    )
