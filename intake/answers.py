"""The patient's answers between the form and the history: merge a step into the saved answers,
build the history to submit, and read answers back as form values and plain words.

Intake.answers holds the history's sections (no `schema_version`) as the patient saves each step;
the history is those sections, in the schema's order, under `schema_version` "1".
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from intake.questions import NOT_SURE_WHERE, STEPS, Question, Step
from intake.triage.schema import SCHEMA_PATH

SCHEMA_VERSION = "1"


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def schema_sections() -> tuple[str, ...]:
    return tuple(name for name in schema()["properties"] if name != "schema_version")


def schema_field(section: str, key: str) -> dict[str, Any]:
    return schema()["properties"][section]["properties"][key]


def history_from_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The history to submit: the non-empty sections in the schema's order."""
    history: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for section in schema_sections():
        if answers.get(section):
            history[section] = copy.deepcopy(dict(answers[section]))
    return history


def answers_from_history(history: Mapping[str, Any]) -> dict[str, Any]:
    return {key: copy.deepcopy(value) for key, value in history.items() if key != "schema_version"}


def answers_merge(
    answers: Mapping[str, Any], *, step: Step, values: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """`answers` with this step's fields replaced by `values` (section -> field -> value).

    Every field the step asks is cleared first, so a follow-up answered earlier and no longer
    asked (the injury was "yes", now "no") does not linger in the history.
    """
    merged = copy.deepcopy(dict(answers))
    for question in step.questions:
        if question.stored and question.section in merged:
            merged[question.section].pop(question.key, None)
    for section, fields in values.items():
        merged.setdefault(section, {}).update(copy.deepcopy(dict(fields)))
    return {section: fields for section, fields in merged.items() if fields}


def _stored(question: Question, answers: Mapping[str, Any]) -> Any:
    return (answers.get(question.section) or {}).get(question.key)


def is_shown(question: Question, values: Mapping[str, Any]) -> bool:
    """Whether a follow-up question applies, given the form values of its step."""
    if question.show_if is None:
        return True
    gate = values.get(question.show_if.question)
    if "any" in question.show_if.values:
        return bool(gate)
    return gate in question.show_if.values


def _helper_value(step: Step, question: Question, answers: Mapping[str, Any], completed: bool):
    """A helper question ("is there a spot that hurts?") is not stored: it was "yes" when one of
    its follow-ups has an answer."""
    followups = [q for q in step.questions if q.show_if and q.show_if.question == question.key]
    if any(_stored(q, answers) not in (None, [], "") for q in followups):
        return "yes"
    return "no" if completed else None


def form_initial(step: Step, answers: Mapping[str, Any], *, completed: bool) -> dict[str, Any]:
    """The step's form values from the saved answers.

    In a completed step an omitted field means the schema's default (false, empty, the default
    choice), as it does in the history; in an unfinished one it is simply unanswered.
    """
    initial: dict[str, Any] = {}
    for question in step.questions:
        if not question.stored:
            initial[question.key] = _helper_value(step, question, answers, completed)
            continue
        value = _stored(question, answers)
        if value is None and completed and question.show_if is None:
            value = schema_field(question.section, question.key).get("default")
            if value is None and question.kind == "yesno":
                value = False
        if question.kind == "regions" and not value and completed:
            value = [NOT_SURE_WHERE]  # a finished page without places: the patient was not sure
        if question.kind == "yesno" and isinstance(value, bool):
            value = "yes" if value else "no"
        if value is not None:
            initial[question.key] = value
    return {key: value for key, value in initial.items() if value is not None}


def _words(question: Question, value: Any) -> str:
    if value is None or value == []:
        return "None ticked" if question.kind in ("multi", "regions") else "Not answered"
    if question.kind in ("multi", "regions"):
        return ", ".join(question.choices.get(code, code) for code in value)
    if question.kind in ("choice", "yesno"):
        return question.choices.get(str(value), str(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def review_rows(
    answers: Mapping[str, Any], completed: list[str] | tuple[str, ...]
) -> list[dict[str, Any]]:
    """Every step with its questions and the patient's answers in plain words, for the review
    page. Follow-ups that do not apply are left out."""
    rows = []
    for step in STEPS:
        values = form_initial(step, answers, completed=step.slug in completed)
        items = [
            {"question": q.label, "answer": _words(q, values.get(q.key))}
            for q in step.questions
            if is_shown(q, values) and q.kind != "regions"
        ]
        rows.append({"step": step, "items": items, "completed": step.slug in completed})
    return rows
