"""`copbot recommend`: which CoP fits a person, from the command line (no database, no server).

    copbot recommend "I work on bus rapid transit in Addis"
    copbot recommend --jsonl < questions.jsonl > rankings.jsonl

`--jsonl` reads one JSON object per line with a string field `q` (other fields are ignored) and
writes one line per question, in order:

    {"q": "...", "ranking": [{"id": "UBS", "score": 0.83}, ...], "confident": true}

with every community of the catalog ranked, best first, scores in [0, 1]. Blank lines are
skipped. A line that is not a JSON object with a string `q` gets no output line: its number and
the reason go to stderr, the other lines are still answered, and the exit code is 1 at the end
(0 when every line was answered). This is the interface the evaluation uses: keep it stable.
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any

import typer

import app as composition
from copbot.catalog import Catalog, CatalogError
from copbot.finder import Finder, Recommendation
from copbot.i18n import LANGS, Lang, counted, t


def _load() -> tuple[Catalog, Finder]:
    settings = composition.load_settings()
    try:
        catalog, _ = composition.load_checked_catalog(settings)
    except CatalogError as exc:
        typer.secho(f"The catalog is not valid:\n{exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    return catalog, Finder.of(catalog)


def ranking_line(rec: Recommendation) -> dict[str, Any]:
    """The --jsonl answer to one question."""
    return {
        "q": rec.query,
        "ranking": [{"id": m.cop_id, "score": round(m.score, 4)} for m in rec.ranking],
        "confident": rec.confident,
    }


def run_jsonl(finder: Finder, lines: IO[str], out: IO[str], err: IO[str]) -> int:
    """Answers every valid line; returns the number of lines that could not be read."""
    problems = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            err.write(f"line {number}: not valid JSON ({exc.msg})\n")
            problems += 1
            continue
        if not isinstance(item, dict) or not isinstance(item.get("q"), str):
            err.write(f'line {number}: expected a JSON object with a string field "q"\n')
            problems += 1
            continue
        rec = finder.recommend(item["q"])
        out.write(json.dumps(ranking_line(rec), ensure_ascii=False) + "\n")
        out.flush()
    return problems


def describe(rec: Recommendation, catalog: Catalog) -> list[str]:
    """The ranking for a person to read, with the reasons in the question's language."""
    lines = [
        f"Language: {rec.lang}    "
        + (
            "Confident"
            if rec.confident
            else "Not sure: the bot asks what the work is about and offers the list"
        ),
        "",
    ]
    for rank, match in enumerate(rec.ranking, 1):
        name = catalog.localized_name(match.cop_id, rec.lang)
        reason = (
            f"  ({t(rec.lang, 'finder_reason', terms=', '.join(match.terms))})"
            if match.terms
            else ""
        )
        lines.append(f"{rank:2}. {match.score:.2f}  {name}{reason}")
    if rec.cross_cutting is not None:
        name = catalog.localized_name(rec.cross_cutting.cop_id, rec.lang)
        lines += ["", f"Cross-cutting community suggested as well: {name}"]
    return lines


def recommend(
    text: str = typer.Argument(None, help="What the person says about their work."),
    jsonl: bool = typer.Option(
        False,
        "--jsonl",
        help='Read JSON lines with a "q" field on stdin; write one ranking per line.',
    ),
    lang: str = typer.Option(
        None, "--lang", help="The person's language (en, fr, es) when the text does not tell."
    ),
) -> None:
    """Which Community of Practice fits a person: every community ranked, with the reasons."""
    if jsonl == bool(text):
        typer.secho(
            'Give either a text ("copbot recommend \\"...\\"") or --jsonl.',
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(2)
    if lang is not None and lang not in LANGS:
        typer.secho(f"--lang is one of {', '.join(LANGS)}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    catalog, finder = _load()
    if jsonl:
        problems = run_jsonl(finder, sys.stdin, sys.stdout, sys.stderr)
        if problems:
            typer.secho(
                f"{counted(problems, 'line')} could not be read.", fg=typer.colors.RED, err=True
            )
            raise typer.Exit(1)
        return
    hint: Lang | None = lang
    for line in describe(finder.recommend(text, lang_hint=hint), catalog):
        typer.echo(line)


def register(app: typer.Typer) -> None:
    app.command()(recommend)
