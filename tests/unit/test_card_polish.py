"""Button titles are short enough for Teams to show whole (it cuts them around 20-30
characters): a CoP is named by its abbreviation on a button ("Join SHRSI"), in full in the
card's body."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from cards.membership import leave_confirm_card, my_communities_card, welcome_card
from copbot.catalog import load_catalog
from copbot.i18n import LANGS
from copbot.membership.model import MyCommunities, RequestView, Role, Status
from tests.cards.samples import all_samples
from tests.conftest import ROOT
from tests.fakes.connector import card_text

LONGEST = 24  # every title in every language fits a narrow Teams button


def titles(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        if str(node.get("type", "")).startswith("Action.") and "title" in node:
            found.append(node["title"])
        for child in node.values():
            found += titles(child)
    elif isinstance(node, list):
        for child in node:
            found += titles(child)
    return found


def test_every_button_of_every_card_is_short() -> None:
    too_long = {
        (sample.name, title)
        for sample in all_samples()
        if sample.build is not None
        for title in titles(sample.build(*sample.args, **sample.kwargs))
        if len(title) > LONGEST and "/" not in title  # a link's own address (OpenUrl)
    }
    assert too_long == set()


CATALOG = load_catalog(ROOT / "catalog" / "communities.yaml")


@pytest.mark.parametrize("lang", LANGS)
def test_leaving_the_primary_names_the_others_in_full_and_buttons_by_abbreviation(lang) -> None:
    ubs, shrsi = CATALOG.get("UBS"), CATALOG.get("SHRSI")
    shown = leave_confirm_card(ubs, lang, was_primary=True, others=[shrsi])
    buttons = titles(shown)
    assert any("SHRSI" in title for title in buttons)
    assert all(len(title) <= LONGEST for title in buttons), buttons
    assert shrsi.display_name(lang) in card_text(shown)


def test_the_welcome_suggests_a_cross_cutting_cop_with_a_short_button() -> None:
    request = RequestView(
        id="r1",
        person_id="p1",
        cop_id="UBS",
        role=Role.PRIMARY,
        note="",
        lang="en",
        requester={},
        status=Status.APPROVED,
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
        decided_by_name="Bruno Costa",
    )
    shown = welcome_card(request, CATALOG.get("UBS"), "en", cross_cutting=[CATALOG.get("SHRSI")])
    assert "Join SHRSI" in titles(shown)
    assert "Safety, Human Rights and Social Inclusion (SHRSI)" in card_text(shown)


@pytest.mark.parametrize(
    ("lang", "primary", "secondary"),
    [
        ("en", "as your primary CoP", "as your secondary CoP"),
        ("fr", "comme CoP principale", "comme CoP secondaire"),
        ("es", "como CoP principal", "como CoP secundaria"),
    ],
)
def test_pending_requests_say_whether_they_are_for_the_primary_or_a_secondary(
    lang, primary: str, secondary: str
) -> None:
    def asked(cop_id: str, role: Role) -> RequestView:
        return RequestView(
            id=cop_id,
            person_id="p1",
            cop_id=cop_id,
            role=role,
            note="",
            lang=lang,
            requester={},
            status=Status.PENDING,
            created_at=datetime(2026, 12, 1, tzinfo=UTC),
        )

    mine = MyCommunities([], [asked("UBS", Role.PRIMARY), asked("CC", Role.SECONDARY)])
    shown = card_text(my_communities_card(mine, CATALOG, lang))
    assert f"{CATALOG.get('UBS').display_name(lang)}, {primary}" in shown
    assert f"{CATALOG.get('CC').display_name(lang)}, {secondary}" in shown
