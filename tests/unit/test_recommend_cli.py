"""`copbot recommend`: the person-readable ranking and the --jsonl contract the evaluation uses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cli import recommend as recommend_cli

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog" / "communities.yaml"
IDS = {"PLG", "SHRSI", "PFE", "UBS", "LHS", "CC"}
ENV = {"CATALOG_PATH": str(CATALOG), "DIRECTORY_MODE": "local", "MICROSOFT_APP_ID": ""}


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """copbot"""

    recommend_cli.register(app)
    return app


def run(app: typer.Typer, *args: str, stdin: str | None = None):
    return CliRunner().invoke(app, ["recommend", *args], input=stdin, env=ENV)


def test_a_ranking_for_a_person_with_the_reasons(app: typer.Typer) -> None:
    result = run(app, "which CoP fits me? I work on bus rapid transit in Addis")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Language: en") and "Confident" in lines[0]
    assert "1." in lines[2] and "Urban Basic Services (UBS)" in lines[2]
    assert "Matched: bus rapid transit" in lines[2]
    assert "Cross-cutting community suggested as well: Climate Change (CC)" in result.output


def test_a_french_question_gets_french_names_and_reasons(app: typer.Typer) -> None:
    result = run(app, "Je travaille sur le foncier")
    assert (
        "1. " in result.output
        and "Foncier, logement et abris (LHS)  (Correspond à\u202f: foncier)" in result.output
    )


def test_not_sure_is_said(app: typer.Typer) -> None:
    result = run(app, "how do I reset my password?")
    assert result.exit_code == 0
    assert "Not sure" in result.output.splitlines()[0]


def test_jsonl_writes_one_line_per_question_in_order_with_every_community(app: typer.Typer) -> None:
    questions = [
        "water and sanitation",
        "Je travaille sur le foncier",
        "hello",
        "trabajo en vivienda social",
    ]
    stdin = "".join(json.dumps({"q": q, "expect": "x"}) + "\n" for q in questions)
    result = run(app, "--jsonl", stdin=stdin)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["q"] for line in lines] == questions
    for line in lines:
        assert list(line) == ["q", "ranking", "confident"]
        assert {item["id"] for item in line["ranking"]} == IDS and len(line["ranking"]) == 6
        assert all(list(item) == ["id", "score"] for item in line["ranking"])
        scores = [item["score"] for item in line["ranking"]]
        assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
        assert isinstance(line["confident"], bool)
    firsts = [line["ranking"][0]["id"] for line in lines]
    assert (firsts[0], firsts[1], firsts[3]) == ("UBS", "LHS", "LHS")
    assert [line["confident"] for line in lines] == [True, True, False, True]


def test_jsonl_skips_blank_lines_and_reports_bad_ones_then_fails_at_the_end(
    app: typer.Typer,
) -> None:
    stdin = '{"q": "water"}\n\n   \nnot json\n["q"]\n{"q": 3}\n{"q": "climate"}\n'
    result = run(app, "--jsonl", stdin=stdin)
    assert result.exit_code == 1
    answered = [json.loads(line)["q"] for line in result.stdout.splitlines()]
    assert answered == ["water", "climate"]
    assert "line 4: not valid JSON" in result.stderr
    assert 'line 5: expected a JSON object with a string field "q"' in result.stderr
    assert "line 6:" in result.stderr
    assert "3 lines could not be read." in result.stderr


def test_text_or_jsonl_but_not_both_nor_neither(app: typer.Typer) -> None:
    assert run(app).exit_code == 2
    assert run(app, "water", "--jsonl", stdin="").exit_code == 2
    assert run(app, "water", "--lang", "de").exit_code == 2


def test_the_installed_command_speaks_jsonl_on_stdin_and_stdout(tmp_path: Path) -> None:
    """The real entry point, as the evaluation runs it: no database, no server."""
    env = {**os.environ, **ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'never.sqlite3'}"}
    stdin = '{"q": "I am a transport engineer"}\n{"q": "what time is it in New York"}\n'
    done = subprocess.run(
        [sys.executable, "-c", "import cli; cli.main()", "recommend", "--jsonl"],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["ranking"][0]["id"] == "UBS" and first["confident"] is True
    assert second["confident"] is False and len(second["ranking"]) == 6
    assert not (tmp_path / "never.sqlite3").exists()
