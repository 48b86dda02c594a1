"""Who is asked, who decides, who is told: the people of a join request.

- Approval cards go to the CoP's focal-points channel if the catalog names one, else to each focal
  point with an Entra object id (their 1:1 chat with the bot).
- A focal point asking to join their own CoP is decided by its other focal points; they approve
  it themselves only when they are its one focal point (docs/admin.md).
- Escalations (a request left pending too long) go to the admins.
- Only the CoP's focal points, or admins, decide.
"""

from __future__ import annotations

from copbot.admins import Admins
from copbot.catalog import Community
from copbot.membership.model import CHANNEL_PREFIX, FOR_ESCALATION


def approval_recipients(community: Community, requester_id: str = "") -> list[str]:
    """Where a request's approval cards go: `channel:<id>` or focal points' object ids (not the
    requester's own, unless they are the one focal point who can be reached)."""
    if community.focal_points_channel_id:
        return [f"{CHANNEL_PREFIX}{community.focal_points_channel_id}"]
    ids = community.focal_point_ids()
    others = [i for i in ids if i != requester_id.lower()]
    return others or ids


def reached_focal_points(community: Community, requester_id: str = "") -> list[str]:
    """The names of the focal points a request reaches (all of them through a channel)."""
    reached = [
        fp for fp in community.focal_points if fp.aad_object_id or community.focal_points_channel_id
    ]
    others = [fp for fp in reached if fp.aad_object_id != requester_id.lower()]
    return [fp.name for fp in (others or reached)]


def may_decide(admins: Admins, community: Community | None, actor_id: str) -> bool:
    actor = (actor_id or "").lower()
    if not actor:
        return False
    if admins.includes(actor):
        return True
    return community is not None and actor in community.focal_point_ids()


def deciders(admins: Admins, community: Community | None, purpose: str) -> list[str]:
    """Who may act on a card of this purpose: the focal points, and the admins on escalations."""
    ids = list(community.focal_point_ids() if community else [])
    if purpose == FOR_ESCALATION:
        ids += list(admins)
    return list(dict.fromkeys(ids))
