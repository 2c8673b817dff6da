"""The rules of `clinical/triage-spec.md`, version 1, in the spec's table order.

Each rule is one function: its docstring is the spec row, its first lines are the condition
(returning None when the rule does not fire), and what it returns is the reason in two voices
(`Texts`): `patient`, written so a clinician can read it aloud to the patient (the handout, the
patient's pages), and `clinician`, third person and clinical terms (letters, the case page).
Both are written here, next to the condition they explain. `@rule` records the id, the action and
the advice. Change what any rule decides and bump RULES_VERSION.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from dataclasses import dataclass
from typing import NamedTuple

from intake.triage.advice import ADVICE
from intake.triage.facts import Facts, LoadChange
from intake.triage.history import History, Number

RULES_VERSION = "1"


class Texts(NamedTuple):
    """A fired rule's reason in the two voices."""

    patient: str  # second person, plain words: read aloud to the patient, on the handout
    clinician: str  # third person, clinical terms: letters to colleagues, the case page


Explain = Callable[[History, Facts], Texts | None]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    action: str  # a disposition code
    advice: str | None  # an advice code, for the self-help rules
    title: str  # a short label for the clinician
    explain: Explain  # the reason in both voices when the rule fires, else None


def rule(
    rule_id: str, *, action: str, title: str, advice: str | None = None
) -> Callable[[Explain], Rule]:
    """Make a Rule of the decorated function, which returns the reason's Texts or None."""

    def make(explain: Explain) -> Rule:
        return Rule(rule_id, action, advice, title, explain)

    return make


# --- wording helpers: how the history's values are said, to the patient and to a colleague -----


def _and(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _sentence(text: str) -> str:
    """The text with its first letter capitalised, to open a sentence."""
    return text[:1].upper() + text[1:]


def _km(value: Number) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _weekly_km_text(change: LoadChange) -> str:
    text = f"your weekly distance went from {_km(change.earlier)} to {_km(change.later)} km"
    ratio = change.ratio
    return text if ratio is None else f"{text} ({ratio:.2f}x) in 4 weeks"


def _longest_run_text(change: LoadChange) -> str:
    text = (
        f"your longest run went from {_km(change.earlier)} km in the month before to "
        f"{_km(change.later)} km in the last 2 weeks"
    )
    ratio = change.ratio
    return text if ratio is None else f"{text} ({ratio:.2f}x)"


def _spike_texts(facts: Facts) -> list[str]:
    """Each training change that counts as a sudden load increase, in words."""
    texts = []
    if facts.weekly_km is not None and facts.weekly_km.spike:
        texts.append(_weekly_km_text(facts.weekly_km))
    if facts.longest_run is not None and facts.longest_run.spike:
        texts.append(_longest_run_text(facts.longest_run))
    return texts


def _spike_terms(facts: Facts) -> list[str]:
    """Each sudden load increase as a clinician writes it: 'weekly volume 30 -> 50 km (1.67x)'."""
    terms = []
    for name, change in (
        ("weekly volume over 4 weeks", facts.weekly_km),
        ("longest run vs the prior 30 days", facts.longest_run),
    ):
        if change is not None and change.spike:
            ratio = "" if change.ratio is None else f" ({change.ratio:.2f}x)"
            terms.append(f"{name} {_km(change.earlier)} -> {_km(change.later)} km{ratio}")
    return terms


_WHEN_AT_REST = {
    "also_at_rest": "even when you are resting",
    "constant": "all the time",
}
_WHEN_AT_REST_TERMS = {"also_at_rest": "present at rest", "constant": "constant"}
_SIDE_TERMS = {"left": "left foot", "right": "right foot", "both": "both feet"}
_INTERSPACE_WORDS = {
    "interspace_2_3": "between your 2nd and 3rd toes",
    "interspace_3_4": "between your 3rd and 4th toes",
}
_INTERSPACE_TERMS = {"interspace_2_3": "2nd", "interspace_3_4": "3rd"}  # "... web space"
_DERMATOMAL_WORDS = {"heel": "heel", "sole": "sole", "dorsum": "top"}  # "... of your foot"
_DERMATOMAL_TERMS = {"heel": "heel", "sole": "plantar", "dorsum": "dorsal"}
_BONE_WORDS = {
    "base_5th_metatarsal": "the base of the 5th metatarsal (the bone on the outside of the foot)",
    "navicular": "the navicular (the bone on the inside of the midfoot)",
    "metatarsal_shaft": "a metatarsal shaft (a long bone in the middle of the foot)",
}
_BONE_TERMS = {
    "base_5th_metatarsal": "5th metatarsal base",
    "navicular": "navicular",
    "metatarsal_shaft": "metatarsal shaft",
}
_CONDITION_WORDS = {
    "diabetes": "diabetes",
    "thyroid": "a thyroid condition",
    "b12_deficiency": "a lack of vitamin B12",
    "kidney_disease": "kidney disease",
    "chemotherapy": "chemotherapy",
    "heavy_alcohol": "regular heavy drinking",
}
_CONDITION_TERMS = {
    "diabetes": "diabetes mellitus",
    "thyroid": "thyroid disease",
    "b12_deficiency": "vitamin B12 deficiency",
    "kidney_disease": "chronic kidney disease",
    "chemotherapy": "previous chemotherapy",
    "heavy_alcohol": "alcohol excess",
}


def _hurt(bones: list[str]) -> str:
    """'<bone> hurts when pressed' / '<bone> and <bone> hurt when pressed'."""
    return f"{_and(bones)} {'hurts' if len(bones) == 1 else 'hurt'} when pressed"


def _tender(history: History, bones: tuple[str, ...]) -> list[str]:
    """Those of `bones` the patient reports tender, in the order given."""
    return [bone for bone in bones if bone in history.injury.bone_tenderness]


def _onset(history: History) -> str:
    """', symptom onset 3 weeks ago' / '' when not given."""
    weeks = history.symptoms.weeks_since_onset
    return "" if weeks is None else f", symptom onset {weeks} week{'s' if weeks != 1 else ''} ago"


def _neuroma_features(history: History) -> list[Texts]:
    """The features of the neuroma pattern the patient reports, in both voices."""
    symptoms = history.symptoms
    features = (
        (
            symptoms.clicking_or_pebble_feeling,
            Texts("a clicking or pebble-in-the-shoe feeling", "a clicking or pebble sensation"),
        ),
        ("burning" in symptoms.sensations, Texts("burning", "burning")),
        (
            symptoms.relieved_by_removing_shoe,
            Texts("relief when you take the shoe off", "relief on removing the shoe"),
        ),
    )
    return [texts for present, texts in features if present]


def _neuroma_text(history: History) -> str:
    """The neuroma pattern in the patient's words (only called when the pattern is present)."""
    regions = history.symptoms.regions
    where = [words for region, words in _INTERSPACE_WORDS.items() if region in regions]
    features = [texts.patient for texts in _neuroma_features(history)]
    return (
        f"Your symptoms {_and(where)}, with {_and(features)}, are the typical pattern of a "
        "Morton's neuroma, a thickened nerve between the toe bones."
    )


def _neuroma_terms(history: History) -> str:
    """The neuroma pattern as a clinician writes it (only called when the pattern is present)."""
    symptoms = history.symptoms
    spaces = [term for region, term in _INTERSPACE_TERMS.items() if region in symptoms.regions]
    features = [texts.clinician for texts in _neuroma_features(history)]
    side = _SIDE_TERMS.get(symptoms.side, symptoms.side)
    return (
        f"Forefoot paraesthesia in the {_and(spaces)} web space{'s' if len(spaces) > 1 else ''} "
        f"({side}) with {_and(features)}{_onset(history)}: history typical of Morton's neuroma."
    )


# --- red flags ---------------------------------------------------------------------------------


@rule("URG-1", action="urgent", title="Possible cauda equina syndrome")
def urg_1(history: History, facts: Facts) -> Texts | None:
    """URG-1: saddle numbness, a bladder or bowel change, or sciatica in both legs."""
    back = history.back
    signs, terms = [], []
    if back.saddle_numbness:
        signs.append("numbness in the saddle area (between your legs)")
        terms.append("saddle anaesthesia")
    if back.bladder_or_bowel_change:
        signs.append("a change in your bladder or bowel control")
        terms.append("new bladder or bowel dysfunction")
    if back.sciatica_both_legs:
        signs.append("pain or numbness running down both legs")
        terms.append("bilateral sciatica")
    if not signs:
        return None
    return Texts(
        f"You told us about {_and(signs)}. This can mean the nerves at the base of your spine "
        "are being squeezed (cauda equina syndrome), which is an emergency: you need to be "
        "seen at an emergency department today.",
        f"Reports {_and(terms)}. Suspected cauda equina syndrome: same-day emergency "
        "assessment and MRI of the lumbosacral spine.",
    )


@rule("URG-2", action="urgent", title="Progressive neurological deficit")
def urg_2(history: History, facts: Facts) -> Texts | None:
    """URG-2: leg weakness or foot drop that is getting worse."""
    back = history.back
    if not (back.leg_weakness_or_foot_drop and back.progressive):
        return None
    return Texts(
        "Your leg is weak or your foot drops, and it is getting worse week by week. Nerve "
        "weakness that keeps getting worse needs to be assessed at an emergency department "
        "today, so it can be treated before the damage becomes permanent.",
        "Reports leg weakness or foot drop, progressive. Progressive motor deficit: same-day "
        "assessment to exclude acute nerve-root or peripheral nerve compression.",
    )


@rule("URG-3", action="urgent", title="Possible arterial insufficiency")
def urg_3(history: History, facts: Facts) -> Texts | None:
    """URG-3: a cold or pale foot, with symptoms at rest."""
    if not (history.medical.foot_cold_or_pale and facts.at_rest):
        return None
    when = history.symptoms.when
    return Texts(
        "Your foot goes cold or pale, and the symptoms are there "
        f"{_WHEN_AT_REST[when]}. That can mean the blood supply to the foot "
        "is blocked, which needs to be assessed at an emergency department today.",
        f"Cold or pale foot with symptoms {_WHEN_AT_REST_TERMS[when]}. Possible critical limb "
        "ischaemia: same-day vascular assessment.",
    )


# --- imaging -----------------------------------------------------------------------------------


@rule("XR-1", action="xray", title="Ottawa foot rules positive")
def xr_1(history: History, facts: Facts) -> Texts | None:
    """XR-1: a recent injury, and unable to bear weight for 4 steps or tender at the 5th
    metatarsal base or the navicular (the Ottawa foot rules)."""
    injury = history.injury
    if not injury.recent_injury:
        return None
    findings, terms = [], []
    if injury.could_not_bear_weight_4_steps:
        findings.append("you could not take 4 steps on it afterwards and still cannot")
        terms.append("unable to bear weight for 4 steps, then and now")
    tender = _tender(history, ("base_5th_metatarsal", "navicular"))
    if tender:
        findings.append(_hurt([_BONE_WORDS[bone] for bone in tender]))
        terms.append(f"{_and([_BONE_TERMS[bone] for bone in tender])} tenderness")
    if not findings:
        return None
    return Texts(
        f"You injured this foot recently, and {_and(findings)}. After an injury, that is the "
        "sign (by the Ottawa foot rules) that we need an X-ray to look for a broken bone.",
        f"Recent foot injury{_onset(history)}; {_and(terms)}. Ottawa foot rules positive.",
    )


@rule("XR-2", action="xray", title="Possible stress fracture")
def xr_2(history: History, facts: Facts) -> Texts | None:
    """XR-2: tenderness at the navicular or 5th metatarsal base without a recent injury, or at a
    metatarsal shaft after a mileage spike (navicular and 5th-metatarsal base are high-risk
    sites)."""
    injury = history.injury
    findings, terms = [], []
    if not injury.recent_injury:
        high_risk = _tender(history, ("navicular", "base_5th_metatarsal"))
        if high_risk:
            findings.append(
                f"{_sentence(_hurt([_BONE_WORDS[bone] for bone in high_risk]))} without an "
                "injury, and a stress fracture there heals poorly if it is missed."
            )
            terms.append(
                f"{_sentence(_and([_BONE_TERMS[bone] for bone in high_risk]))} tenderness "
                "without trauma (high-risk stress fracture site)."
            )
    if "metatarsal_shaft" in injury.bone_tenderness and facts.mileage_spike:
        shaft = _hurt([_BONE_WORDS["metatarsal_shaft"]])
        findings.append(f"{_sentence(shaft)}, and {_and(_spike_texts(facts))}.")
        terms.append(
            f"Metatarsal shaft tenderness after a load spike ({_and(_spike_terms(facts))})."
        )
    if not findings:
        return None
    return Texts(
        f"{' '.join(findings)} That can be a stress fracture, a crack in the bone from repeated "
        "load, so we want an X-ray of the foot.",
        f"{' '.join(terms)} Suspected bone stress injury.",
    )


@rule("XR-3", action="xray", title="Swelling persisting after injury")
def xr_3(history: History, facts: Facts) -> Texts | None:
    """XR-3: a recent injury with swelling, 2 weeks or more after onset."""
    weeks = history.symptoms.weeks_since_onset
    injury = history.injury
    if not (injury.recent_injury and injury.swelling and weeks is not None and weeks >= 2):
        return None
    return Texts(
        f"You injured this foot recently and it is still swollen {weeks} weeks after your "
        "symptoms began. Swelling that lasts this long after an injury should be checked "
        "with an X-ray.",
        f"Persistent swelling {weeks} weeks after a foot injury.",
    )


@rule("XR-4", action="xray", title="Self-help failed: specialist work-up")
def xr_4(history: History, facts: Facts) -> Texts | None:
    """XR-4: self-help failed, with no neuroma pattern and nothing radicular (find the
    compression)."""
    if not facts.self_help_failed or facts.neuroma_pattern or facts.radicular:
        return None
    return Texts(
        f"You have followed the self-help advice for {history.self_help.weeks} weeks and "
        "nothing has changed. The next step is a specialist work-up to find where the nerve "
        "is being squeezed, starting with an X-ray of the foot.",
        f"No improvement after {history.self_help.weeks} weeks of footwear and load "
        "modification; no neuroma pattern, no radicular features. Work-up for a focal "
        "entrapment, starting with plain films.",
    )


# --- back, illness, circulation ----------------------------------------------------------------


@rule("SPN-1", action="spine_review", title="Radicular pattern")
def spn_1(history: History, facts: Facts) -> Texts | None:
    """SPN-1: radicular (pain below the knee, or an S1/L5 area of the foot with back trouble)."""
    if not facts.radicular:
        return None
    back = history.back
    signs, terms = [], []
    if back.pain_radiates_below_knee:
        signs.append("pain that runs down below your knee")
        terms.append("pain radiating below the knee")
    if facts.dermatomal and (back.low_back_pain or back.known_disc_problem):
        regions = [region for region in _DERMATOMAL_WORDS if region in history.symptoms.regions]
        trouble = [
            (text, term)
            for present, text, term in (
                (back.low_back_pain, "low back pain", "low back pain"),
                (back.known_disc_problem, "a known disc problem", "a known disc lesion"),
            )
            if present
        ]
        signs.append(
            f"numbness in the {_and([_DERMATOMAL_WORDS[r] for r in regions])} of your foot "
            f"together with {_and([text for text, _ in trouble])}"
        )
        terms.append(
            f"{_and([_DERMATOMAL_TERMS[r] for r in regions])} foot sensory symptoms "
            f"(L5/S1 distribution) with {_and([term for _, term in trouble])}"
        )
    return Texts(
        f"You have {_and(signs)}. That suggests a nerve root in your lower back (sciatica) "
        "rather than the foot itself, so we are asking for an assessment of your back.",
        f"{_sentence(_and(terms))}. Probable lumbar radiculopathy rather than a distal entrapment.",
    )


@rule("MED-1", action="medical_review", title="Systemic risk factor")
def med_1(history: History, facts: Facts) -> Texts | None:
    """MED-1: a condition that can damage nerves (diabetes, thyroid, B12, kidney, chemotherapy,
    heavy alcohol)."""
    if not facts.systemic_risk:
        return None
    present = [c for c in _CONDITION_WORDS if c in history.medical.conditions]
    return Texts(
        f"You told us about {_and([_CONDITION_WORDS[c] for c in present])}, which can affect "
        "the nerves of the feet. Your doctor should check whether this is behind the numbness, "
        "with blood tests and a check of the circulation.",
        f"History of {_and([_CONDITION_TERMS[c] for c in present])}: a risk factor for "
        "peripheral neuropathy.",
    )


@rule("MED-2", action="medical_review", title="Both feet, at rest, no injury")
def med_2(history: History, facts: Facts) -> Texts | None:
    """MED-2: both feet, symptoms at rest, and no recent injury."""
    if not (history.symptoms.side == "both" and facts.at_rest and not history.injury.recent_injury):
        return None
    when = history.symptoms.when
    return Texts(
        "Both of your feet are affected, the numbness is there "
        f"{_WHEN_AT_REST[when]}, and there was no injury. That pattern points "
        "more to a general cause than to a squeezed nerve, so your doctor should check for an "
        "illness behind it.",
        f"Bilateral foot numbness, {_WHEN_AT_REST_TERMS[when]}{_onset(history)}, no trauma: "
        "pattern suggests a systemic (length-dependent) cause rather than an entrapment.",
    )


@rule("MED-3", action="medical_review", title="Vascular check")
def med_3(history: History, facts: Facts) -> Texts | None:
    """MED-3: calf pain when walking, peripheral arterial disease, or a cold or pale foot that is
    not at rest."""
    medical = history.medical
    signs, terms = [], []
    if medical.calf_pain_when_walking:
        signs.append("calf pain when you walk")
        terms.append("calf claudication")
    if "peripheral_arterial_disease" in medical.conditions:
        signs.append("narrowed leg arteries (peripheral arterial disease)")
        terms.append("known peripheral arterial disease")
    if medical.foot_cold_or_pale and not facts.at_rest:
        signs.append("a foot that goes cold or pale")
        terms.append("a cold or pale foot on exertion")
    if not signs:
        return None
    return Texts(
        f"You told us about {_and(signs)}, which can mean the blood flow to your legs is "
        "reduced. Your doctor should check the circulation in your legs.",
        f"Reports {_and(terms)}: possible peripheral arterial disease.",
    )


# --- neuroma, stepwise: the three conditions exclude each other ---------------------------------


@rule("NEU-1", action="surgery_review", title="Neuroma: injection did not help")
def neu_1(history: History, facts: Facts) -> Texts | None:
    """NEU-1: neuroma pattern, and a prior injection did not help."""
    if not (facts.neuroma_pattern and history.prior_care.injection == "no_help"):
        return None
    return Texts(
        f"{_neuroma_text(history)} An injection has not helped, so the next step is an opinion "
        "from a foot and ankle surgeon.",
        f"{_neuroma_terms(history)} Failed conservative care including a prior injection.",
    )


@rule("NEU-2", action="injection", title="Neuroma: inserts did not help")
def neu_2(history: History, facts: Facts) -> Texts | None:
    """NEU-2: neuroma pattern, a prior injection not known to have failed, and prior inserts did
    not help."""
    prior = history.prior_care
    if not (facts.neuroma_pattern and prior.injection != "no_help" and prior.inserts == "no_help"):
        return None
    return Texts(
        f"{_neuroma_text(history)} Shoe inserts have not helped, so the next step is an "
        "injection around the nerve.",
        f"{_neuroma_terms(history)} No benefit from orthoses; "
        + ("a previous injection helped." if prior.injection == "helped" else "no injection yet."),
    )


@rule("NEU-3", action="inserts", title="Neuroma: first step")
def neu_3(history: History, facts: Facts) -> Texts | None:
    """NEU-3: neuroma pattern, and neither a prior injection nor prior inserts failed."""
    prior = history.prior_care
    if not (facts.neuroma_pattern and prior.injection != "no_help" and prior.inserts != "no_help"):
        return None
    if prior.inserts == "helped":
        step = "Shoe inserts have helped you before, so we will continue with them."
        term = "Previous benefit from orthoses."
    else:
        step = (
            "The first step is a shoe insert (a metatarsal pad) that spreads the toe bones and "
            "takes the pressure off the nerve."
        )
        term = "No orthoses tried yet."
    return Texts(f"{_neuroma_text(history)} {step}", f"{_neuroma_terms(history)} {term}")


# --- foot structure ----------------------------------------------------------------------------


@rule("INS-1", action="inserts", title="Flat arch or very flexible sole")
def ins_1(history: History, facts: Facts) -> Texts | None:
    """INS-1: a flat arch or a very flexible sole, unless inserts have already not helped."""
    structure = history.foot_structure
    signs, terms = [], []
    if structure.arch == "flat":
        signs.append("your feet are flat")
        terms.append("pes planus")
    if structure.very_flexible_sole:
        signs.append("the soles of your feet are very flexible")
        terms.append("a hypermobile midfoot")
    if not signs or history.prior_care.inserts == "no_help":
        return None
    return Texts(
        f"You told us that {_and(signs)}, which makes it easier for the nerves to be squeezed "
        "when you run. Shoe inserts (orthoses) support the foot and take the pressure off.",
        f"Self-reported {_and(terms)}; "
        + (
            "previous orthoses helped."
            if history.prior_care.inserts == "helped"
            else "no orthoses tried yet."
        ),
    )


# --- self-help ---------------------------------------------------------------------------------


@rule("SH-1", action="self_help", advice="bigger_shoes", title="Tight shoes")
def sh_1(history: History, facts: Facts) -> Texts | None:
    """SH-1: the shoes are tight."""
    if history.footwear.fit != "tight":
        return None
    return Texts(
        "Your shoes feel tight, and tight shoes press on the nerves of the foot: choose a pair "
        "that is a little bigger.",
        "Tight-fitting running shoes (external compression).",
    )


@rule("SH-2", action="self_help", advice="wider_toe_box", title="Narrow toe box")
def sh_2(history: History, facts: Facts) -> Texts | None:
    """SH-2: the toe box is narrow."""
    if history.footwear.toe_box != "narrow":
        return None
    return Texts(
        "Your shoes are narrow at the front, which squeezes your toes together and presses on "
        "the nerves between them: choose shoes with room to wiggle your toes.",
        "Narrow toe box (forefoot compression of the interdigital nerves).",
    )


@rule("SH-3", action="self_help", advice="looser_lacing", title="Tight lacing")
def sh_3(history: History, facts: Facts) -> Texts | None:
    """SH-3: the laces are tight."""
    if history.footwear.lacing != "tight":
        return None
    return Texts(
        "You lace your shoes tightly, which presses on the nerves across the top of the foot: "
        "loosen the laces.",
        "Tight lacing (dorsal compression, deep peroneal nerve territory).",
    )


@rule("SH-4", action="self_help", advice="thinner_socks", title="Thick socks")
def sh_4(history: History, facts: Facts) -> Texts | None:
    """SH-4: the socks are thick."""
    if history.footwear.socks != "thick":
        return None
    return Texts(
        "You run in thick socks, which take up room in the shoe and squeeze the foot: try "
        "thinner socks.",
        "Thick socks reducing room in the shoe.",
    )


@rule("SH-5", action="self_help", advice="stiffer_sole", title="Flexible shoe sole")
def sh_5(history: History, facts: Facts) -> Texts | None:
    """SH-5: the shoe's sole is flexible."""
    if history.footwear.sole != "flexible":
        return None
    return Texts(
        "Your shoes have a flexible sole, which lets the ball of the foot take a pounding where "
        "the nerves to the toes pass between the bones: choose shoes with a stiffer sole.",
        "Flexible-soled shoes (forefoot loading over the interdigital nerves).",
    )


@rule("SH-6", action="self_help", advice="gradual_mileage", title="Sudden load increase")
def sh_6(history: History, facts: Facts) -> Texts | None:
    """SH-6: a mileage spike (weekly km up 30% or more, or a longest run more than 10% longer)."""
    if not facts.mileage_spike:
        return None
    return Texts(
        f"{_sentence(_and(_spike_texts(facts)))}. A sudden increase like this can injure the "
        "foot: build up more gradually.",
        f"Sudden training load increase: {_and(_spike_terms(facts))}.",
    )


@rule("SH-7", action="self_help", advice="running_form", title="Forefoot slapping")
def sh_7(history: History, facts: Facts) -> Texts | None:
    """SH-7: the feet slap or pound the ground."""
    if not history.training.forefoot_slapping:
        return None
    return Texts(
        "Your feet slap or pound the ground as you run, which strains the foot and its nerves: "
        "try to land more lightly.",
        "Forefoot slapping gait (high impact loading).",
    )


@rule("SH-0", action="self_help", title="General self-help advice")
def sh_0(history: History, facts: Facts) -> Texts | None:
    """SH-0: no other rule fired (the engine applies it only then): general advice."""
    return Texts(
        "Nothing in your answers points to a cause that needs a referral. "
        + ADVICE["general"].patient_text,
        "No referral criteria met; general footwear and load advice.",
    )


RULES: tuple[Rule, ...] = (
    urg_1,
    urg_2,
    urg_3,
    xr_1,
    xr_2,
    xr_3,
    xr_4,
    spn_1,
    med_1,
    med_2,
    med_3,
    neu_1,
    neu_2,
    neu_3,
    ins_1,
    sh_1,
    sh_2,
    sh_3,
    sh_4,
    sh_5,
    sh_6,
    sh_7,
)
SH_0: Rule = sh_0  # the fallback: applied only when no rule in RULES fired

RED_FLAG_LABELS: dict[str, str] = {r.id: r.title for r in RULES if r.action == "urgent"}
RULE_TITLES: dict[str, str] = {r.id: r.title for r in (*RULES, SH_0)}


# --- conditions to consider: they inform, they route nothing -----------------------------------


@dataclass(frozen=True, slots=True)
class Consideration:
    code: str
    label: str  # for the clinician
    when: Callable[[History, Facts, Set[str]], bool]  # fired: the ids of the rules that fired


CONSIDERATIONS: tuple[Consideration, ...] = (
    Consideration("mortons_neuroma", "Morton's neuroma", lambda h, f, fired: f.neuroma_pattern),
    Consideration("lumbar_radiculopathy", "Lumbar radiculopathy", lambda h, f, fired: f.radicular),
    Consideration("stress_fracture", "Stress fracture", lambda h, f, fired: "XR-2" in fired),
    Consideration(
        "peripheral_neuropathy",
        "Peripheral neuropathy",
        lambda h, f, fired: f.systemic_risk or (h.symptoms.side == "both" and f.at_rest),
    ),
    Consideration(
        "vascular_cause",
        "Vascular cause (arterial insufficiency)",
        lambda h, f, fired: "URG-3" in fired or "MED-3" in fired,
    ),
    Consideration(
        "exertional_compartment_syndrome",
        "Chronic exertional compartment syndrome",
        lambda h, f, fired: (
            h.symptoms.lower_leg_tightness
            and h.symptoms.eases_within_minutes_of_stopping
            and h.symptoms.when == "only_running"
        ),
    ),
    Consideration(
        "deep_peroneal_entrapment",
        "Deep peroneal nerve entrapment",
        lambda h, f, fired: (
            "dorsum" in h.symptoms.regions
            and (h.footwear.lacing == "tight" or h.footwear.fit == "tight")
        ),
    ),
    Consideration(
        "tarsal_tunnel",
        "Tarsal tunnel syndrome",
        lambda h, f, fired: (
            f.heel_or_sole
            and not f.radicular
            and (h.foot_structure.arch == "flat" or h.injury.recent_injury)
        ),
    ),
)

CONSIDER_LABELS: dict[str, str] = {c.code: c.label for c in CONSIDERATIONS}
