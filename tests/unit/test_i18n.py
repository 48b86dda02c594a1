"""Every message exists in English, French and Spanish with the same placeholders."""

from __future__ import annotations

import re
import string

import pytest

from copbot.i18n import LANGS, fold, lang_from_locale, t


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", t.keys())
def test_message_is_translated_with_the_same_placeholders(key: str) -> None:
    raw = t.raw(key)
    assert set(raw) == set(LANGS), f"{key} lacks {set(LANGS) - set(raw)}"
    assert all(raw[lang].strip() for lang in LANGS)
    english = _placeholders(raw["en"])
    for lang in LANGS:
        assert _placeholders(raw[lang]) == english, (key, lang)


@pytest.mark.parametrize(
    ("locale", "lang"),
    [
        ("fr-FR", "fr"),
        ("fr-CA", "fr"),
        ("es-419", "es"),
        ("es_MX", "es"),
        ("en-GB", "en"),
        ("de-DE", "en"),
        ("", "en"),
        (None, "en"),
        ("FR", "fr"),
    ],
)
def test_locale_picks_the_language_or_english(locale: str | None, lang: str) -> None:
    assert lang_from_locale(locale) == lang


def test_fold_ignores_case_and_accents() -> None:
    assert fold("Résilience ÉCONOMIE Cambio Climático") == "resilience economie cambio climatico"


def test_french_puts_a_narrow_no_break_space_before_double_punctuation() -> None:
    from copbot.i18n import NNBSP, french_typography

    assert french_typography("Points focaux: A, B") == f"Points focaux{NNBSP}: A, B"
    assert french_typography("Changer de CoP ? Oui !") == f"Changer de CoP{NNBSP}? Oui{NNBSP}!"
    assert french_typography("« oui ».") == f"«{NNBSP}oui{NNBSP}»."
    assert french_typography("à 10:00, https://x.org") == "à 10:00, https://x.org"
    assert t("fr", "hello") == f"Bonjour{NNBSP}!"
    for key in t.keys():  # noqa: SIM118 (not a dict)
        french = t.raw(key)["fr"]
        assert not re.search(r"\w[:;!?](\s|$)", french), (key, french)
        assert " :" not in french and " ?" not in french and "« " not in french, key
