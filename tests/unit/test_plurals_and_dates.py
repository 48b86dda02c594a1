"""Plurals through CLDR rules and dates through CLDR (Babel), in English, French and Spanish;
a time in plain text names its zone; the welcome card's next meeting shows in the reader's zone
and names the CoP's zone beside it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cards.elements import reader_time
from copbot.i18n import LANGS, t
from copbot.meetings.dates import time_with_utc, when_text

AT = datetime(2026, 12, 16, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("lang", "forms"),
    [
        ("en", ["0 minutes", "1 minute", "2 minutes", "1,500 minutes"]),
        ("fr", ["0 minute", "1 minute", "2 minutes", "1\u202f500 minutes"]),
        ("es", ["0 minutos", "1 minuto", "2 minutos", "1.500 minutos"]),
    ],
)
def test_counts_follow_the_languages_plural_rules(lang: str, forms: list[str]) -> None:
    assert [str(t(lang, "meetings_minutes", count=n)) for n in (0, 1, 2, 1500)] == forms


@pytest.mark.parametrize("lang", LANGS)
def test_no_message_hedges_its_plural(lang: str) -> None:
    for key in t.keys():  # noqa: SIM118 (not a dict)
        text = t.raw(key)[lang]
        assert "(s)" not in text and "(es)" not in text and "/a " not in text, (key, text)


def test_the_digest_counts_its_questions() -> None:
    one = t("en", "meetings_digest_intro", title="UBS", when="today", count=1)
    two = t("fr", "meetings_digest_intro", title="UBS", when="aujourd'hui", count=2)
    assert "1 question. Mark it answered" in one
    assert "2 questions. Marquez chacune" in two


def test_a_counted_message_needs_its_count() -> None:
    with pytest.raises(TypeError):
        t("en", "meetings_minutes")


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Wednesday, 16 December 2026, 10:00 Nairobi time (07:00 UTC)"),
        ("fr", "mercredi 16 décembre 2026, 10:00 heure de Nairobi (07:00 UTC)"),
        ("es", "miércoles, 16 de diciembre de 2026, 10:00 hora de Nairobi (07:00 UTC)"),
    ],
)
def test_a_time_in_plain_text_names_its_zone_and_utc(lang: str, text: str) -> None:
    assert when_text(AT, "Africa/Nairobi", lang) == text


def test_a_meeting_in_utc_is_not_given_twice() -> None:
    assert time_with_utc(AT, "UTC", "en") == "07:00 UTC"


def test_the_welcomes_next_meeting_is_in_the_readers_zone_with_the_cops_zone_beside_it() -> None:
    shown = reader_time(AT, "Africa/Nairobi", "fr")
    assert shown.startswith("{{DATE(2026-12-16T07:00:00Z, SHORT)}} {{TIME(2026-12-16T07:00:00Z)}}")
    assert shown.endswith("à votre heure · 16 décembre 2026, 10:00 heure de Nairobi (07:00 UTC)")
