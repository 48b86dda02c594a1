"""Links people give for a meeting's follow-up (recording, materials): https only, one address
each, no spaces or quotes, so that every card and calendar can show them as they are."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from copbot.meetings.values import MeetingsError

MAX_LINK = 2000
MAX_MATERIALS = 10
# Characters that end a URL in text or would break a card's markdown or an iCalendar value.
_UNSAFE = re.compile(r"[\s<>\"'`\\\[\]{}|^]")


def check_link(value: str) -> str:
    """The link as given (trimmed), or MeetingsError "followup_bad_link" that says why."""
    link = (value or "").strip().strip("<>")
    shown = link[:80]
    if not link:
        raise MeetingsError("followup_bad_link", link=shown)
    invisible = any(unicodedata.category(c)[0] in "CZ" for c in link)  # controls, format, spaces
    if len(link) > MAX_LINK or _UNSAFE.search(link) or invisible:
        raise MeetingsError("followup_bad_link", link=shown)
    try:
        parts = urlsplit(link)
    except ValueError:
        raise MeetingsError("followup_bad_link", link=shown) from None
    if parts.scheme.lower() != "https":
        raise MeetingsError("followup_https_only", link=shown)
    host = parts.hostname or ""
    if not host or "." not in host or parts.username or parts.password:
        raise MeetingsError("followup_bad_link", link=shown)
    return link


def split_links(value: str) -> list[str]:
    """Links one per line (or separated by spaces or commas), each checked."""
    return [check_link(part) for part in re.split(r"[\s,]+", value or "") if part.strip()]


def link_label(link: str, limit: int = 48) -> str:
    """'sharepoint.com/…/slides.pdf': what a button shows of a link."""
    parts = urlsplit(link)
    host = (parts.hostname or "").removeprefix("www.")
    tail = parts.path.rstrip("/").rsplit("/", 1)[-1]
    label = f"{host}/…/{tail}" if tail and parts.path.count("/") > 1 else f"{host}{parts.path}"
    label = label.rstrip("/")
    return label if len(label) <= limit else label[: limit - 1] + "…"
