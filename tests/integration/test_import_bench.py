"""bench/import.py keeps working: a small run (200 rows, a scaled-down write limit).

The full figures (2,000 rows, Graph's 20 writes/s) are in docs/benchmarks.md; this only checks
what does not depend on the machine: the request counts, and that everyone is added both ways.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_import", ROOT / "bench" / "import.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_import"] = module
    spec.loader.exec_module(module)
    return module


async def test_the_bulk_import_needs_one_add_per_20_members_of_a_cop_and_a_tenth_of_the_requests() -> (
    None
):
    bench = load_bench()
    rows = 200

    # 50 writes a second: the baseline's 200 adds reach it unless this machine makes fewer than
    # ~100 requests a second (200 spread over 3 one-second windows put 67 in one of them).
    bulk, baseline = await bench.measure(rows, writes=50, window=1.0)

    assert bulk.added == baseline.added == rows
    assert bulk.add_requests_accepted == bench.fewest_adds(rows) == 12  # 34/33 a CoP: 2 each
    assert baseline.add_requests_accepted == rows
    assert baseline.throttled > 0  # the write limit was reached, and waited out
    assert bulk.lookups == 10  # 200 people, 20 a $batch
    assert bulk.requests * 5 < baseline.requests
    lines, _ok = bench.verdict(bulk, baseline, rows)
    assert lines[2].startswith("- add requests Graph carried out: **12** for 200 members")
