"""What does X mean: the organisation's abbreviations, written out in the asker's language.

- The command answers "what does NUA mean?", "what does GBV stand for?", "meaning of HLP",
  "que veut dire CDN ?", "que signifie VBG ?", "CDN, ça veut dire quoi ?", "¿qué significa HLP?",
  "¿qué quiere decir PSUP?" in the language of the question: the meaning, the note, and the
  communities the term points to, each with Join and Details buttons. An unknown term gets a
  clear answer and the list.
- "What is WASH?", "c'est quoi la VBG ?", "¿qué es el PSUP?" are core's "details" questions
  ("what is UBS?" shows that community): core asks `explain` when the name is no community's.
"""

from __future__ import annotations

import re

import structlog

from bot.feature import Feature
from bot.router import Router
from bot.turn import Turn
from cards.elements import escape
from cards.glossary import glossary_card
from cards.help import help_card
from copbot.i18n import Lang, t
from copbot.services import Services

log = structlog.get_logger(__name__)

_ARTICLE = r"(?:(?:the|le|la|les|l'|el|los|las)\s*)?"
_END = r"\s*[?.!]*\s*$"
# Patterns run on folded text (lower case, accents removed); each says the question's language.
ASK: dict[Lang, list[str]] = {
    "en": [
        rf"^\W*what\s+(?:does|do|did)\s+{_ARTICLE}(?P<term>.+?)\s+(?:mean|stand\s+for){_END}",
        rf"^\W*what\s+is\s+the\s+meaning\s+of\s+{_ARTICLE}(?P<term>.+?){_END}",
        rf"^\W*(?:meaning|definition)\s+of\s+{_ARTICLE}(?P<term>.+?){_END}",
        r"^\W*(?P<term>[^\s?]+(?:\s[^\s?]+)?)\s+(?:means|stands\s+for)\s*\?+\s*$",
    ],
    "fr": [
        rf"^\W*que\s+(?:veut|veulent)\s+dire\s+{_ARTICLE}(?P<term>.+?){_END}",
        rf"^\W*que\s+signifi(?:e|ent)\s+{_ARTICLE}(?P<term>.+?){_END}",
        rf"^\W*{_ARTICLE}(?P<term>.+?)\s*,?\s*(?:ca|cela)\s+veut\s+dire\s+quoi{_END}",
        rf"^\W*(?:signification|definition|sens)\s+(?:de\s+|du\s+|des\s+|d')\s*{_ARTICLE}"
        rf"(?P<term>.+?){_END}",
    ],
    "es": [
        rf"^\W*que\s+significa(?:n)?\s+{_ARTICLE}(?P<term>.+?){_END}",
        rf"^\W*que\s+quiere(?:n)?\s+decir\s+{_ARTICLE}(?P<term>.+?){_END}",
        rf"^\W*(?:significado|definicion)\s+de\s+{_ARTICLE}(?P<term>.+?){_END}",
    ],
}
_LANG_OF: dict[str, Lang] = {
    pattern: lang for lang, patterns in ASK.items() for pattern in patterns
}
# core's "what is X" forms, by language
_DETAILS_LANG: list[tuple[re.Pattern[str], Lang]] = [
    (re.compile(r"^\W*(what|whats|tell|about|describe|info|details?)\b"), "en"),
    (re.compile(r"^\W*(qu'est|c'est\s+quoi|parle|dis|informations?\s+sur)\b"), "fr"),
    (re.compile(r"^\W*(que\s+es|que\s+son|hablame|cuentame|detalles)\b"), "es"),
]


def _asked(turn: Turn) -> str:
    """The term as the person typed it (its case tells "COP" from "CoP")."""
    match = turn.match
    if match is None:
        return ""
    if len(turn.folded) == len(turn.text):
        return turn.text[match.start("term") : match.end("term")].strip()
    return match.group("term").strip()


async def _answer(turn: Turn, services: Services, asked: str, lang: Lang) -> bool:
    terms = services.glossary.lookup(asked)
    log.info("glossary.asked", known=bool(terms), terms=len(terms), lang=lang)
    if not terms:
        return False
    await turn.send_card(glossary_card(terms, asked, services.catalog, lang))
    return True


async def ask(turn: Turn, services: Services) -> None:
    """ "What does NUA mean?": the meaning, or a clear answer that the term is unknown."""
    lang = _LANG_OF.get(turn.match.re.pattern, turn.lang) if turn.match else turn.lang
    asked = _asked(turn)
    if await _answer(turn, services, asked, lang):
        return
    await turn.reply(t(lang, "glossary_unknown", term=escape(asked[:40])))
    await turn.send_card(help_card(lang, intro_key="help_intro", communities=services.catalog))


async def explain(turn: Turn, services: Services, name: str) -> bool:
    """For core's "what is X?" when X is no community's name: True when X is a glossary term."""
    lang = next((lang for pattern, lang in _DETAILS_LANG if pattern.match(turn.folded)), turn.lang)
    return await _answer(turn, services, name, lang)


def register(router: Router) -> None:
    # before the finder (55) and the list (50): "what does CoP mean?" is no request for the list
    router.command("glossary", [p for patterns in ASK.values() for p in patterns], ask, priority=45)


FEATURE = Feature("glossary", register)
