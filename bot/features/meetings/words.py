"""The words people type about meetings, in English, French and Spanish (patterns run on folded
text: lower case, no accents), and the dates they give for a move or an event."""

from __future__ import annotations

import re
from datetime import datetime

_END = r"\s*[.!?]*\s*$"
CALENDAR = [
    r"^\s*((show|see|list|voir|afficher|ver|mostrar)\s+(me\s+)?)?(the\s+|le\s+|les\s+|el\s+|los\s+)?"
    r"(calendar|events|upcoming (events|meetings)|(cop |next )?meetings|calendrier|evenements|"
    r"reunions|prochaines reunions|calendario|eventos|reuniones|proximas reuniones|agenda)" + _END,
]
MY_CALENDAR = [
    r"^\s*(my|mon|ma|mes|mi|mis)\s+(calendar|events|meetings|calendrier|agenda|evenements|reunions|"
    r"calendario|eventos|reuniones)" + _END,
]
_OF_FR = r"(de\s+la\s+|de\s+l'|du\s+|des\s+|de\s+)?"
_OF_ES = r"(de\s+la\s+|del\s+|de\s+los\s+|de\s+)?"
UPCOMING = [
    r"^\s*(upcoming\s+|next\s+)?(meetings|events)\s+(of|for)\s+(the\s+)?(?P<name>.+?)" + _END,
    r"^\s*(upcoming\s+|next\s+)?(?P<name>[^\s]+(\s[^\s]+){0,4}?)\s+(meetings|events)" + _END,
    r"^\s*(prochaines\s+)?(reunions|evenements)\s+" + _OF_FR + r"(?P<name>.+?)" + _END,
    r"^\s*(proximas\s+)?(reuniones|eventos)\s+" + _OF_ES + r"(?P<name>.+?)" + _END,
]
SKIP = [
    r"^\s*(skip|cancel)\s+(the\s+)?next\s+(?P<name>.+?)\s+(meeting|event)" + _END,
    r"^\s*(annuler|sauter)\s+la\s+prochaine\s+(reunion|seance)\s+"
    + _OF_FR
    + r"(?P<name>.+?)"
    + _END,
    r"^\s*(cancelar|saltar|omitir)\s+la\s+proxima\s+(reunion|sesion)\s+"
    + _OF_ES
    + r"(?P<name>.+?)"
    + _END,
]
_WHEN = r"(?P<when>\d{4}-\d{1,2}-\d{1,2}([ t]+\d{1,2}[:h]\d{2})?)"
MOVE = [
    r"^\s*(move|reschedule|postpone)\s+(the\s+)?next\s+(?P<name>.+?)\s+(meeting|event)"
    r"(\s+(to|on)\s+" + _WHEN + r")?" + _END,
    r"^\s*(deplacer|reporter)\s+la\s+prochaine\s+(reunion|seance)\s+" + _OF_FR + r"(?P<name>.+?)"
    r"(\s+(au|a|le|pour le)\s+" + _WHEN + r")?" + _END,
    r"^\s*(mover|cambiar|aplazar)\s+la\s+proxima\s+(reunion|sesion)\s+" + _OF_ES + r"(?P<name>.+?)"
    r"(\s+(al|a|para el|el)\s+" + _WHEN + r")?" + _END,
]

# "add a workshop to LHS Finance on 2026-12-10 14:00: Land value capture": the noun is the format
# (any word: an unknown one is answered with the list of formats), the name a CoP or its series.
_FORMAT = r"(?P<format>[a-z][a-z' -]{1,40}?)"
ADD_EVENT = [
    r"^\s*add\s+(an?\s+)?" + _FORMAT + r"\s+(to|for)\s+(the\s+)?(?P<name>.+?)"
    r"\s+(on|at)\s+"
    + _WHEN
    + r"(\s+for\s+(?P<minutes>\d{1,3})\s*(min|minutes))?\s*[:,-]\s*(?P<title>.+?)\s*$",
    r"^\s*ajouter\s+(un\s+|une\s+)?" + _FORMAT + r"\s+(a|pour|au)\s+(la\s+)?(?P<name>.+?)"
    r"\s+(le|au)\s+"
    + _WHEN
    + r"(\s+pour\s+(?P<minutes>\d{1,3})\s*(min|minutes))?\s*[:,-]\s*(?P<title>.+?)\s*$",
    r"^\s*(agregar|anadir)\s+(un\s+|una\s+)?" + _FORMAT + r"\s+(a|para)\s+"
    r"(la\s+)?(?P<name>.+?)\s+(el|para el)\s+"
    + _WHEN
    + r"(\s+de\s+(?P<minutes>\d{1,3})\s*(min|minutos))?\s*[:,-]\s*(?P<title>.+?)\s*$",
]
FOLLOW = [
    r"^\s*(please\s+)?(follow(?!\s*-?\s*up\b)|je veux suivre|suivre|quiero seguir|seguir)\s+"
    r"(?P<name>.+?)" + _END,
]
UNFOLLOW = [
    r"^\s*(unfollow|stop following|don'?t follow|ne plus suivre|arreter de suivre|"
    r"je ne veux plus suivre|dejar de seguir|no seguir|ya no quiero seguir)\s+(?P<name>.+?)" + _END,
]


def parse_when(value: str) -> tuple[datetime, bool] | None:
    """'2026-12-15 14:00' -> (naive local datetime, True); '2026-12-15' -> (date at 00:00, False)."""
    found = re.fullmatch(
        r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]+(\d{1,2})[:h](\d{2}))?\s*", value or "", re.I
    )
    if not found:
        return None
    year, month, day, hour, minute = found.groups()
    try:
        return (
            datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0)),
            hour is not None,
        )
    except ValueError:
        return None


# After the meeting: "add recording UBS https://…", "add summary UBS: …", "past meetings of UBS".
_CoP = r"(?P<name>[^\s:,]+)"
RECORDING = [
    r"^\s*(add|share|post)\s+(the\s+|a\s+)?(recording|video)\s+(of\s+|for\s+|to\s+)?(the\s+)?"
    + _CoP
    + r"\s*[:,-]?\s+(?P<link>\S+)\s*$",
    r"^\s*(ajouter|partager)\s+(l'|le\s+|un\s+)?(enregistrement|video)\s+"
    + _OF_FR
    + r"(pour\s+)?(la\s+)?"
    + _CoP
    + r"\s*[:,-]?\s+(?P<link>\S+)\s*$",
    r"^\s*(agregar|anadir|compartir)\s+(la\s+|una\s+)?(grabacion|video)\s+"
    + _OF_ES
    + r"(para\s+)?"
    + _CoP
    + r"\s*[:,-]?\s+(?P<link>\S+)\s*$",
]
MATERIALS = [
    r"^\s*(add|share|post)\s+(the\s+)?(materials?|slides|documents?|links?)\s+(of\s+|for\s+|to\s+)?"
    r"(the\s+)?" + _CoP + r"\s*[:,-]?\s+(?P<links>\S.*?)\s*$",
    r"^\s*(ajouter|partager)\s+(les\s+|des\s+|un\s+|le\s+)?(documents?|diapositives|liens?|supports?)\s+"
    + _OF_FR
    + r"(pour\s+)?(la\s+)?"
    + _CoP
    + r"\s*[:,-]?\s+(?P<links>\S.*?)\s*$",
    r"^\s*(agregar|anadir|compartir)\s+(los\s+|un\s+|el\s+)?(materiales|material|documentos?|enlaces?|diapositivas)\s+"
    + _OF_ES
    + r"(para\s+)?"
    + _CoP
    + r"\s*[:,-]?\s+(?P<links>\S.*?)\s*$",
]
SUMMARY = [
    r"^\s*(add|share|post)\s+(the\s+|a\s+)?(summary|key points)\s+(of\s+|for\s+|to\s+)?(the\s+)?"
    + _CoP
    + r"\s*[:,-]?\s+(?P<summary>\S.*?)\s*$",
    r"^\s*(ajouter|partager)\s+(le\s+|un\s+|les\s+)?(resume|points cles)\s+"
    + _OF_FR
    + r"(pour\s+)?(la\s+)?"
    + _CoP
    + r"\s*[:,-]?\s+(?P<summary>\S.*?)\s*$",
    r"^\s*(agregar|anadir|compartir)\s+(el\s+|un\s+|los\s+)?(resumen|puntos clave)\s+"
    + _OF_ES
    + r"(para\s+)?"
    + _CoP
    + r"\s*[:,-]?\s+(?P<summary>\S.*?)\s*$",
]
PAST = [
    r"^\s*(show\s+)?(the\s+)?(past|previous|earlier)\s+(meetings|events)\s+(of|for)\s+(the\s+)?"
    r"(?P<name>.+?)" + _END,
    r"^\s*(recordings|summaries)\s+(of|for)\s+(the\s+)?(?P<name>.+?)" + _END,
    r"^\s*(?P<name>[^\s]+)\s+(past|previous)\s+(meetings|events)" + _END,
    r"^\s*(reunions|evenements|seances)\s+(passees|precedentes)\s+"
    + _OF_FR
    + r"(?P<name>.+?)"
    + _END,
    r"^\s*enregistrements\s+" + _OF_FR + r"(?P<name>.+?)" + _END,
    r"^\s*(reuniones|eventos|sesiones)\s+(pasadas|anteriores)\s+"
    + _OF_ES
    + r"(?P<name>.+?)"
    + _END,
    r"^\s*grabaciones\s+" + _OF_ES + r"(?P<name>.+?)" + _END,
]
