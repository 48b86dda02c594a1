"""Event formats: what kind of session a meeting or event is (the formats UN-Habitat's CoP guidance
names: meetings, webinars, workshops, trainings, experts' round tables, dialogues, co-creation
sessions). A format has a key (what the catalog and `copbot meetings add --format` take), a label
per language (shown in announcements and the calendar) and the words people use for it in chat.
"""

from __future__ import annotations

from copbot.i18n import LANGS, Lang, fold

MEETING = "meeting"
# key: (labels en/fr/es, words people write for it, folded: no accents, lower case)
_FORMATS: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    MEETING: (
        {"en": "Meeting", "fr": "Réunion", "es": "Reunión"},
        ("meeting", "reunion"),
    ),
    "webinar": (
        {"en": "Webinar", "fr": "Webinaire", "es": "Seminario web"},
        ("webinar", "webinaire", "seminario web", "webinario"),
    ),
    "workshop": (
        {"en": "Workshop", "fr": "Atelier", "es": "Taller"},
        ("workshop", "atelier", "taller"),
    ),
    "training": (
        {"en": "Training", "fr": "Formation", "es": "Capacitación"},
        ("training", "formation", "capacitacion", "formacion"),
    ),
    "round-table": (
        {
            "en": "Experts' round table",
            "fr": "Table ronde d'experts",
            "es": "Mesa redonda de expertos",
        },
        (
            "round table",
            "round-table",
            "roundtable",
            "experts round table",
            "experts' round table",
            "expert round table",
            "table ronde",
            "table ronde d'experts",
            "table ronde d experts",
            "mesa redonda",
            "mesa redonda de expertos",
        ),
    ),
    "dialogue": (
        {"en": "Dialogue", "fr": "Dialogue", "es": "Diálogo"},
        ("dialogue", "dialog", "dialogo"),
    ),
    "co-creation": (
        {
            "en": "Co-creation session",
            "fr": "Séance de co-création",
            "es": "Sesión de co-creación",
        },
        (
            "co-creation",
            "co-creation session",
            "cocreation",
            "co creation",
            "co creation session",
            "seance de co-creation",
            "atelier de co-creation",
            "sesion de co-creacion",
            "co-creacion",
            "cocreacion",
        ),
    ),
}
FORMATS: tuple[str, ...] = tuple(_FORMATS)
# Words for "an event" that name no format: the series' own format.
GENERIC = frozenset({"event", "evenement", "evento", "session", "seance", "sesion"})


class UnknownFormat(ValueError):
    def __init__(self, value: str):
        self.value = value
        super().__init__(f"unknown event format {value!r}: one of {', '.join(FORMATS)}")


def label(key: str, lang: Lang) -> str:
    """The format's name in `lang` ("Workshop", "Atelier", "Taller")."""
    labels = _FORMATS.get(key, _FORMATS[MEETING])[0]
    return labels[lang]


def labels(lang: Lang) -> str:
    """Every format's name in `lang`, for a message listing them."""
    return ", ".join(_FORMATS[k][0][lang] for k in FORMATS)


class Listed:
    """Every format's name, in the language of the message that shows it."""

    def in_lang(self, lang: Lang) -> str:
        return labels(lang)


def check(value: str) -> str:
    """A format key as the catalog or the CLI gives it; UnknownFormat otherwise."""
    key = (value or "").strip().lower()
    if key not in _FORMATS:
        raise UnknownFormat(value)
    return key


def from_words(words: str) -> str | None:
    """The format a person wrote ("atelier", "mesa redonda", "webinar"); "" for a word that names
    none ("event", "séance": the series' own format); None when it is no format."""
    folded = " ".join(fold(words).replace("’", "'").split()).strip(" .")
    for article in ("an ", "a ", "un ", "une ", "the "):
        folded = folded.removeprefix(article)
    if folded in GENERIC or folded.rstrip("s") in GENERIC:
        return ""
    for key, (names, words_of) in _FORMATS.items():
        candidates = {*words_of, *(fold(names[lang]) for lang in LANGS), key}
        if folded in candidates or folded.rstrip("s") in candidates:
            return key
    return None
