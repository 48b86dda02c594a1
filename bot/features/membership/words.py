"""The words people use for membership, in English, French and Spanish: the command patterns
(matched on folded text: lower case, no accents) and the parsing of "join X as my primary: note".
"""

from __future__ import annotations

import re

from copbot.i18n import fold
from copbot.membership import Role

_END = r"\s*[.!?]*\s*$"
JOIN_PATTERNS = [
    r"^\s*(?:please\s+)?(?:i(?:\s+(?:want|would like|wish)|['’]d like)\s+to\s+|can i\s+|could i\s+|"
    r"let me\s+)?(?:join|sign me up (?:for|to)|add me to|enrol me in|enroll me in)"
    r"(?:\s+(?P<rest>.+?))?" + _END,
    r"^\s*(?:je\s+(?:veux|voudrais|souhaite|souhaiterais|aimerais)\s+)?(?:rejoindre|adherer\s+a|"
    r"m['’]inscrire\s+a|inscris[- ]moi\s+a|inscrivez[- ]moi\s+a)(?:\s+(?P<rest>.+?))?" + _END,
    r"^\s*(?:quiero\s+|quisiera\s+|me gustaria\s+|deseo\s+)?(?:unirme|sumarme|inscribirme|"
    r"afiliarme)(?:\s+(?P<rest>.+?))?" + _END,
]
MINE_PATTERNS = [
    r"^\s*(?:(?:show|list|see|view)\s+)?(?:me\s+)?my\s+(?:communities|cops|communities of practice"
    r"|memberships|groups)" + _END,
    r"^\s*(?:which|what)\s+(?:communities|cops)\s+(?:am i (?:in|a member of)|do i belong to|"
    r"have i joined)" + _END,
    r"^\s*(?:(?:voir|afficher|montre[rz]?(?:[- ]moi)?)\s+)?mes\s+(?:communautes(?: de pratique)?|"
    r"cops|adhesions)" + _END,
    r"^\s*(?:(?:ver|mostrar|muestrame|muestreme)\s+)?mis\s+(?:comunidades(?: de practica)?|cops|"
    r"membresias)" + _END,
]
PRIMARY_PATTERNS = [
    r"^\s*(?:please\s+)?(?:make|set)\s+(?P<name>.+?)\s+(?:as\s+)?my\s+(?:primary|main)"
    r"(?:\s+(?:cop|community|one))?" + _END,
    r"^\s*(?:change|switch|set)\s+my\s+(?:primary|main)(?:\s+(?:cop|community))?\s+to\s+"
    r"(?P<name>.+?)" + _END,
    r"^\s*(?:faire de|definir|mettre|choisir)\s+(?P<name>.+?)\s+(?:comme\s+)?(?:ma\s+)?"
    r"(?:cop\s+|communaute\s+)?principale" + _END,
    r"^\s*(?:hacer|poner|definir|elegir)\s+(?:a\s+)?(?P<name>.+?)\s+(?:como\s+)?(?:mi\s+)?"
    r"(?:cop\s+|comunidad\s+)?principal" + _END,
]
LEAVE_PATTERNS = [
    r"^\s*(?:please\s+)?(?:i(?:\s+(?:want|would like)|['’]d like)\s+to\s+)?(?:leave|quit|"
    r"unsubscribe from|remove me from)(?:\s+(?P<name>.+?))?" + _END,
    r"^\s*(?:je\s+(?:veux|voudrais|souhaite)\s+)?(?:quitter|sortir de|me retirer de|"
    r"me desinscrire de|desinscri(?:s|vez)[- ]moi de)(?:\s+(?P<name>.+?))?" + _END,
    r"^\s*(?:quiero\s+|quisiera\s+)?(?:salir de|salirme de|abandonar|darme de baja de)"
    r"(?:\s+(?P<name>.+?))?" + _END,
]

_ROLE_WORDS = re.compile(
    r"(?:\b(?:as|comme|como|en tant que)\s+)?(?:\b(?:my|ma|mon|mi|su|a|une?)\s+)?"
    r"(?:\b(?:cop|community|communaute|comunidad)\s+)?"
    r"\b(?P<role>primary|main|principale?|secondary|secondaire|secundari[ao])\b"
    r"(?:\s+(?:cop|community|one|communaute|comunidad)\b)?"
)
_NOTE_SPLIT = re.compile(
    r"\s*(?::|\s-\s|\bbecause\b|\bsince\b|\bparce que\b|\bcar\b|\bporque\b|\bya que\b)\s*"
)


def parse_join(rest: str) -> tuple[str, Role | None, str]:
    """'UBS as my primary: I run the water programme' -> ('UBS', PRIMARY, 'I run the ...')."""
    folded = fold(rest)
    note = ""
    split = _NOTE_SPLIT.search(folded)
    name_part = rest
    if split:
        name_part, note = rest[: split.start()], rest[split.end() :].strip()
        folded = folded[: split.start()]
    role = None
    found = _ROLE_WORDS.search(folded)
    if found:
        word = found.group("role")
        role = (
            Role.PRIMARY
            if word in {"primary", "main", "principal", "principale"}
            else Role.SECONDARY
        )
        name_part = (name_part[: found.start()] + " " + name_part[found.end() :]).strip()
    return name_part.strip(" ,.;"), role, note
