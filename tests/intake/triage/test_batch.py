"""The batch path: one JSON document or JSON Lines in, one output line per history."""

from __future__ import annotations

import json

from intake.triage import result_to_json, triage
from intake.triage.batch import triage_text

LACING = {"footwear": {"lacing": "tight"}}


def test_a_single_document_over_several_lines_is_one_history() -> None:
    lines = list(triage_text("\n" + json.dumps(LACING, indent=2)))

    assert [(line.line, line.output, line.ok) for line in lines] == [
        (2, result_to_json(triage(LACING)), True)
    ]


def test_json_lines_give_one_output_per_history_in_order() -> None:
    text = "\n".join(
        [json.dumps(LACING), json.dumps({}), json.dumps({"back": {"saddle_numbness": True}})]
    )

    dispositions = [json.loads(line.output)["disposition"] for line in triage_text(text)]

    assert dispositions == ["self_help", "self_help", "urgent"]


def test_blank_lines_are_skipped_but_counted() -> None:
    lines = list(triage_text('{}\n\n  \n{"colour": 1}\n'))

    assert [(line.line, line.ok) for line in lines] == [(1, True), (4, False)]


def test_an_invalid_history_gives_an_error_line_naming_the_field() -> None:
    lines = list(triage_text('{"footwear": {"lacing": "very tight"}}\n{}\n'))

    assert json.loads(lines[0].output) == {
        "line": 1,
        "error": "footwear.lacing: 'very tight' is not one of 'loose', 'normal', 'tight'",
    }


def test_a_line_that_is_not_json_gives_an_error_line() -> None:
    lines = list(triage_text("{}\n{nope\n"))

    assert json.loads(lines[1].output)["error"].startswith("not valid JSON")


def test_nan_is_not_json() -> None:
    lines = list(triage_text('{}\n{"training": {"weekly_km_now": NaN}}\n'))

    assert json.loads(lines[1].output) == {"line": 2, "error": "NaN is not valid JSON"}


def test_empty_input_gives_nothing() -> None:
    assert list(triage_text("\n\n")) == []
