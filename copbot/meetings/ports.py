"""What the meetings domain needs from outside it, besides the shared ports (`Notifier`, `Clock`,
`Database`): the cards it posts. `cards.meetings` implements it; the composition root passes it."""

from __future__ import annotations

from typing import Any, Protocol

from copbot.catalog import Community
from copbot.i18n import Lang
from copbot.meetings.occurrences import Occurrence
from copbot.meetings.values import QuestionView


class MeetingCards(Protocol):
    def announcement_card(
        self, occurrence: Occurrence, community: Community, lang: Lang, *, base_url: str
    ) -> dict[str, Any]: ...

    def reminder_card(
        self, occurrence: Occurrence, community: Community, lang: Lang, *, base_url: str
    ) -> dict[str, Any]: ...

    def change_card(
        self, occurrence: Occurrence, community: Community, lang: Lang, *, base_url: str
    ) -> dict[str, Any]: ...

    def digest_card(
        self,
        occurrence: Occurrence,
        community: Community,
        questions: list[QuestionView],
        lang: Lang,
        *,
        late: bool = False,
    ) -> dict[str, Any]: ...

    def answered_text(
        self,
        question: str,
        occurrence: Occurrence | None,
        community: Community,
        by: str,
        lang: Lang,
    ) -> str: ...
