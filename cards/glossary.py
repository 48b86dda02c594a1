"""The card of "what does X mean?": what an abbreviation stands for and the communities it points
to, each with buttons to see and join it."""

from __future__ import annotations

from typing import Any

from cards.elements import action_set, card, container, heading, submit, text
from copbot.catalog import Catalog
from copbot.glossary import Term
from copbot.i18n import Lang, colon, t
from copbot.markup import Markdown, escape, plain


def _written_for(term: Term, asked: str, lang: Lang) -> str:
    """The abbreviation as the person wrote it when it is one of the term's, else in `lang`."""
    for written in term.written():
        if written.casefold() == asked.casefold():
            return written
    return term.abbreviation(lang)


def glossary_card(terms: list[Term], asked: str, catalog: Catalog, lang: Lang) -> dict[str, Any]:
    """One block per term the person may mean ("cop": the climate conference and a Community of
    Practice), each with its meaning, its note and its communities (Join, Details)."""
    body: list[dict[str, Any]] = []
    lines: list[str] = []
    for index, term in enumerate(terms):
        written = _written_for(term, asked, lang)
        meaning = term.meaning.get(lang)
        items: list[dict[str, Any]] = [
            heading(escape(written)),
            text(t(lang, "glossary_means", abbreviation=written, meaning=meaning)),
        ]
        lines.append(colon(lang, plain(escape(written)), plain(escape(meaning))))
        if term.community:
            items.append(text(t(lang, "glossary_is_community"), spacing="Small"))
        if term.note is not None:
            items.append(text(escape(term.note.get(lang)), subtle=True, spacing="Small"))
        communities = [c for c in (catalog.get(cop) for cop in term.cops) if c is not None]
        if communities and not term.community:
            key = "glossary_related_one" if len(communities) == 1 else "glossary_related_many"
            items.append(text(t(lang, key), weight="Bolder"))
        for community in communities:
            if not term.community:
                name = escape(community.display_name(lang))
                items.append(text(Markdown(f"**{name}**"), spacing="Small"))
                items.append(text(escape(community.lead.get(lang)), spacing="None"))
            items.append(
                action_set(
                    [
                        submit(
                            t(lang, "glossary_join"), "join", style="positive", cop=community.id
                        ),
                        submit(t(lang, "button_details"), "details", cop=community.id),
                    ]
                )
            )
        body.append(container(items, separator=index > 0))
    return card(
        body,
        [submit(t(lang, "button_all"), "list")],
        fallback_text="; ".join(lines),
    )
