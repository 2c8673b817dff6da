"""The vocabulary the engine exports matches the spec's tables."""

from __future__ import annotations

import re
from pathlib import Path

from intake.triage import ADVICE, CONSIDER_LABELS, DISPOSITIONS, RED_FLAG_LABELS, RULES_VERSION
from intake.triage.rules import RULES, SH_0

SPEC = (Path(__file__).parents[3] / "intake" / "triage" / "clinical" / "triage-spec.md").read_text(
    encoding="utf-8"
)


def _first_column(heading: str) -> list[str]:
    """The first-column codes of the table(s) after a markdown heading, until the next one."""
    section = SPEC.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `?([A-Za-z0-9_-]+)`? \|", section, flags=re.MULTILINE)


def test_it_implements_every_rule_of_the_spec_in_table_order() -> None:
    ids = [rule.id for rule in (*RULES, SH_0)]

    assert ids == [code for code in _first_column("Rules") if code != "id"]


def test_the_dispositions_follow_the_spec_in_priority_order() -> None:
    assert [(d.code, d.priority) for d in DISPOSITIONS] == [
        (code, priority)
        for priority, code in enumerate(_first_column("Dispositions, highest priority first")[1:])
    ]


def test_the_consider_codes_follow_the_spec() -> None:
    assert list(CONSIDER_LABELS) == _first_column("Conditions to consider")[1:]


def test_the_red_flags_are_the_urgent_rules() -> None:
    assert list(RED_FLAG_LABELS) == ["URG-1", "URG-2", "URG-3"]


def test_every_rule_action_is_a_disposition() -> None:
    codes = {d.code for d in DISPOSITIONS}

    assert {rule.action for rule in (*RULES, SH_0)} <= codes


def test_every_advice_code_has_a_handout_paragraph_and_so_does_general() -> None:
    advice_codes = {rule.advice for rule in RULES if rule.advice}

    assert set(ADVICE) == advice_codes | {"general"}
    assert all(advice.title and len(advice.patient_text) > 80 for advice in ADVICE.values())


def test_the_rules_version_is_1() -> None:
    assert RULES_VERSION == "1"


def test_the_spec_is_version_1() -> None:
    assert SPEC.startswith("# Triage rules, version 1\n")
