"""The drafted clinical question, per destination, from the triage and the history (no
database)."""

from __future__ import annotations

from typing import Any

import pytest

from intake.triage import LETTER_DISPOSITIONS, History, triage
from referrals.clinical_question import DRAFTERS, draft_clinical_question


def drafted(destination_type: str, history: dict[str, Any]) -> str:
    result = triage(history)
    return draft_clinical_question(
        destination_type=destination_type,
        history=History.from_dict(history),
        fired={reason.rule for reason in result.reasons},
        consider=set(result.consider),
    )


OTTAWA_NAVICULAR = {
    "symptoms": {"side": "right"},
    "injury": {"recent_injury": True, "bone_tenderness": ["navicular"]},
}
NEUROMA = {
    "symptoms": {
        "regions": ["interspace_3_4"],
        "clicking_or_pebble_feeling": True,
        "side": "left",
    },
}


def test_an_xray_question_names_the_views_and_the_side() -> None:
    question = drafted("xray", OTTAWA_NAVICULAR)

    assert "Dorsoplantar, oblique and lateral views of the right foot" in question


def test_an_xray_question_says_what_to_exclude() -> None:
    question = drafted("xray", OTTAWA_NAVICULAR)

    assert "Please exclude an acute fracture of the navicular (Ottawa foot rules positive)" in (
        question
    )


def test_an_xray_question_for_the_navicular_asks_for_advice_on_further_imaging() -> None:
    assert "if the films are normal, please advise on CT or MRI" in drafted(
        "xray", OTTAWA_NAVICULAR
    )


def test_a_stress_fracture_question_names_the_tender_bone() -> None:
    history = {
        "injury": {"bone_tenderness": ["metatarsal_shaft"]},
        "training": {"weekly_km_now": 50, "weekly_km_4_weeks_ago": 30},
    }

    assert "a stress fracture of the metatarsal shafts" in drafted("xray", history)


def test_a_neuroma_question_names_the_web_space() -> None:
    assert "the 3rd web space of the left foot" in drafted("inserts", NEUROMA)


def test_the_differential_leaves_out_what_the_question_already_names() -> None:
    assert "Differential" not in drafted("inserts", NEUROMA)


def test_a_condition_to_consider_outside_the_question_is_listed() -> None:
    history = {
        "symptoms": {"regions": ["heel"]},
        "foot_structure": {"arch": "flat"},
    }

    assert "Differential to consider: Tarsal tunnel syndrome." in drafted("inserts", history)


@pytest.mark.parametrize("destination_type", sorted(DRAFTERS))
def test_every_destination_gets_a_question_even_when_no_rule_asked_for_it(
    destination_type: str,
) -> None:
    question = drafted(destination_type, {})

    assert question.strip()
    assert "Please assess this runner with foot numbness" not in question


def test_every_letter_destination_has_a_drafter() -> None:
    assert set(DRAFTERS) == {disposition.code for disposition in LETTER_DISPOSITIONS}
