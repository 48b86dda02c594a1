"""Which CoP fits me: a person describes their work, the bot suggests communities, best first.

- The command answers explicit questions ("which CoP fits me...", "quelle CoP...", "qué CoP...",
  "recommend", "suggest"): the recommendation when it is confident, else "not sure" (some topic
  matched weakly) or "tell me about your work" (no topic at all), with the list offered.
- The fallback (priority 500: after core's exact community names, before core's "not
  understood") runs the finder on any other text: confident, the recommendation card; readable
  words but no confident match ("how do I reset my password?"), "not sure" with the list offered;
  nothing readable ("zxqv wplk") is left to core's "not understood".
- The card is in the language of the question (the Teams locale when the question does not tell).
  Its join buttons send `{"verb": "join", "cop": ID, "role": "primary" | "secondary"}` for the join
  feature; its Details buttons the existing `details` action.
"""

from __future__ import annotations

import structlog

from bot.feature import Feature
from bot.router import Router
from bot.turn import Turn
from cards.recommendation import not_sure_card, recommendation_card, summary
from copbot.finder import Recommendation
from copbot.services import Services

log = structlog.get_logger(__name__)

# Patterns run on folded text: lower case, accents removed.
ASK = [
    # "which CoP fits me", "what is the right community for land surveyors" (not "which
    # communities are there": core's list answers that)
    r"^\W*(which|what)('s|\s+is)?\s+(the\s+)?(best\s+|right\s+|good\s+)?(cop|community)\b",
    r"^\W*(which|what)\s+(cops|communities)\s+(fit|suit|match|should|would|could|for|are for)\b",
    r"\b(recommend|suggest)\w*\b",
    r"\b(fits?|suits?)\s+(me|my)\b",
    r"\bwhere\s+(do|would|should)\s+i\s+(fit|belong)\b",
    r"\bfind\s+(me\s+)?(a|my|the)?\s*(right\s+|best\s+)?(cop|community)\b",
    r"^\W*(quelle|laquelle)\s+(des\s+)?(cop|communaute)s?\b",
    r"\b(recommande|recommandes|recommander|recommandez|suggere|suggerer|suggerez|conseille|"
    r"conseiller|conseillez)\b",
    r"\b(me|m')\s*(correspond|convient|conviendrait)\b",
    r"\btrouver\s+(une|ma|la)\s+(bonne\s+)?(cop|communaute)\b",
    r"^\W*(que|cual)\s+(cop|comunidad)\b",
    r"\b(recomienda|recomiendas|recomiendame|recomendar|recomendarme|sugiere|sugieres|"
    r"sugiereme|sugerir|sugerirme)\b",
    r"\bme\s+(encaja|conviene|corresponde)\b",
    r"\bencontrar\s+(una|mi|la)\s+(cop|comunidad)\b",
]


def recommend(turn: Turn, services: Services) -> Recommendation:
    rec = services.finder.recommend(turn.text, lang_hint=turn.lang)
    best = rec.best
    log.info(
        "finder.recommended",
        confident=rec.confident,
        top=best.cop_id if best and best.credit > 0 else None,
        cross_cutting=rec.cross_cutting.cop_id if rec.cross_cutting else None,
        lang=rec.lang,
    )
    return rec


async def _answer(turn: Turn, services: Services, rec: Recommendation) -> None:
    card = recommendation_card(rec, services.catalog, rec.lang)
    await turn.send_card(card, summary=summary(rec, services.catalog, rec.lang))


async def ask(turn: Turn, services: Services) -> None:
    """An explicit question: "which CoP fits me? I work on bus rapid transit in Addis"."""
    rec = recommend(turn, services)
    if rec.confident:
        await _answer(turn, services, rec)
    else:
        await turn.send_card(not_sure_card(rec.lang, asked=not rec.topical))


async def answer_if_confident(turn: Turn, services: Services) -> bool:
    """For other features whose command named no community ("tell me about water",
    "join a community about housing"): answer with the recommendation only when confident."""
    if not turn.text:
        return False
    rec = recommend(turn, services)
    if rec.confident:
        await _answer(turn, services, rec)
    return rec.confident


async def free_text(turn: Turn, services: Services) -> bool:
    """Any text no command claimed: "water and sanitation", "Je travaille sur le foncier"."""
    if not turn.text:
        return False
    rec = recommend(turn, services)
    if rec.confident:
        await _answer(turn, services, rec)
        return True
    if not rec.readable:
        return False  # gibberish: core's "not understood" answers
    await turn.send_card(not_sure_card(rec.lang))
    return True


def register(router: Router) -> None:
    # after help 10, greeting 20, list 50; before details 60 ("what is the CoP for water?")
    router.command("finder", ASK, ask, priority=55)
    router.fallback("finder", free_text, priority=500)


FEATURE = Feature("finder", register)
