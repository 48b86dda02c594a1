"""Joining a CoP in Teams, as translators between turns and `copbot.membership`:

words.py    the phrases people type (en/fr/es) and "join X as my primary: note"
join.py     asking to join, and the questions asked back
decide.py   Approve / Reject / Refresh on the focal points' approval card
mine.py     my communities, making one primary, leaving, withdrawing
wiring.py   commands, card actions, the reminders job: `FEATURE`
"""

from bot.features.membership.wiring import FEATURE

__all__ = ["FEATURE"]
