"""validate_history: jsonschema's draft 2020-12 semantics, its messages, the first error's path."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from jsonschema import Draft202012Validator

from intake.triage import HistoryError, in_schema_order, triage, validate_history
from intake.triage.schema import SCHEMA, SchemaCompileError, compile_schema
from tests.intake.triage.strategies import documents

JSONSCHEMA = Draft202012Validator(SCHEMA)


def error_of(document: object) -> HistoryError:
    with pytest.raises(HistoryError) as caught:
        validate_history(document)
    return caught.value


INVALID = [
    ("unknown field", {"colour": "red"}, "", "Additional properties are not allowed ('colour' was unexpected)"),
    ("unknown fields, sorted", {"zz": 1, "aa": 2}, "", "Additional properties are not allowed ('aa', 'zz' were unexpected)"),
    ("unknown field in a section", {"footwear": {"colour": "red"}}, "footwear", "Additional properties are not allowed ('colour' was unexpected)"),
    ("bad enum", {"footwear": {"lacing": "very tight"}}, "footwear.lacing", "'very tight' is not one of 'loose', 'normal', 'tight'"),
    ("above the maximum", {"symptoms": {"weeks_since_onset": 600}}, "symptoms.weeks_since_onset", "600 is greater than the maximum of 520"),
    ("below the minimum", {"training": {"weekly_km_now": -1.5}}, "training.weekly_km_now", "-1.5 is less than the minimum of 0"),
    ("wrong type", {"self_help": {"weeks": "x"}}, "self_help.weeks", "'x' is not of type 'integer'"),
    ("a fraction where an integer is expected", {"self_help": {"weeks": 1.5}}, "self_help.weeks", "1.5 is not of type 'integer'"),
    ("bool where an integer is expected", {"symptoms": {"minutes_into_run": True}}, "symptoms.minutes_into_run", "True is not of type 'integer'"),
    ("bool where a number is expected", {"training": {"weekly_km_now": False}}, "training.weekly_km_now", "False is not of type 'number'"),
    ("a string where a boolean is expected", {"back": {"progressive": "yes"}}, "back.progressive", "'yes' is not of type 'boolean'"),
    ("section not an object", {"back": []}, "back", "[] is not of type 'object'"),
    ("list not an array", {"symptoms": {"regions": "toes"}}, "symptoms.regions", "'toes' is not of type 'array'"),
    ("a bad list item", {"symptoms": {"regions": ["toes", "knee"]}}, "symptoms.regions[1]", "'knee' is not one of 'toes', 'forefoot', 'interspace_2_3', 'interspace_3_4', 'heel', 'sole', 'dorsum', 'whole_foot'"),
    ("a repeated list item", {"symptoms": {"regions": ["toes", "toes"]}}, "symptoms.regions", "['toes', 'toes'] has non-unique elements"),
    ("wrong schema version", {"schema_version": "2"}, "schema_version", "'1' was expected"),
    ("NaN is not a JSON number", {"training": {"weekly_km_now": float("nan")}}, "training.weekly_km_now", "nan is not of type 'number'"),
    ("root not an object", [], "", "[] is not of type 'object'"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("document", "path", "message"), [pytest.param(d, p, m, id=n) for n, d, p, m in INVALID]
)
def test_it_reports_the_documented_error(document: object, path: str, message: str) -> None:
    error = error_of(document)

    assert (error.path, error.message) == (path, message)


def test_the_error_text_is_path_then_message() -> None:
    error = error_of({"footwear": {"lacing": "very tight"}})

    assert str(error) == "footwear.lacing: 'very tight' is not one of 'loose', 'normal', 'tight'"


def test_a_root_error_is_just_the_message() -> None:
    assert str(error_of([])) == "[] is not of type 'object'"


def test_a_history_error_is_a_value_error() -> None:
    assert isinstance(error_of([]), ValueError)


def test_the_first_error_comes_in_schema_order() -> None:
    document = {"prior_care": {"inserts": "x"}, "symptoms": {"side": "x"}}

    assert error_of(document).path == "symptoms.side"


@pytest.mark.parametrize(
    "document",
    [
        {},
        {"schema_version": "1", "symptoms": {"weeks_since_onset": 2.0}},
        {"training": {"weekly_km_now": 500, "weekly_km_4_weeks_ago": 0, "longest_run_km_recent": 12.5}},
    ],
)  # fmt: skip
def test_it_accepts_valid_histories(document: dict[str, Any]) -> None:
    assert validate_history(document) is None


def test_triage_validates_a_mapping_first() -> None:
    with pytest.raises(HistoryError, match="footwear.lacing"):
        triage({"footwear": {"lacing": "very tight"}})


# --- agreement with jsonschema ------------------------------------------------------------------


def _accepts(document: object) -> bool:
    try:
        validate_history(document)
    except HistoryError:
        return False
    return True


def _format_path(parts: Any) -> str:
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    return path


def _jsonschema_first_error(document: object) -> tuple[str, str] | None:
    error = next(JSONSCHEMA.iter_errors(document), None)
    if error is None:
        return None
    message = error.message
    if error.validator == "enum":  # ours lists the choices without brackets
        choices = ", ".join(repr(choice) for choice in error.validator_value)
        message = f"{error.instance!r} is not one of {choices}"
    return _format_path(error.absolute_path), message


@settings(max_examples=1000)
@given(documents)
def test_it_accepts_exactly_what_jsonschema_accepts(document: object) -> None:
    assert _accepts(document) is JSONSCHEMA.is_valid(document)


@settings(max_examples=300)
@given(documents)
def test_it_reports_the_same_first_error_as_jsonschema(document: object) -> None:
    try:
        validate_history(document)
        ours = None
    except HistoryError as error:
        ours = (error.path, error.message)

    assert ours == _jsonschema_first_error(document)


# --- the compiler on keywords this schema does not use yet -------------------------------------

SMALL_SCHEMAS = [
    ({"required": ["a"]}, [{}, {"a": 1}, []]),
    ({"type": ["integer", "null"]}, [None, 1, 1.0, "1", True]),
    ({"additionalProperties": {"type": "string"}, "properties": {"n": {}}}, [{"n": 1, "x": "y"}, {"x": 2}]),
    ({"enum": [1, "1", None, [True]]}, [1, 1.0, True, "1", None, [True], [1]]),
    ({"const": 0}, [0, 0.0, False]),
    ({"items": {"type": "number"}, "uniqueItems": True}, [[1, 1.0], [1, True], [[1], [True]], [1, "a"]]),
    (False, [1, {}]),
]  # fmt: skip


@pytest.mark.parametrize(("schema", "instances"), SMALL_SCHEMAS)
def test_the_compiler_agrees_with_jsonschema_on_other_keywords(
    schema: Any, instances: list[Any]
) -> None:
    validate = compile_schema(schema)
    reference = Draft202012Validator(schema)

    for instance in instances:
        try:
            validate(instance)
            accepted = True
        except HistoryError:
            accepted = False
        assert accepted is reference.is_valid(instance), instance


def test_the_compiler_refuses_a_keyword_it_does_not_implement() -> None:
    with pytest.raises(SchemaCompileError, match="pattern"):
        compile_schema({"type": "string", "pattern": "^a"})


def test_in_schema_order_puts_sections_and_fields_back_in_the_schemas_order() -> None:
    # The key order PostgreSQL's jsonb returns: shorter keys first.
    stored = {
        "back": {"saddle_numbness": False, "low_back_pain": True},
        "symptoms": {"when": "only_running", "side": "left"},
        "unknown": 1,
        "schema_version": "1",
    }
    ordered = in_schema_order(stored)
    assert ordered == stored
    assert list(ordered) == ["schema_version", "symptoms", "back", "unknown"]
    assert list(ordered["symptoms"]) == ["side", "when"]
    assert list(ordered["back"]) == ["low_back_pain", "saddle_numbness"]
