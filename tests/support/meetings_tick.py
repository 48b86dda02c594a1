"""One CoP Bot instance ticking the meetings schedule at a fixed (fake) time, for the test where two
processes share one database. Settings come from the environment as for `copbot serve`.

    python -m tests.support.meetings_tick --at 2026-12-15T07:01:00+00:00 --start-at <epoch> --rounds 5

Waits until the wall-clock `--start-at` (so that two processes start together), ticks `--rounds`
times, prints a JSON line {"sent": [...], "failed": [...], "skipped": [...]}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from datetime import datetime

import app as composition
from copbot.clock import FakeClock


async def main(at: datetime, start_at: float, rounds: int) -> dict[str, list[str]]:
    settings = composition.load_settings()
    components = composition.build_components(settings, clock=FakeClock(at))
    service = components.services.meetings
    await components.services.db.upgrade()
    total: dict[str, list[str]] = {"sent": [], "failed": [], "skipped": []}
    try:
        await asyncio.sleep(max(0.0, start_at - time.time()))
        for _ in range(rounds):
            report = await service.posting.tick()
            total["sent"] += report.sent
            total["failed"] += report.failed
            total["skipped"] += report.skipped
    finally:
        await components.services.db.dispose()
    return total


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--at", required=True, type=datetime.fromisoformat)
    parser.add_argument("--start-at", type=float, default=0.0)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.at, args.start_at, args.rounds))))
