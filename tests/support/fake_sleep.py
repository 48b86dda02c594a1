"""`asyncio.sleep` on a FakeClock, for code that waits (copbot/work/pace.py): a sleeper moves the
clock to the end of its sleep, never back, so concurrent sleepers end at the latest of their times
and nothing waits in real time."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from copbot.clock import FakeClock


class FakeSleep:
    def __init__(self, clock: FakeClock):
        self.clock = clock
        self.slept: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)
        until = self.clock.now() + timedelta(seconds=seconds)
        await asyncio.sleep(0)  # let the others that asked at the same instant ask too
        if until > self.clock.now():
            self.clock.set(until)
