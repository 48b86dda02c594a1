"""Turns an activity into the conversation references and people records the store keeps."""

from __future__ import annotations

import asyncio

import aiohttp
import structlog
from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity
from msrest.exceptions import ClientRequestError, HttpOperationError

from copbot.services import Services
from copbot.store import people

log = structlog.get_logger(__name__)


def reference_of(activity: Activity) -> dict:
    return TurnContext.get_conversation_reference(activity).serialize()


async def remember_person(
    services: Services,
    person_id: str,
    name: str,
    locale: str,
    activity: Activity,
    email: str | None = None,
) -> None:
    await people.remember_person(
        services.db,
        person_id,
        name,
        locale,
        services.clock.now(),
        reference=reference_of(activity),
        conversation_id=activity.conversation.id,
        email=email,
    )


async def member_profile(turn_context: TurnContext) -> tuple[str, str | None]:
    """The sender's name and email from Teams' roster (conversationUpdate carries neither)."""
    sender = turn_context.activity.from_property
    if sender is None or not sender.id:
        return "", None
    try:
        async with asyncio.timeout(5):
            member = await TeamsInfo.get_member(turn_context, sender.id)
    except (HttpOperationError, ClientRequestError, aiohttp.ClientError, TimeoutError) as exc:
        # Teams did not answer, or not with the member: the roster is a nicety, greet without it.
        log.info("profile.unavailable", reason=type(exc).__name__)
        return "", None
    except Exception:  # a bug: greet without a name all the same, and say so
        log.warning("profile.lookup_failed", exc_info=True)
        return "", None
    return member.name or "", member.email or member.user_principal_name


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
