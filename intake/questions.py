"""The patient's questions: plain wording for every field and choice of the history schema, and
the steps of the pre-visit form.

One table, so the form, the review page, the foot map and the clinician's pages say the same
thing about the same code, and a test can prove every schema field is asked exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# The foot map's regions, in the schema's order, as the patient reads them.
REGION_LABELS: dict[str, str] = {
    "toes": "Toes",
    "forefoot": "Ball of the foot",
    "interspace_2_3": "Between the 2nd and 3rd toes",
    "interspace_3_4": "Between the 3rd and 4th toes",
    "heel": "Heel",
    "sole": "Arch (middle of the sole)",
    "dorsum": "Top of the foot",
    "whole_foot": "The whole foot",
}
# The patient's honest "I don't know" on the foot map: a form answer only, never stored (the
# history then has no regions, which the schema allows; 44 of 57 test histories had none).
NOT_SURE_WHERE = "not_sure"
NOT_SURE_WHERE_LABEL = "I'm not sure where"

Kind = Literal["choice", "multi", "yesno", "integer", "number", "regions"]

YES_NO: dict[str, str] = {"yes": "Yes", "no": "No"}
CARE_RESULT: dict[str, str] = {
    "none": "No, not tried",
    "helped": "Yes, and it helped",
    "no_help": "Yes, but it did not help",
}


@dataclass(frozen=True)
class ShowIf:
    """A follow-up question: asked only when `question` has one of `values` ("any" for a
    multiple choice with anything ticked)."""

    question: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    """One field of the form. `key` is the schema's field name; `section` its schema section,
    or "" for a helper question that only decides whether a follow-up is asked."""

    key: str
    section: str
    kind: Kind
    label: str
    help: str = ""
    choices: dict[str, str] = field(default_factory=dict)
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    show_if: ShowIf | None = None

    @property
    def stored(self) -> bool:
        return bool(self.section)


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    note: str = ""  # a standing safety note, the same for every patient

    @property
    def sections(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(q.section for q in self.questions if q.stored))

    def question(self, key: str) -> Question:
        return next(q for q in self.questions if q.key == key)


STEPS: tuple[Step, ...] = (
    Step(
        "where",
        "Where it goes numb",
        "Tell us which foot and where on it.",
        (
            Question(
                "side",
                "symptoms",
                "choice",
                "Which foot goes numb?",
                choices={"left": "Left foot", "right": "Right foot", "both": "Both feet"},
                required=True,
            ),
            Question(
                "regions",
                "symptoms",
                "regions",
                "Where on the foot? Mark every place that goes numb.",
                choices=REGION_LABELS | {NOT_SURE_WHERE: NOT_SURE_WHERE_LABEL},
                required=True,
            ),
            Question(
                "sensations",
                "symptoms",
                "multi",
                "What does it feel like? Tick all that apply.",
                choices={
                    "numbness": "Numb",
                    "tingling": "Tingling or pins and needles",
                    "burning": "Burning",
                    "sharp_pain": "Sharp or shooting pain",
                    "weakness": "Weak: the foot or toes do not work properly",
                },
            ),
        ),
    ),
    Step(
        "when",
        "When it happens",
        "Tell us when you notice it.",
        (
            Question(
                "weeks_since_onset",
                "symptoms",
                "integer",
                "How many weeks ago did it start?",
                help="A rough number is fine. Less than a week ago: enter 0.",
                minimum=0,
                maximum=520,
            ),
            Question(
                "when",
                "symptoms",
                "choice",
                "When does it happen?",
                choices={
                    "only_running": "Only while I run",
                    "after_running": "After I run",
                    "also_at_rest": "Also when I am resting",
                    "constant": "All the time",
                },
                required=True,
            ),
            Question(
                "minutes_into_run",
                "symptoms",
                "integer",
                "If it starts during a run: after how many minutes?",
                help="Leave empty if it does not start during a run.",
                minimum=0,
                maximum=600,
            ),
            Question(
                "eases_within_minutes_of_stopping",
                "symptoms",
                "yesno",
                "Does it go away within a few minutes of stopping?",
                choices=YES_NO,
                required=True,
            ),
            Question(
                "relieved_by_removing_shoe",
                "symptoms",
                "yesno",
                "Does it get better when you take the shoe off?",
                choices=YES_NO,
                required=True,
            ),
            Question(
                "clicking_or_pebble_feeling",
                "symptoms",
                "yesno",
                "Does it feel like a pebble in your shoe, or does the front of the foot click?",
                choices=YES_NO,
                required=True,
            ),
            Question(
                "lower_leg_tightness",
                "symptoms",
                "yesno",
                "Does your calf or shin feel tight, aching or burning during the run?",
                choices=YES_NO,
                required=True,
            ),
            Question(
                "activities",
                "symptoms",
                "multi",
                "Where do you notice it? Tick all that apply.",
                choices={
                    "road": "Running on roads",
                    "treadmill": "On a treadmill",
                    "elliptical": "On a cross-trainer (elliptical)",
                    "trail": "On trails",
                    "track": "On a running track",
                },
            ),
        ),
    ),
    Step(
        "shoes",
        "Your running shoes",
        "Think of the shoes you run in most.",
        (
            Question(
                "fit",
                "footwear",
                "choice",
                "How do they fit?",
                choices={"roomy": "Roomy", "snug": "Snug", "tight": "Tight"},
                required=True,
            ),
            Question(
                "toe_box",
                "footwear",
                "choice",
                "Is the front of the shoe wide or narrow?",
                choices={
                    "wide": "Wide: my toes have room",
                    "narrow": "Narrow: my toes are squeezed",
                },
                required=True,
            ),
            Question(
                "lacing",
                "footwear",
                "choice",
                "How tightly do you tie the laces?",
                choices={"loose": "Loosely", "normal": "Normally", "tight": "Tightly"},
                required=True,
            ),
            Question(
                "socks",
                "footwear",
                "choice",
                "What socks do you run in?",
                choices={"thin": "Thin", "medium": "Medium", "thick": "Thick"},
                required=True,
            ),
            Question(
                "sole",
                "footwear",
                "choice",
                "How bendy is the sole of the shoe?",
                choices={
                    "stiff": "Stiff: hard to bend",
                    "medium": "In between",
                    "flexible": "Very bendy: it folds easily",
                },
                required=True,
            ),
        ),
    ),
    Step(
        "feet",
        "Your feet",
        "How your feet are built.",
        (
            Question(
                "arch",
                "foot_structure",
                "choice",
                "What is the arch of your foot like?",
                choices={
                    "flat": "Flat: little or no arch",
                    "normal": "Normal",
                    "high": "High",
                    "unknown": "I do not know",
                },
                required=True,
            ),
            Question(
                "very_flexible_sole",
                "foot_structure",
                "yesno",
                "Is the sole of your foot itself very flexible or floppy?",
                choices=YES_NO,
                required=True,
            ),
        ),
    ),
    Step(
        "training",
        "Your running",
        "Kilometres are fine as rough numbers. Leave a box empty if you do not know.",
        (
            Question(
                "weekly_km_now",
                "training",
                "number",
                "How many kilometres did you run in the last week?",
                minimum=0,
                maximum=500,
            ),
            Question(
                "weekly_km_4_weeks_ago",
                "training",
                "number",
                "How many kilometres did you run in a typical week a month ago?",
                minimum=0,
                maximum=500,
            ),
            Question(
                "longest_run_km_recent",
                "training",
                "number",
                "Your longest single run in the last 2 weeks, in kilometres?",
                minimum=0,
                maximum=300,
            ),
            Question(
                "longest_run_km_prior_30_days",
                "training",
                "number",
                "Your longest single run in the 30 days before those 2 weeks, in kilometres?",
                minimum=0,
                maximum=300,
            ),
            Question(
                "forefoot_slapping",
                "training",
                "yesno",
                "Do your feet slap or pound the ground when you run?",
                choices=YES_NO,
                required=True,
            ),
        ),
    ),
    Step(
        "injury",
        "Injuries",
        "About the foot that goes numb (or either foot, if both do).",
        (
            Question(
                "recent_injury",
                "injury",
                "yesno",
                "Have you injured this foot or ankle in the last 6 weeks?",
                choices=YES_NO,
                required=True,
            ),
            Question(
                "swelling",
                "injury",
                "yesno",
                "Has it been swollen since the injury?",
                choices=YES_NO,
                required=True,
                show_if=ShowIf("recent_injury", ("yes",)),
            ),
            Question(
                "could_not_bear_weight_4_steps",
                "injury",
                "yesno",
                "Were you unable to walk 4 steps on that foot right after the injury, and are you "
                "still unable to now?",
                choices=YES_NO,
                required=True,
                show_if=ShowIf("recent_injury", ("yes",)),
            ),
            Question(
                "bone_spot",
                "",
                "yesno",
                "Is there a spot on the bone that hurts when you press it?",
                choices=YES_NO,
                required=True,
            ),
            Question(
                "bone_tenderness",
                "injury",
                "multi",
                "Where is that spot? Tick all that apply.",
                help="A clinician will check this at your visit.",
                choices={
                    "base_5th_metatarsal": "The bony bump on the outer edge of the foot, "
                    "about halfway along",
                    "navicular": "The bony bump on the inner side of the foot, "
                    "in front of the ankle",
                    "metatarsal_shaft": "Along one of the long bones on top of the foot, "
                    "behind the toes",
                    "other": "Somewhere else",
                },
                required=True,
                show_if=ShowIf("bone_spot", ("yes",)),
            ),
        ),
    ),
    Step(
        "back",
        "Your back and legs",
        "Numb feet sometimes come from the back. Please answer each question.",
        (
            Question(
                "low_back_pain",
                "back",
                "yesno",
                "Do you have pain in your lower back?",
                choices=YES_NO,
                required=True,
            ),
            Question(
                "pain_radiates_below_knee",
                "back",
                "yesno",
                "Does pain or numbness run down your leg, below the knee?",
                choices=YES_NO,
                required=True,
            ),
            Question(
                "sciatica_both_legs",
                "back",
                "yesno",
                "Does pain or numbness run down both legs?",
                choices=YES_NO,
                required=True,
            ),
            Question(
                "known_disc_problem",
                "back",
                "yesno",
                "Has a doctor told you that you have a disc problem in your back "
                "(a slipped or bulging disc)?",
                choices=YES_NO,
                required=True,
            ),
            Question(
                "saddle_numbness",
                "back",
                "yesno",
                "Is there numbness between your legs or around your bottom "
                "(where you would sit on a saddle)?",
                choices=YES_NO,
                required=True,
            ),
            Question(
                "bladder_or_bowel_change",
                "back",
                "yesno",
                "Have you recently had new trouble controlling or emptying your bladder or bowel?",
                choices=YES_NO,
                required=True,
            ),
            Question(
                "leg_weakness_or_foot_drop",
                "back",
                "yesno",
                "Is a leg weak, or does your foot drop or catch because you cannot lift it?",
                choices=YES_NO,
                required=True,
            ),
            Question(
                "progressive",
                "back",
                "yesno",
                "Is the weakness or numbness getting worse week by week?",
                choices=YES_NO,
                required=True,
            ),
        ),
        note=(
            "If you suddenly have numbness around your bottom or between your legs, or cannot "
            "control your bladder or bowel, do not wait for your appointment: go to an "
            "emergency department or call 999 now."
        ),
    ),
    Step(
        "health",
        "Your health",
        "Some illnesses can make feet go numb.",
        (
            Question(
                "conditions",
                "medical",
                "multi",
                "Do any of these apply to you? Tick all that apply.",
                choices={
                    "diabetes": "Diabetes",
                    "thyroid": "A thyroid problem",
                    "b12_deficiency": "Low vitamin B12",
                    "kidney_disease": "Kidney disease",
                    "chemotherapy": "Chemotherapy, now or in the past",
                    "heavy_alcohol": "Drinking more than 14 units of alcohol a week",
                    "peripheral_arterial_disease": "Poor circulation in the legs",
                    "smoker": "I smoke",
                },
            ),
            Question(
                "foot_cold_or_pale",
                "medical",
                "yesno",
                "Does the foot go cold or pale?",
                choices=YES_NO,
                required=True,
            ),
            Question(
                "calf_pain_when_walking",
                "medical",
                "yesno",
                "Do you get calf pain when walking that goes away when you stop?",
                choices=YES_NO,
                required=True,
            ),
        ),
    ),
    Step(
        "care",
        "What you have tried",
        "Things you have already tried for your feet.",
        (
            Question(
                "tried_anything",
                "",
                "yesno",
                "Have you tried anything yourself for it yet?",
                help="For example other shoes or socks, looser lacing, or running less.",
                choices={"yes": "Yes", "no": "Not yet"},
                required=True,
            ),
            Question(
                "tried",
                "self_help",
                "multi",
                "What have you tried? Tick any of these that apply.",
                help="Leave them unticked if what you tried is not listed.",
                choices={
                    "bigger_shoes": "Bigger shoes",
                    "wider_toe_box": "Shoes that are wider at the front",
                    "looser_lacing": "Looser lacing",
                    "thinner_socks": "Thinner socks",
                    "stiffer_sole": "Shoes with a stiffer sole",
                    "gradual_mileage": "Building up distance more slowly",
                    "running_form": "Changing how I run",
                },
                show_if=ShowIf("tried_anything", ("yes",)),
            ),
            Question(
                "weeks",
                "self_help",
                "integer",
                "For how many weeks have you tried it?",
                minimum=0,
                maximum=520,
                show_if=ShowIf("tried_anything", ("yes",)),
            ),
            Question(
                "outcome",
                "self_help",
                "choice",
                "How is it since you tried it?",
                choices={
                    "no_change": "No change",
                    "better": "Better",
                    "resolved": "It has gone away",
                },
                required=True,
                show_if=ShowIf("tried_anything", ("yes",)),
            ),
            Question(
                "inserts",
                "prior_care",
                "choice",
                "Have you tried shoe inserts (insoles or orthotics)?",
                choices=CARE_RESULT,
                required=True,
            ),
            Question(
                "injection",
                "prior_care",
                "choice",
                "Have you had an injection in the foot for this?",
                choices=CARE_RESULT,
                required=True,
            ),
        ),
    ),
)

STEP_SLUGS: tuple[str, ...] = tuple(step.slug for step in STEPS)


def step_by_slug(slug: str) -> Step | None:
    return next((step for step in STEPS if step.slug == slug), None)


SECTION_TITLES: dict[str, str] = {
    "symptoms": "Where and when",
    "footwear": "Shoes",
    "foot_structure": "Foot structure",
    "training": "Training",
    "injury": "Injury",
    "back": "Back",
    "medical": "Health conditions",
    "self_help": "Self-help tried",
    "prior_care": "Prior care",
}
