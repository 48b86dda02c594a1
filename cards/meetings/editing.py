"""What a focal point sees after skipping, moving or restoring an occurrence, or adding an event."""

from __future__ import annotations

from typing import Any

from cards.elements import card, execute, facts, open_url, text
from cards.meetings.common import RESTORE, feed_url, title, when_facts
from copbot.catalog import Community
from copbot.i18n import Lang, t
from copbot.meetings.dates import short_local
from copbot.meetings.occurrences import Occurrence


def changed_card(
    occ: Occurrence, community: Community, lang: Lang, *, base_url: str
) -> dict[str, Any]:
    """The result of the change, with Undo while the occurrence is skipped or moved."""
    when = short_local(occ.starts_at, occ.time_zone, lang)
    name = title(occ, lang)
    if occ.skipped:
        message = t(lang, "meetings_skip_done", title=name, when=when)
    elif occ.kind == "event" and not occ.sequence:
        message = t(lang, "meetings_event_added", title=name, when=when)
    elif occ.moved:
        message = t(lang, "meetings_move_done", title=name, when=when)
    else:
        message = t(lang, "meetings_restore_done", title=name, when=when)
    body = [text(message, weight="Bolder"), facts(when_facts(occ, lang))]
    actions = []
    if occ.skipped or occ.moved:
        actions.append(execute(t(lang, "meetings_button_undo"), RESTORE, occurrence=occ.id))
    actions.append(
        open_url(t(lang, "meetings_button_calendar"), feed_url(base_url, occ.cop_id, occ.id))
    )
    return card(body, actions, fallback_text=message)
