"""The question catalogue covers the history schema exactly: every field asked once, with the
schema's codes and bounds, in plain words."""

from __future__ import annotations

import re

import pytest

from intake.answers import schema, schema_field, schema_sections
from intake.questions import NOT_SURE_WHERE, REGION_LABELS, STEPS

STORED = [q for step in STEPS for q in step.questions if q.stored]


def _schema_fields() -> list[tuple[str, str]]:
    return [
        (section, key)
        for section in schema_sections()
        for key in schema()["properties"][section]["properties"]
    ]


def test_it_asks_every_schema_field_exactly_once() -> None:
    asked = [(q.section, q.key) for q in STORED]
    assert sorted(asked) == sorted(_schema_fields())
    assert len(asked) == len(set(asked))


@pytest.mark.parametrize("question", STORED, ids=lambda q: f"{q.section}.{q.key}")
def test_its_choices_are_the_schema_codes(question) -> None:
    spec = schema_field(question.section, question.key)
    if question.kind in ("choice",):
        assert set(question.choices) == set(spec["enum"]) - {"not_tried"}
    elif question.kind in ("multi", "regions"):
        shown = [code for code in question.choices if code != NOT_SURE_WHERE]  # never stored
        assert shown == spec["items"]["enum"]  # shown in the schema's order
    elif question.kind == "yesno":
        assert spec["type"] == "boolean"
    else:
        assert (question.minimum, question.maximum) == (spec["minimum"], spec["maximum"])
        assert spec["type"] == question.kind


def test_the_foot_map_regions_are_the_schema_regions() -> None:
    assert list(REGION_LABELS) == schema_field("symptoms", "regions")["items"]["enum"]


def test_the_questions_use_plain_words_not_codes() -> None:
    for step in STEPS:
        for question in step.questions:
            texts = [question.label, question.help, *question.choices.values()]
            for text in texts:
                assert not re.search(r"[a-z]+_[a-z]+", text), text


def test_self_help_is_asked_once_the_patient_says_they_tried_something() -> None:
    care = next(step for step in STEPS if step.slug == "care")
    assert not care.question("tried_anything").stored
    for key in ("tried", "weeks", "outcome"):
        assert care.question(key).show_if.question == "tried_anything"
        assert care.question(key).show_if.values == ("yes",)
