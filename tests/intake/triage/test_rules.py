"""Each rule of the spec with its boundaries, through `triage` (no database)."""

from __future__ import annotations

from typing import Any

import pytest

from intake.triage import triage


def fired(history: dict[str, Any]) -> set[str]:
    """The ids of the rules behind the result."""
    return {reason.rule for reason in triage(history).reasons}


def training(**figures: float) -> dict[str, Any]:
    return {"training": figures}


# --- mileage_spike, seen through SH-6 (gradual_mileage) --------------------------------------

MILEAGE = [
    ("weekly ratio exactly 1.3 spikes", training(weekly_km_now=39, weekly_km_4_weeks_ago=30), True),
    ("weekly ratio 1.29 does not", training(weekly_km_now=129, weekly_km_4_weeks_ago=100), False),
    (
        "weekly 1.43 / 1.1 is exactly 1.3 although float division gives 1.2999999999999998",
        training(weekly_km_now=1.43, weekly_km_4_weeks_ago=1.1),
        True,
    ),
    ("weekly figures as floats", training(weekly_km_now=39.0, weekly_km_4_weeks_ago=30.0), True),
    ("longest-run ratio exactly 1.1 does not", training(longest_run_km_recent=11, longest_run_km_prior_30_days=10), False),
    ("longest-run ratio 1.11 spikes", training(longest_run_km_recent=111, longest_run_km_prior_30_days=100), True),
    ("weekly from 0 to more spikes", training(weekly_km_now=5, weekly_km_4_weeks_ago=0), True),
    ("weekly 0 and 0 does not", training(weekly_km_now=0, weekly_km_4_weeks_ago=0), False),
    ("longest run from 0 to more spikes", training(longest_run_km_recent=3, longest_run_km_prior_30_days=0), True),
    ("longest run 0 and 0 does not", training(longest_run_km_recent=0, longest_run_km_prior_30_days=0), False),
    ("weekly now alone never spikes", training(weekly_km_now=100), False),
    ("weekly earlier alone never spikes", training(weekly_km_4_weeks_ago=0), False),
    ("longest recent alone never spikes", training(longest_run_km_recent=40), False),
    ("a fall in distance does not", training(weekly_km_now=20, weekly_km_4_weeks_ago=40), False),
    (
        "either pair spiking is enough",
        training(weekly_km_now=30, weekly_km_4_weeks_ago=30, longest_run_km_recent=20, longest_run_km_prior_30_days=10),
        True,
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("history", "spikes"), [pytest.param(h, s, id=name) for name, h, s in MILEAGE]
)
def test_mileage_spike_boundaries(history: dict[str, Any], spikes: bool) -> None:
    assert ("SH-6" in fired(history)) is spikes


def test_it_says_the_weekly_ratio_in_the_reason() -> None:
    (reason,) = triage(training(weekly_km_now=50, weekly_km_4_weeks_ago=30)).reasons

    assert "from 30 to 50 km (1.67x)" in reason.text


# --- red flags ---------------------------------------------------------------------------------

URGENT = [
    ("saddle numbness", {"back": {"saddle_numbness": True}}, "URG-1", True),
    ("bladder or bowel change", {"back": {"bladder_or_bowel_change": True}}, "URG-1", True),
    ("sciatica in both legs", {"back": {"sciatica_both_legs": True}}, "URG-1", True),
    ("low back pain alone is no red flag", {"back": {"low_back_pain": True}}, "URG-1", False),
    ("progressive foot drop", {"back": {"leg_weakness_or_foot_drop": True, "progressive": True}}, "URG-2", True),
    ("foot drop, not progressive", {"back": {"leg_weakness_or_foot_drop": True}}, "URG-2", False),
    ("progressive without weakness", {"back": {"progressive": True}}, "URG-2", False),
    ("cold foot also at rest", {"medical": {"foot_cold_or_pale": True}, "symptoms": {"when": "also_at_rest"}}, "URG-3", True),
    ("cold foot constantly", {"medical": {"foot_cold_or_pale": True}, "symptoms": {"when": "constant"}}, "URG-3", True),
    ("cold foot after running", {"medical": {"foot_cold_or_pale": True}, "symptoms": {"when": "after_running"}}, "URG-3", False),
    ("symptoms at rest, foot not cold", {"symptoms": {"when": "constant"}}, "URG-3", False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("history", "rule", "fires"), [pytest.param(h, r, f, id=n) for n, h, r, f in URGENT]
)
def test_each_red_flag_rule(history: dict[str, Any], rule: str, fires: bool) -> None:
    assert (rule in fired(history)) is fires


# --- imaging -----------------------------------------------------------------------------------


def injury(**answers: Any) -> dict[str, Any]:
    return {"injury": answers}


SPIKE = training(weekly_km_now=40, weekly_km_4_weeks_ago=20)

IMAGING = [
    ("injured, cannot bear weight", injury(recent_injury=True, could_not_bear_weight_4_steps=True), "XR-1", True),
    ("injured, tender 5th metatarsal base", injury(recent_injury=True, bone_tenderness=["base_5th_metatarsal"]), "XR-1", True),
    ("injured, tender navicular", injury(recent_injury=True, bone_tenderness=["navicular"]), "XR-1", True),
    ("injured, tender metatarsal shaft only", injury(recent_injury=True, bone_tenderness=["metatarsal_shaft"]), "XR-1", False),
    ("cannot bear weight without an injury", injury(could_not_bear_weight_4_steps=True), "XR-1", False),
    ("navicular tender, no injury", injury(bone_tenderness=["navicular"]), "XR-2", True),
    ("5th metatarsal base tender, no injury", injury(bone_tenderness=["base_5th_metatarsal"]), "XR-2", True),
    ("navicular tender after an injury is XR-1's", injury(recent_injury=True, bone_tenderness=["navicular"]), "XR-2", False),
    ("metatarsal shaft tender after a spike", {**injury(bone_tenderness=["metatarsal_shaft"]), **SPIKE}, "XR-2", True),
    ("metatarsal shaft tender, injured, after a spike", {**injury(recent_injury=True, bone_tenderness=["metatarsal_shaft"]), **SPIKE}, "XR-2", True),
    ("metatarsal shaft tender, no spike", injury(bone_tenderness=["metatarsal_shaft"]), "XR-2", False),
    ("spike with other bone tender", {**injury(bone_tenderness=["other"]), **SPIKE}, "XR-2", False),
    ("swollen 2 weeks after an injury", {**injury(recent_injury=True, swelling=True), "symptoms": {"weeks_since_onset": 2}}, "XR-3", True),
    ("swollen 1 week after an injury", {**injury(recent_injury=True, swelling=True), "symptoms": {"weeks_since_onset": 1}}, "XR-3", False),
    ("swollen after an injury, onset not given", injury(recent_injury=True, swelling=True), "XR-3", False),
    ("swollen 4 weeks, no injury", {**injury(swelling=True), "symptoms": {"weeks_since_onset": 4}}, "XR-3", False),
    ("injured 4 weeks ago, no swelling", {**injury(recent_injury=True), "symptoms": {"weeks_since_onset": 4}}, "XR-3", False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("history", "rule", "fires"), [pytest.param(h, r, f, id=n) for n, h, r, f in IMAGING]
)
def test_each_imaging_rule(history: dict[str, Any], rule: str, fires: bool) -> None:
    assert (rule in fired(history)) is fires


def self_help(weeks: int | None, outcome: str = "no_change") -> dict[str, Any]:
    answers: dict[str, Any] = {"outcome": outcome}
    if weeks is not None:
        answers["weeks"] = weeks
    return {"self_help": answers}


NEUROMA = {"regions": ["interspace_3_4"], "sensations": ["burning"]}

SELF_HELP_FAILED = [
    ("6 weeks without change", self_help(6), True),
    ("5 weeks without change", self_help(5), False),
    ("weeks not given", self_help(None), False),
    ("10 weeks, better", self_help(10, "better"), False),
    ("10 weeks, not tried", self_help(10, "not_tried"), False),
    ("failed, but a neuroma pattern", {**self_help(8), "symptoms": NEUROMA}, False),
    ("failed, but radicular", {**self_help(8), "back": {"pain_radiates_below_knee": True}}, False),
]


@pytest.mark.parametrize(
    ("history", "fires"), [pytest.param(h, f, id=n) for n, h, f in SELF_HELP_FAILED]
)
def test_xr_4_fires_when_self_help_failed_without_a_known_cause(
    history: dict[str, Any], fires: bool
) -> None:
    assert ("XR-4" in fired(history)) is fires


# --- back, illness, circulation ----------------------------------------------------------------

REVIEWS = [
    ("pain below the knee alone", {"back": {"pain_radiates_below_knee": True}}, "SPN-1", True),
    ("numb heel with low back pain", {"symptoms": {"regions": ["heel"]}, "back": {"low_back_pain": True}}, "SPN-1", True),
    ("numb sole with a disc problem", {"symptoms": {"regions": ["sole"]}, "back": {"known_disc_problem": True}}, "SPN-1", True),
    ("numb top of foot with low back pain", {"symptoms": {"regions": ["dorsum"]}, "back": {"low_back_pain": True}}, "SPN-1", True),
    ("numb toes with low back pain", {"symptoms": {"regions": ["toes"]}, "back": {"low_back_pain": True}}, "SPN-1", False),
    ("numb heel, no back trouble", {"symptoms": {"regions": ["heel"]}}, "SPN-1", False),
    ("diabetes", {"medical": {"conditions": ["diabetes"]}}, "MED-1", True),
    ("thyroid", {"medical": {"conditions": ["thyroid"]}}, "MED-1", True),
    ("B12 deficiency", {"medical": {"conditions": ["b12_deficiency"]}}, "MED-1", True),
    ("kidney disease", {"medical": {"conditions": ["kidney_disease"]}}, "MED-1", True),
    ("chemotherapy", {"medical": {"conditions": ["chemotherapy"]}}, "MED-1", True),
    ("heavy alcohol", {"medical": {"conditions": ["heavy_alcohol"]}}, "MED-1", True),
    ("smoker is no systemic risk", {"medical": {"conditions": ["smoker"]}}, "MED-1", False),
    ("arterial disease is MED-3's", {"medical": {"conditions": ["peripheral_arterial_disease"]}}, "MED-1", False),
    ("both feet at rest, no injury", {"symptoms": {"side": "both", "when": "also_at_rest"}}, "MED-2", True),
    ("both feet constantly, no injury", {"symptoms": {"side": "both", "when": "constant"}}, "MED-2", True),
    ("both feet at rest after an injury", {"symptoms": {"side": "both", "when": "constant"}, **injury(recent_injury=True)}, "MED-2", False),
    ("one foot at rest", {"symptoms": {"side": "left", "when": "constant"}}, "MED-2", False),
    ("both feet only when running", {"symptoms": {"side": "both"}}, "MED-2", False),
    ("calf pain when walking", {"medical": {"calf_pain_when_walking": True}}, "MED-3", True),
    ("peripheral arterial disease", {"medical": {"conditions": ["peripheral_arterial_disease"]}}, "MED-3", True),
    ("cold foot when running", {"medical": {"foot_cold_or_pale": True}}, "MED-3", True),
    ("cold foot at rest is URG-3's", {"medical": {"foot_cold_or_pale": True}, "symptoms": {"when": "constant"}}, "MED-3", False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("history", "rule", "fires"), [pytest.param(h, r, f, id=n) for n, h, r, f in REVIEWS]
)
def test_each_back_illness_and_circulation_rule(
    history: dict[str, Any], rule: str, fires: bool
) -> None:
    assert (rule in fired(history)) is fires


# --- neuroma, stepwise -------------------------------------------------------------------------

NEU_RULES = {"NEU-1", "NEU-2", "NEU-3"}

NEU_STEPS = [
    ("no_help", "none", "NEU-1"),
    ("no_help", "no_help", "NEU-1"),
    ("no_help", "helped", "NEU-1"),
    ("none", "no_help", "NEU-2"),
    ("helped", "no_help", "NEU-2"),
    ("none", "none", "NEU-3"),
    ("none", "helped", "NEU-3"),
    ("helped", "none", "NEU-3"),
    ("helped", "helped", "NEU-3"),
]


@pytest.mark.parametrize(("injection", "inserts", "step"), NEU_STEPS)
def test_exactly_one_neuroma_step_fires(injection: str, inserts: str, step: str) -> None:
    history = {"symptoms": NEUROMA, "prior_care": {"injection": injection, "inserts": inserts}}

    assert fired(history) & NEU_RULES == {step}


NEUROMA_PATTERN = [
    ("2-3 interspace with burning", {"regions": ["interspace_2_3"], "sensations": ["burning"]}, True),
    ("3-4 interspace with a pebble feeling", {"regions": ["interspace_3_4"], "clicking_or_pebble_feeling": True}, True),
    ("3-4 interspace relieved without the shoe", {"regions": ["interspace_3_4"], "relieved_by_removing_shoe": True}, True),
    ("interspace with numbness only", {"regions": ["interspace_2_3"], "sensations": ["numbness"]}, False),
    ("burning toes, no interspace", {"regions": ["toes"], "sensations": ["burning"]}, False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("symptoms", "pattern"), [pytest.param(s, p, id=n) for n, s, p in NEUROMA_PATTERN]
)
def test_the_neuroma_pattern(symptoms: dict[str, Any], pattern: bool) -> None:
    assert bool(fired({"symptoms": symptoms}) & NEU_RULES) is pattern


# --- foot structure and self-help --------------------------------------------------------------

STRUCTURE_AND_SELF_HELP = [
    ("flat arch", {"foot_structure": {"arch": "flat"}}, "INS-1", True),
    ("very flexible sole", {"foot_structure": {"very_flexible_sole": True}}, "INS-1", True),
    ("flat arch, inserts did not help", {"foot_structure": {"arch": "flat"}, "prior_care": {"inserts": "no_help"}}, "INS-1", False),
    ("flat arch, inserts helped", {"foot_structure": {"arch": "flat"}, "prior_care": {"inserts": "helped"}}, "INS-1", True),
    ("high arch", {"foot_structure": {"arch": "high"}}, "INS-1", False),
    ("tight shoes", {"footwear": {"fit": "tight"}}, "SH-1", True),
    ("snug shoes", {"footwear": {"fit": "snug"}}, "SH-1", False),
    ("narrow toe box", {"footwear": {"toe_box": "narrow"}}, "SH-2", True),
    ("wide toe box", {"footwear": {"toe_box": "wide"}}, "SH-2", False),
    ("tight lacing", {"footwear": {"lacing": "tight"}}, "SH-3", True),
    ("normal lacing", {"footwear": {"lacing": "normal"}}, "SH-3", False),
    ("thick socks", {"footwear": {"socks": "thick"}}, "SH-4", True),
    ("medium socks", {"footwear": {"socks": "medium"}}, "SH-4", False),
    ("flexible shoe sole", {"footwear": {"sole": "flexible"}}, "SH-5", True),
    ("stiff shoe sole", {"footwear": {"sole": "stiff"}}, "SH-5", False),
    ("mileage spike", SPIKE, "SH-6", True),
    ("forefoot slapping", {"training": {"forefoot_slapping": True}}, "SH-7", True),
    ("no slapping", {"training": {"forefoot_slapping": False}}, "SH-7", False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("history", "rule", "fires"),
    [pytest.param(h, r, f, id=n) for n, h, r, f in STRUCTURE_AND_SELF_HELP],
)
def test_each_structure_and_self_help_rule(history: dict[str, Any], rule: str, fires: bool) -> None:
    assert (rule in fired(history)) is fires


@pytest.mark.parametrize(
    ("history", "advice"),
    [
        ({"footwear": {"fit": "tight"}}, "bigger_shoes"),
        ({"footwear": {"toe_box": "narrow"}}, "wider_toe_box"),
        ({"footwear": {"lacing": "tight"}}, "looser_lacing"),
        ({"footwear": {"socks": "thick"}}, "thinner_socks"),
        ({"footwear": {"sole": "flexible"}}, "stiffer_sole"),
        (SPIKE, "gradual_mileage"),
        ({"training": {"forefoot_slapping": True}}, "running_form"),
    ],
)
def test_each_self_help_rule_gives_its_advice(history: dict[str, Any], advice: str) -> None:
    result = triage(history)

    assert result.advice == (advice,)
    assert result.actions == ("self_help",)


def test_sh_0_fires_when_nothing_else_did() -> None:
    result = triage({})

    assert [reason.rule for reason in result.reasons] == ["SH-0"]
    assert (result.disposition, result.advice) == ("self_help", ())


@pytest.mark.parametrize(
    "history",
    [{"footwear": {"lacing": "tight"}}, {"foot_structure": {"arch": "flat"}}, {"back": {"saddle_numbness": True}}],
)  # fmt: skip
def test_sh_0_does_not_fire_when_another_rule_did(history: dict[str, Any]) -> None:
    assert "SH-0" not in fired(history)


# --- conditions to consider --------------------------------------------------------------------

CONSIDER = [
    ("mortons_neuroma", {"symptoms": NEUROMA}, True),
    ("mortons_neuroma", {"symptoms": {"regions": ["interspace_3_4"]}}, False),
    ("lumbar_radiculopathy", {"back": {"pain_radiates_below_knee": True}}, True),
    ("lumbar_radiculopathy", {"back": {"low_back_pain": True}}, False),
    ("stress_fracture", injury(bone_tenderness=["navicular"]), True),
    ("stress_fracture", injury(recent_injury=True, bone_tenderness=["navicular"]), False),
    ("peripheral_neuropathy", {"medical": {"conditions": ["b12_deficiency"]}}, True),
    ("peripheral_neuropathy", {"symptoms": {"side": "both", "when": "constant"}}, True),
    ("peripheral_neuropathy", {"symptoms": {"side": "both", "when": "constant"}, **injury(recent_injury=True)}, True),
    ("peripheral_neuropathy", {"symptoms": {"side": "both", "when": "after_running"}}, False),
    ("vascular_cause", {"medical": {"foot_cold_or_pale": True}, "symptoms": {"when": "constant"}}, True),
    ("vascular_cause", {"medical": {"calf_pain_when_walking": True}}, True),
    ("vascular_cause", {"medical": {"conditions": ["smoker"]}}, False),
    ("exertional_compartment_syndrome", {"symptoms": {"lower_leg_tightness": True, "eases_within_minutes_of_stopping": True}}, True),
    ("exertional_compartment_syndrome", {"symptoms": {"lower_leg_tightness": True, "eases_within_minutes_of_stopping": True, "when": "after_running"}}, False),
    ("exertional_compartment_syndrome", {"symptoms": {"lower_leg_tightness": True}}, False),
    ("deep_peroneal_entrapment", {"symptoms": {"regions": ["dorsum"]}, "footwear": {"lacing": "tight"}}, True),
    ("deep_peroneal_entrapment", {"symptoms": {"regions": ["dorsum"]}, "footwear": {"fit": "tight"}}, True),
    ("deep_peroneal_entrapment", {"symptoms": {"regions": ["toes"]}, "footwear": {"lacing": "tight"}}, False),
    ("deep_peroneal_entrapment", {"symptoms": {"regions": ["dorsum"]}}, False),
    ("tarsal_tunnel", {"symptoms": {"regions": ["heel"]}, "foot_structure": {"arch": "flat"}}, True),
    ("tarsal_tunnel", {"symptoms": {"regions": ["sole"]}, **injury(recent_injury=True)}, True),
    ("tarsal_tunnel", {"symptoms": {"regions": ["sole"]}, "foot_structure": {"arch": "flat"}, "back": {"low_back_pain": True}}, False),
    ("tarsal_tunnel", {"symptoms": {"regions": ["heel"]}}, False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "history", "considered"),
    [pytest.param(c, h, k, id=f"{c}-{'yes' if k else 'no'}-{i}") for i, (c, h, k) in enumerate(CONSIDER)],
)  # fmt: skip
def test_each_consider_row(code: str, history: dict[str, Any], considered: bool) -> None:
    assert (code in triage(history).consider) is considered


def test_a_red_flag_outranks_every_other_action() -> None:
    history = {"back": {"saddle_numbness": True}, **injury(bone_tenderness=["navicular"])}

    result = triage(history)

    assert (result.disposition, result.actions) == ("urgent", ("urgent", "xray"))


# --- the two voices -------------------------------------------------------------------------------


def test_the_ottawa_reason_is_said_to_a_colleague_in_clinical_terms() -> None:
    history = {
        "symptoms": {"weeks_since_onset": 10},
        "injury": {"recent_injury": True, "bone_tenderness": ["navicular"]},
    }
    (reason,) = triage(history).reasons

    assert reason.clinician_text == (
        "Recent foot injury, symptom onset 10 weeks ago; navicular tenderness. "
        "Ottawa foot rules positive."
    )


def test_the_ottawa_reason_is_said_to_the_patient_in_plain_words() -> None:
    history = {"injury": {"recent_injury": True, "bone_tenderness": ["navicular"]}}
    (reason,) = triage(history).reasons

    assert reason.text.startswith("You injured this foot recently")


def test_the_clinician_text_gives_the_load_spike_as_figures() -> None:
    (reason,) = triage(training(weekly_km_now=50, weekly_km_4_weeks_ago=30)).reasons

    assert "weekly volume over 4 weeks 30 -> 50 km (1.67x)" in reason.clinician_text
