"""Which CoP fits me, measured on the frozen blind set (tests/data/finder_blind.jsonl, issue 16).

    .venv/bin/python bench/finder_blind.py            # aggregate figures, as a Markdown table
    .venv/bin/python bench/finder_blind.py --misses   # and every miss (for analysis AFTER tuning)

Per language and overall: top-1 (the first community is `expect` or one of `also`, whether or not
the finder is confident), top-3 recall of `expect`, the share of topical questions answered "not
sure" (the finder not confident: the bot asks again instead of suggesting) and the share of
off-topic questions answered "not sure" (higher is better). The set is never tuned on: read tests/data/finder_blind.README.md first.
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

from recommend import CATALOG, ROOT, evaluate, finder_ranker, pct, read_jsonl

from copbot.catalog import load_catalog
from copbot.finder import Finder

BLIND = ROOT / "tests" / "data" / "finder_blind.jsonl"


def git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT).stdout.strip()


def measured_commit() -> str:
    """HEAD and the last commit that changed the finder or the catalog (or: local changes)."""
    paths = ["--", "copbot/finder", "catalog"]
    finder = git("log", "-1", "--format=%h", *paths)
    dirty = " + local changes" if git("status", "--porcelain", *paths) else ""
    return f"{git('rev-parse', '--short', 'HEAD')} (finder and catalog as of {finder}{dirty})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--misses", action="store_true", help="list every miss (after tuning)")
    parser.add_argument("--set", type=Path, default=BLIND, help="another set in the same format")
    args = parser.parse_args()

    rank = finder_ranker(Finder.of(load_catalog(CATALOG)))
    rows = read_jsonl(args.set)
    groups = {lang: [r for r in rows if r["lang"] == lang] for lang in ("en", "fr", "es")}
    groups["all"] = rows

    lines = [
        f"Blind set: {args.set.relative_to(ROOT)}, finder at commit {measured_commit()}.",
        "",
        '| language | topical | top-1 | top-3 | topical "not sure" | off-topic | off-topic "not sure" |',
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    misses: list[str] = []
    for name, group in groups.items():
        topical = [r for r in group if r["expect"]]
        offtopic = [r for r in group if not r["expect"]]
        result = evaluate(rank, topical, offtopic)
        n = sum(count for count, _, _ in result.per_lang.values())
        top1 = sum(count * share for count, share, _ in result.per_lang.values()) / n
        top3 = sum(count * share for count, _, share in result.per_lang.values()) / n
        unsure = sum(not rank(r["q"])[1] for r in topical) / n
        off_n, confident = result.offtopic
        lines.append(
            f"| {name} | {n} | {pct(top1)} | {pct(top3)} | {pct(unsure)} | {off_n} "
            f"| {pct(1 - confident)} |"
        )
        if name == "all":
            misses = result.misses
    print("\n".join(lines))
    if args.misses:
        print("", *(f"  {miss}" for miss in misses), sep="\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
