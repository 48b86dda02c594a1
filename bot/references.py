"""Turns an activity into the conversation references and people records the store keeps."""

from __future__ import annotations

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from copbot.services import Services
from copbot.store import people


def reference_of(activity: Activity) -> dict:
    return TurnContext.get_conversation_reference(activity).serialize()


async def remember_person(
    services: Services, person_id: str, name: str, locale: str, activity: Activity
) -> None:
    await people.remember_person(
        services.db,
        person_id,
        name,
        locale,
        services.clock.now(),
        reference=reference_of(activity),
        conversation_id=activity.conversation.id,
    )


async def remember_channel(services: Services, activity: Activity) -> None:
    """A team channel the bot was installed in: keyed by the channel id (and the team's General)."""
    data = activity.channel_data or {}
    channel = (data.get("channel") or {}).get("id") or activity.conversation.id
    team = (data.get("team") or {}).get("id")
    reference = reference_of(activity)
    now = services.clock.now()
    await people.remember_reference(
        services.db, f"channel:{channel}", "channel", channel, reference, now
    )
    if team:
        await people.remember_reference(
            services.db, f"team:{team}", "channel", team, reference, now
        )
