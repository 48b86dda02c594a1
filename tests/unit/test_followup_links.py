"""Links for a meeting's follow-up: https only, one address, nothing that would break a card or a
calendar, invisible characters refused."""

from __future__ import annotations

import pytest

from copbot.meetings.links import check_link, link_label, split_links
from copbot.meetings.values import MeetingsError


@pytest.mark.parametrize(
    "link",
    [
        "https://unhabitat.sharepoint.com/sites/UBS/Recordings/2026-12-16.mp4",
        "https://www.youtube.com/watch?v=abc&t=10s",
        "<https://unhabitat.org/report.pdf>",  # as Teams sometimes wraps a pasted link
    ],
)
def test_https_links_are_kept(link: str) -> None:
    assert check_link(link) == link.strip("<>")


@pytest.mark.parametrize(
    ("link", "key"),
    [
        ("http://unhabitat.org/rec", "followup_https_only"),
        ("javascript:alert(1)", "followup_https_only"),
        ("ftp://unhabitat.org/rec", "followup_https_only"),
        ("https://", "followup_bad_link"),
        ("https://localhost/rec", "followup_bad_link"),
        ("https://user:secret@unhabitat.org/", "followup_bad_link"),
        ("https://unhabitat.org/a b", "followup_bad_link"),
        ('https://unhabitat.org/"onmouseover', "followup_bad_link"),
        ("https://unhabitat.org/[x](y)", "followup_bad_link"),
        ("https://unhabitat.org/\u200erec", "followup_bad_link"),
        ("https://unhabitat.org/" + "a" * 2000, "followup_bad_link"),
        ("", "followup_bad_link"),
    ],
)
def test_other_links_are_refused_with_a_reason(link: str, key: str) -> None:
    with pytest.raises(MeetingsError) as refused:
        check_link(link)
    assert refused.value.key == key
    assert "only https://" in MeetingsError("followup_https_only", link="x").text("en")


def test_materials_are_one_per_line_or_separated_by_spaces() -> None:
    assert split_links("https://a.org/1\nhttps://b.org/2, https://c.org/3") == [
        "https://a.org/1",
        "https://b.org/2",
        "https://c.org/3",
    ]
    with pytest.raises(MeetingsError):
        split_links("https://a.org/1 http://b.org/2")


def test_a_button_shows_the_host_and_the_file() -> None:
    assert (
        link_label("https://www.unhabitat.org/sites/UBS/slides.pdf") == "unhabitat.org/…/slides.pdf"
    )
    assert link_label("https://unhabitat.org/report") == "unhabitat.org/report"
