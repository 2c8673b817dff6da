"""Properties the engine keeps for every schema-valid history (hypothesis)."""

from __future__ import annotations

import json
import random
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from intake.triage import (
    ADVICE,
    CONSIDER_LABELS,
    DISPOSITIONS,
    RED_FLAG_LABELS,
    RULES_VERSION,
    History,
    result_to_json,
    triage,
)
from intake.triage.rules import RULES, SH_0
from tests.intake.triage.strategies import histories

CODES = [disposition.code for disposition in DISPOSITIONS]
RULES_BY_ID = {rule.id: rule for rule in (*RULES, SH_0)}
RULE_ORDER = list(RULES_BY_ID)


def _is_ordered_subset(items: list[str], order: list[str]) -> bool:
    return len(set(items)) == len(items) and items == [code for code in order if code in items]


def is_result_shape(result: Any) -> bool:
    """The spec's output: these keys in this order, known codes, lists in their stable order."""
    return (
        isinstance(result, dict)
        and list(result) == [
            "rules_version", "disposition", "actions", "red_flags", "advice", "consider", "reasons",
        ]
        and result["rules_version"] == RULES_VERSION
        and result["disposition"] in CODES
        and _is_ordered_subset(result["actions"], CODES)
        and _is_ordered_subset(result["red_flags"], list(RED_FLAG_LABELS))
        and _is_ordered_subset(result["advice"], list(ADVICE))
        and _is_ordered_subset(result["consider"], list(CONSIDER_LABELS))
        and _is_ordered_subset([reason["rule"] for reason in result["reasons"]], RULE_ORDER)
        and all(
            list(reason) == ["rule", "action", "text", "clinician_text"]
            and reason["action"] == RULES_BY_ID[reason["rule"]].action
            and all(isinstance(reason[voice], str) and reason[voice].strip()
                    for voice in ("text", "clinician_text"))
            for reason in result["reasons"]
        )
    )  # fmt: skip


def _shuffled(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {key: _shuffled(item, rng) for key, item in items}
    return value


@given(histories)
def test_every_result_has_the_spec_output_shape(history: dict[str, Any]) -> None:
    assert is_result_shape(triage(history).to_dict())


@given(histories)
def test_any_red_flag_makes_the_disposition_urgent(history: dict[str, Any]) -> None:
    result = triage(history)

    assert (result.disposition == "urgent") is bool(result.red_flags)


@given(histories)
def test_the_disposition_is_the_highest_priority_action(history: dict[str, Any]) -> None:
    result = triage(history)

    assert result.disposition == min(result.actions, key=CODES.index)


@given(histories)
def test_actions_are_never_empty(history: dict[str, Any]) -> None:
    assert triage(history).actions


@given(histories)
def test_the_output_is_the_same_bytes_twice(history: dict[str, Any]) -> None:
    assert result_to_json(triage(history)) == result_to_json(triage(history))


@given(histories, st.randoms(use_true_random=False))
def test_the_output_does_not_depend_on_key_order(
    history: dict[str, Any], rng: random.Random
) -> None:
    assert result_to_json(triage(_shuffled(history, rng))) == result_to_json(triage(history))


@given(histories)
def test_the_canonical_json_is_json_dumps_of_to_dict(history: dict[str, Any]) -> None:
    result = triage(history)

    assert result_to_json(result) == json.dumps(result.to_dict(), separators=(",", ":"))


@given(histories)
def test_reasons_cover_every_action_and_every_advice_code(history: dict[str, Any]) -> None:
    result = triage(history)
    reason_rules = [RULES_BY_ID[reason.rule] for reason in result.reasons]

    assert set(result.actions) == {rule.action for rule in reason_rules}
    assert set(result.advice) == {rule.advice for rule in reason_rules if rule.advice}
    assert set(result.red_flags) == {rule.id for rule in reason_rules if rule.action == "urgent"}


@given(histories)
def test_sh_0_fires_exactly_when_no_other_rule_does(history: dict[str, Any]) -> None:
    rules = [reason.rule for reason in triage(history).reasons]

    assert ("SH-0" in rules) is (rules == ["SH-0"])


@given(histories)
def test_at_most_one_neuroma_step_fires(history: dict[str, Any]) -> None:
    rules = {reason.rule for reason in triage(history).reasons}

    assert len(rules & {"NEU-1", "NEU-2", "NEU-3"}) <= 1


@settings(max_examples=50)
@given(histories)
def test_a_mapping_and_its_history_triage_alike(history: dict[str, Any]) -> None:
    assert triage(history) == triage(History.from_dict(history))


SECOND_PERSON = re.compile(r"\b(you|your|yours|we|us)\b", re.IGNORECASE)


@given(histories)
def test_the_clinician_text_never_speaks_to_the_patient(history: dict[str, Any]) -> None:
    for reason in triage(history).reasons:
        assert not SECOND_PERSON.search(reason.clinician_text), reason
