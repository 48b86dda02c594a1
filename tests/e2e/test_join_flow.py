"""Joining a CoP in the Playground, in headless Chromium: Amina (the Playground's current user,
UBS's focal point in catalog/local-demo.yaml) asks which CoP fits her work, clicks Join on the
suggestion, approves the approval card that arrives in her own chat (Action.Execute), is welcomed,
and finds UBS as her primary CoP in "my communities"."""

from __future__ import annotations

from tests.e2e.harness import PlaygroundPage, PlaygroundServer

UBS = "Urban Basic Services (UBS)"


async def test_ask_join_approve_welcome_and_my_communities(
    copbot: tuple[PlaygroundServer, object], chat: PlaygroundPage
) -> None:
    _, components = copbot
    await chat.open_personal_chat()
    await chat.wait_for_bot_message("I'm CoP Bot", fresh=False)

    await chat.send_message("Which CoP fits me? I work on water supply and sanitation in Nairobi")
    await chat.wait_for_card(UBS)
    await chat.click_card_button("Join as primary", card_contains=UBS)
    await chat.wait_for_bot_message(
        f"Your request to join {UBS} as your primary CoP is with its focal points (Amina Wanjiru)"
    )

    # Amina is UBS's focal point: the approval card reaches her own chat, proactively.
    card = await chat.wait_for_card(f"Request to join {UBS}")
    assert "Amina Wanjiru asks to join" in (await card.inner_text())
    await chat.click_card_button("Approve", card_contains=f"Request to join {UBS}")
    await chat.wait_for_card("Approved by Amina Wanjiru")

    welcome = await chat.wait_for_card(f"Welcome to {UBS}!")
    text = await welcome.inner_text()
    assert "It is your primary CoP." in text
    assert "skills profile" in text

    await chat.send_message("my communities")
    await chat.wait_for_card(f"{UBS} · Primary")

    memberships = components.services.membership.memberships
    mine = await memberships.my_communities("4f39e9cf-f3b8-41da-92e5-5d8a0203a448")
    assert [(m.cop_id, m.role.value, m.added) for m in mine.memberships] == [
        ("UBS", "primary", True)
    ]
