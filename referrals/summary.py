"""The patient's history in clinical language, grouped by section, abnormal answers flagged.

`history_summary(history)` reads the submitted JSON (Intake.history) rather than the engine's
History tree, because the tree fills in defaults and the clinician must see only what the patient
actually answered. The review page and the PDF letters both render its sections.

"Abnormal" marks an answer that points away from a simple shoe-fit problem on its own: a red-flag
symptom, a positive sign, a failed treatment, a training spike. It highlights; it decides nothing
(the triage rules do that).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from intake.triage import History
from intake.triage.facts import LoadChange, derive_facts
from referrals.charts import LONGEST_RUN_RATIO, WEEKLY_RATIO


@dataclass(frozen=True, slots=True)
class Item:
    label: str
    value: str
    abnormal: bool = False


@dataclass(frozen=True, slots=True)
class Section:
    key: str  # the history's section name, e.g. "symptoms"
    title: str
    items: tuple[Item, ...]

    @property
    def abnormal_count(self) -> int:
        return sum(1 for item in self.items if item.abnormal)


Formatter = Callable[[Any], str]
Abnormal = Callable[[Any], bool]


@dataclass(frozen=True, slots=True)
class _Field:
    label: str
    format: Formatter
    abnormal: Abnormal = lambda value: False  # noqa: E731 - a default predicate


def _choice(labels: dict[str, str]) -> Formatter:
    return lambda value: labels.get(value, str(value).replace("_", " "))


def _many(labels: dict[str, str]) -> Formatter:
    def format_list(values: Any) -> str:
        if not values:
            return "none"
        return ", ".join(labels.get(v, str(v).replace("_", " ")) for v in values)

    return format_list


def _yes_no(value: Any) -> str:
    return "yes" if value else "no"


def _number(unit: str) -> Formatter:
    def format_number(value: Any) -> str:
        text = f"{value:g}" if isinstance(value, float) else str(value)
        return f"{text} {unit}".strip()

    return format_number


def _is_true(value: Any) -> bool:
    return value is True


def _is(*abnormal_values: str) -> Abnormal:
    return lambda value: value in abnormal_values


def _non_empty(value: Any) -> bool:
    return bool(value)


REGION_LABELS = {
    "toes": "toes",
    "forefoot": "forefoot (ball of the foot)",
    "interspace_2_3": "2nd-3rd web space",
    "interspace_3_4": "3rd-4th web space",
    "heel": "heel",
    "sole": "sole",
    "dorsum": "dorsum (top of the foot)",
    "whole_foot": "whole foot",
}
SIDE_LABELS = {"left": "left foot", "right": "right foot", "both": "both feet"}
SECTION_TITLES = {
    "symptoms": "Symptoms",
    "footwear": "Footwear",
    "foot_structure": "Foot structure",
    "training": "Training load",
    "injury": "Injury",
    "back": "Back and legs",
    "medical": "Medical history",
    "self_help": "Self-help tried",
    "prior_care": "Previous treatment",
}
_OUTCOME = {"none": "not tried", "helped": "helped", "no_help": "did not help"}

FIELDS: dict[str, dict[str, _Field]] = {
    "symptoms": {
        "side": _Field("Side", _choice(SIDE_LABELS), _is("both")),
        "regions": _Field("Area", _many(REGION_LABELS)),
        "sensations": _Field(
            "Sensations",
            _many(
                {
                    "numbness": "numbness",
                    "tingling": "tingling (paraesthesia)",
                    "burning": "burning",
                    "sharp_pain": "sharp pain",
                    "weakness": "weakness",
                }
            ),
            lambda values: "weakness" in (values or ()),
        ),
        "weeks_since_onset": _Field("Onset", lambda v: f"{v} week{'s' if v != 1 else ''} ago"),
        "when": _Field(
            "Timing",
            _choice(
                {
                    "only_running": "only while running",
                    "after_running": "after running",
                    "also_at_rest": "also at rest",
                    "constant": "constant",
                }
            ),
            _is("also_at_rest", "constant"),
        ),
        "minutes_into_run": _Field("Starts after", _number("min of running")),
        "eases_within_minutes_of_stopping": _Field("Eases within minutes of stopping", _yes_no),
        "relieved_by_removing_shoe": _Field("Relieved by removing the shoe", _yes_no, _is_true),
        "clicking_or_pebble_feeling": _Field(
            "Clicking or pebble-in-shoe feeling", _yes_no, _is_true
        ),
        "activities": _Field(
            "Activities",
            _many(
                {
                    "road": "road",
                    "treadmill": "treadmill",
                    "elliptical": "elliptical trainer",
                    "trail": "trail",
                    "track": "track",
                }
            ),
        ),
        "lower_leg_tightness": _Field("Calf or shin tightness while running", _yes_no, _is_true),
    },
    "footwear": {
        "fit": _Field(
            "Shoe fit", _choice({"roomy": "roomy", "snug": "snug", "tight": "tight"}), _is("tight")
        ),
        "toe_box": _Field("Toe box", _choice({"wide": "wide", "narrow": "narrow"}), _is("narrow")),
        "lacing": _Field(
            "Lacing",
            _choice({"loose": "loose", "normal": "normal", "tight": "tight"}),
            _is("tight"),
        ),
        "socks": _Field(
            "Socks", _choice({"thin": "thin", "medium": "medium", "thick": "thick"}), _is("thick")
        ),
        "sole": _Field(
            "Shoe sole",
            _choice({"stiff": "stiff", "medium": "medium", "flexible": "very flexible"}),
            _is("flexible"),
        ),
    },
    "foot_structure": {
        "arch": _Field(
            "Arch",
            _choice(
                {
                    "flat": "flat (pes planus)",
                    "normal": "normal",
                    "high": "high (pes cavus)",
                    "unknown": "not known",
                }
            ),
            _is("flat"),
        ),
        "very_flexible_sole": _Field("Hypermobile sole of the foot", _yes_no, _is_true),
    },
    "training": {
        "weekly_km_4_weeks_ago": _Field("Weekly distance a month ago", _number("km")),
        "weekly_km_now": _Field("Weekly distance now", _number("km")),
        "longest_run_km_prior_30_days": _Field(
            "Longest run, 30 days before the last 2 weeks", _number("km")
        ),
        "longest_run_km_recent": _Field("Longest run, last 2 weeks", _number("km")),
        "forefoot_slapping": _Field("Forefoot slapping", _yes_no, _is_true),
    },
    "injury": {
        "recent_injury": _Field("Foot or ankle injury in the last 6 weeks", _yes_no, _is_true),
        "swelling": _Field("Swelling", _yes_no, _is_true),
        "could_not_bear_weight_4_steps": _Field(
            "Unable to bear weight for 4 steps", _yes_no, _is_true
        ),
        "bone_tenderness": _Field(
            "Bone tenderness",
            _many(
                {
                    "base_5th_metatarsal": "base of the 5th metatarsal",
                    "navicular": "navicular",
                    "metatarsal_shaft": "metatarsal shaft",
                    "other": "other site",
                }
            ),
            _non_empty,
        ),
    },
    "back": {
        "low_back_pain": _Field("Low back pain", _yes_no, _is_true),
        "pain_radiates_below_knee": _Field("Pain radiating below the knee", _yes_no, _is_true),
        "sciatica_both_legs": _Field("Bilateral sciatica", _yes_no, _is_true),
        "known_disc_problem": _Field("Known disc problem", _yes_no, _is_true),
        "saddle_numbness": _Field("Saddle anaesthesia", _yes_no, _is_true),
        "bladder_or_bowel_change": _Field("Bladder or bowel change", _yes_no, _is_true),
        "leg_weakness_or_foot_drop": _Field("Leg weakness or foot drop", _yes_no, _is_true),
        "progressive": _Field("Getting worse week by week", _yes_no, _is_true),
    },
    "medical": {
        "conditions": _Field(
            "Conditions",
            _many(
                {
                    "diabetes": "diabetes",
                    "thyroid": "thyroid disease",
                    "b12_deficiency": "vitamin B12 deficiency",
                    "kidney_disease": "kidney disease",
                    "chemotherapy": "chemotherapy",
                    "heavy_alcohol": "heavy alcohol use",
                    "peripheral_arterial_disease": "peripheral arterial disease",
                    "smoker": "smoker",
                }
            ),
            _non_empty,
        ),
        "foot_cold_or_pale": _Field("Foot cold or pale", _yes_no, _is_true),
        "calf_pain_when_walking": _Field("Calf pain on walking (claudication)", _yes_no, _is_true),
    },
    "self_help": {
        "tried": _Field(
            "Tried",
            _many(
                {
                    "bigger_shoes": "bigger shoes",
                    "wider_toe_box": "wider toe box",
                    "looser_lacing": "looser lacing",
                    "thinner_socks": "thinner socks",
                    "stiffer_sole": "stiffer sole",
                    "gradual_mileage": "gradual mileage",
                    "running_form": "running form",
                }
            ),
        ),
        "weeks": _Field("For", _number("weeks")),
        "outcome": _Field(
            "Outcome",
            _choice(
                {
                    "not_tried": "not tried",
                    "no_change": "no change",
                    "better": "better",
                    "resolved": "resolved",
                }
            ),
            _is("no_change"),
        ),
    },
    "prior_care": {
        "inserts": _Field("Shoe inserts", _choice(_OUTCOME), _is("no_help")),
        "injection": _Field("Injection", _choice(_OUTCOME), _is("no_help")),
    },
}


def _fallback(name: str) -> _Field:
    """A field this table does not know (a newer schema): shown as answered, never hidden."""
    return _Field(name.replace("_", " ").capitalize(), lambda v: str(v).replace("_", " "))


def _load_item(label: str, change: LoadChange | None, threshold: str) -> Item | None:
    if change is None:
        return None
    if change.ratio is None:
        value = "from 0 km" + (" (any increase is a spike)" if change.spike else "")
    else:
        value = f"x{change.ratio:.2f} (spike at {threshold})"
    return Item(label, value, abnormal=change.spike)


def _training_load_items(history: Mapping[str, Any]) -> list[Item]:
    """The two load ratios the rules read, with the spec's thresholds, when both figures of a
    pair were given."""
    facts = derive_facts(History.from_dict(history))
    weekly = _load_item("Weekly distance change", facts.weekly_km, f">= {WEEKLY_RATIO:g}")
    longest = _load_item("Longest run change", facts.longest_run, f"> {LONGEST_RUN_RATIO:g}")
    return [item for item in (weekly, longest) if item is not None]


def history_summary(history: Mapping[str, Any] | None) -> list[Section]:
    """The answered questions of a submitted history, section by section in the schema's order.

    An unanswered question is left out (the patient did not say; it is not "no"); an answered
    "no" is kept, since a clinician reads a denied red flag too.
    """
    if not history:
        return []
    sections: list[Section] = []
    for key, title in SECTION_TITLES.items():
        answers = history.get(key)
        if not isinstance(answers, Mapping) or not answers:
            continue
        known = FIELDS[key]
        ordered = [name for name in known if name in answers]
        ordered += [name for name in answers if name not in known]
        items = []
        for name in ordered:
            field = known.get(name) or _fallback(name)
            value = answers[name]
            items.append(Item(field.label, field.format(value), field.abnormal(value)))
        if key == "training":
            items += _training_load_items(history)
        sections.append(Section(key, title, tuple(items)))
    for key, answers in history.items():
        # A whole section the table does not know (a newer schema) is still shown.
        if key in SECTION_TITLES or key == "schema_version" or not isinstance(answers, Mapping):
            continue
        items = tuple(
            Item(_fallback(name).label, _fallback(name).format(value))
            for name, value in answers.items()
        )
        sections.append(Section(key, key.replace("_", " ").capitalize(), items))
    return sections
