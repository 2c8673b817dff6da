"""`manage.py triage PATH`: a JSON file, JSON Lines, stdin; error lines and exit status 2."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from intake.triage import result_to_json, triage

ROOT = Path(__file__).parents[3]
LACING = {"footwear": {"lacing": "tight"}}
SADDLE = {"back": {"saddle_numbness": True}}
BAD_ENUM = {"footwear": {"lacing": "very tight"}}


def run_triage(path: str, **options: Any) -> list[str]:
    out = io.StringIO()
    call_command("triage", path, stdout=out, **options)
    return out.getvalue().splitlines()


def expected(history: dict[str, Any]) -> str:
    return result_to_json(triage(history))


@pytest.fixture
def jsonl_with_a_bad_line(tmp_path: Path) -> Path:
    path = tmp_path / "histories.jsonl"
    path.write_text("\n".join(json.dumps(h) for h in (LACING, BAD_ENUM, SADDLE)) + "\n")
    return path


def test_it_triages_a_single_json_file(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    path.write_text(json.dumps(SADDLE, indent=2))

    assert run_triage(str(path)) == [expected(SADDLE)]


def test_it_exits_2_when_a_line_is_invalid(jsonl_with_a_bad_line: Path) -> None:
    with pytest.raises(CommandError) as caught:
        run_triage(str(jsonl_with_a_bad_line))

    assert caught.value.returncode == 2


def test_it_still_writes_the_other_lines_around_an_invalid_one(jsonl_with_a_bad_line: Path) -> None:
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("triage", str(jsonl_with_a_bad_line), stdout=out)

    lines = out.getvalue().splitlines()
    assert (lines[0], lines[2]) == (expected(LACING), expected(SADDLE))


def test_the_error_line_names_the_line_and_the_field(jsonl_with_a_bad_line: Path) -> None:
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("triage", str(jsonl_with_a_bad_line), stdout=out)

    assert json.loads(out.getvalue().splitlines()[1]) == {
        "line": 2,
        "error": "footwear.lacing: 'very tight' is not one of 'loose', 'normal', 'tight'",
    }


def test_it_reads_stdin_for_a_dash() -> None:
    stdin = io.StringIO(json.dumps(LACING) + "\n\n" + json.dumps(SADDLE) + "\n")

    assert run_triage("-", stdin=stdin) == [expected(LACING), expected(SADDLE)]


def test_an_unreadable_path_is_a_clear_error_with_status_2(tmp_path: Path) -> None:
    missing = tmp_path / "missing.jsonl"

    with pytest.raises(CommandError, match=f"cannot read {missing}: No such file") as caught:
        run_triage(str(missing))

    assert caught.value.returncode == 2


def test_from_the_shell_it_writes_every_line_then_exits_2(jsonl_with_a_bad_line: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "manage.py", "triage", str(jsonl_with_a_bad_line)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )

    assert (completed.returncode, len(completed.stdout.splitlines())) == (2, 3)
    assert "1 of 3 histories invalid" in completed.stderr


@pytest.mark.parametrize("text", ["", "\n  \n"], ids=["empty", "blank-lines"])
def test_empty_input_says_no_input_and_exits_2(text: str) -> None:
    with pytest.raises(CommandError, match="no input: stdin holds no history") as caught:
        run_triage("-", stdin=io.StringIO(text))

    assert caught.value.returncode == 2
