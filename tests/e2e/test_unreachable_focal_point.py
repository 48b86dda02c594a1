"""A join whose focal point the Playground does not know ends in a visible, honest state (issue 11).

The Playground answers `createConversation` 201 for anyone, then `POST .../activities` 500
`UserNotFound` for a user it does not know: the card is undeliverable (never "sent"), the request
goes at once to the admin (Amina, the Playground's current user), the requester (Amina too) is told
that it waits and why, and `copbot requests` shows the card undeliverable with Teams' reason.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio
import yaml

from cli.requests import report_lines
from tests.e2e.harness import PlaygroundPage, PlaygroundServer, serve_app

UBS = "Urban Basic Services (UBS)"
AMINA = "4f39e9cf-f3b8-41da-92e5-5d8a0203a448"  # the Playground's current user
UNKNOWN = "0badf00d-0000-4000-8000-00000000dead"  # nobody in the Playground's tenant


@pytest_asyncio.fixture
async def copbot_unknown_focal_point(
    playground: PlaygroundServer, tmp_path: Path
) -> AsyncIterator[object]:
    import app as composition
    from tests.conftest import ROOT, make_settings

    demo = yaml.safe_load((ROOT / "catalog" / "local-demo.yaml").read_text(encoding="utf-8"))
    demo["communities"]["UBS"]["focal_points"] = [
        {"name": "Oscar Unknown", "email": "oscar.unknown@un.org", "aad_object_id": UNKNOWN}
    ]
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(yaml.safe_dump(demo), encoding="utf-8")
    settings = make_settings(
        DATABASE_URL=f"sqlite:///{tmp_path / 'e2e.sqlite3'}",
        CATALOG_OVERLAY_PATH=str(overlay),
        ADMIN_IDS=AMINA,
    )
    components = composition.build_components(settings)
    async with serve_app(composition.create_web_app(components)) as base_url:
        playground.connect(f"{base_url}/api/messages")
        yield components


async def test_a_focal_point_the_playground_does_not_know_ends_visible_and_honest(
    copbot_unknown_focal_point: object, chat: PlaygroundPage
) -> None:
    components = copbot_unknown_focal_point
    services = components.services  # type: ignore[attr-defined]
    await chat.open_personal_chat()
    await chat.wait_for_bot_message("I'm CoP Bot", fresh=False)

    await chat.send_message("join UBS as my primary")
    await chat.wait_for_bot_message(f"Your request to join {UBS}")
    # The requester is told the truth: the focal point cannot be reached, the admins have it.
    await chat.wait_for_bot_message("I cannot reach its focal points through Teams")
    # ... and the admin (Amina) has the request at once, with its buttons.
    card = await chat.wait_for_card(f"Request to join {UBS}")
    assert "Amina Wanjiru asks to join" in (await card.inner_text())

    await services.outbox.drain()
    report = await services.membership.reports.requests_report()
    [pending] = report["pending"]
    states = {(c["recipient"], c["purpose"]): c for c in pending["cards"]}
    oscar = states[(UNKNOWN, "request")]
    assert oscar["state"] == "undeliverable"
    assert "UserNotFound" in oscar["reason"]
    assert states[(AMINA, "escalation")]["state"] == "delivered"
    lines = report_lines(report, services.clock.now())
    assert any(
        "request card to Oscar Unknown <oscar.unknown@un.org>: undeliverable" in line
        and "UserNotFound" in line
        for line in lines
    ), lines
