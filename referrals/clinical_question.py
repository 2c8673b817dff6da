"""The draft of a referral's clinical question, from the triage and the history.

Plain Python (no Django): what a colleague is asked to do and what to exclude, per destination,
built from the rules that fired, the conditions to consider and the patient's answers. The
clinician edits it before signing; it is a starting point, never the signature's substance.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from dataclasses import dataclass

from intake.triage import CONSIDER_LABELS, History

_SIDE = {"left": "the left foot", "right": "the right foot", "both": "both feet"}
_WEB_SPACES = {"interspace_2_3": "2nd", "interspace_3_4": "3rd"}
_BONES = {
    "base_5th_metatarsal": "5th metatarsal base",
    "navicular": "navicular",
    "metatarsal_shaft": "metatarsal shafts",
}


@dataclass(frozen=True, slots=True)
class Case:
    """What the drafting reads: the history, the ids of the rules that fired, the considerations."""

    history: History
    fired: Set[str]
    consider: Set[str]

    @property
    def foot(self) -> str:
        return _SIDE.get(self.history.symptoms.side, "the affected foot")

    @property
    def web_spaces(self) -> str:
        spaces = [n for code, n in _WEB_SPACES.items() if code in self.history.symptoms.regions]
        if not spaces:
            return "the intermetatarsal space"
        return f"the {' and '.join(spaces)} web space{'s' if len(spaces) > 1 else ''}"

    def tender(self, *bones: str) -> list[str]:
        return [_BONES[bone] for bone in bones if bone in self.history.injury.bone_tenderness]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _xray(case: Case) -> list[str]:
    views = (
        f"Weight-bearing dorsoplantar, oblique and lateral views of {case.foot}"
        if "XR-1" not in case.fired
        else f"Dorsoplantar, oblique and lateral views of {case.foot} (weight-bearing if tolerated)"
    )
    exclude = []
    if "XR-1" in case.fired:
        bones = case.tender("base_5th_metatarsal", "navicular")
        where = f" of the {_and(bones)}" if bones else ""
        exclude.append(f"an acute fracture{where} (Ottawa foot rules positive)")
    if "XR-2" in case.fired:
        bones = case.tender("navicular", "base_5th_metatarsal", "metatarsal_shaft")
        exclude.append(f"a stress fracture of the {_and(bones)}" if bones else "a stress fracture")
    if "XR-3" in case.fired:
        exclude.append("a fracture behind the swelling persisting after injury")
    if "XR-4" in case.fired:
        exclude.append(
            "a bony cause of nerve compression (exostosis, osteophyte, malalignment) after "
            "failed conservative care"
        )
    lines = [f"{views}."]
    if exclude:
        lines.append(f"Please exclude {_and(exclude)}.")
    if "navicular" in case.history.injury.bone_tenderness and case.fired & {"XR-1", "XR-2"}:
        lines.append(
            "Navicular fractures are often occult on plain films: if the films are normal, "
            "please advise on CT or MRI."
        )
    elif "XR-2" in case.fired:
        lines.append(
            "Early stress fractures may not show on plain films: if normal, please advise on MRI."
        )
    return lines


def _spine(case: Case) -> list[str]:
    return [
        "Please assess for lumbar radiculopathy (L5/S1) as the cause of the foot symptoms in "
        f"{case.foot}, including a neurological examination of the lower limbs.",
        "Please advise on imaging and management; cauda equina features should be excluded.",
    ]


def _medical(case: Case) -> list[str]:
    lines = []
    if case.fired & {"MED-1", "MED-2"} or "peripheral_neuropathy" in case.consider:
        lines.append(
            "Please assess for a peripheral neuropathy behind the numbness: glucose or HbA1c, "
            "vitamin B12, thyroid function, renal function and a full blood count, as you "
            "judge appropriate."
        )
    if "MED-3" in case.fired or "vascular_cause" in case.consider:
        lines.append(
            "Please examine the peripheral circulation (pulses, ankle-brachial pressure index) "
            "to exclude peripheral arterial disease."
        )
    return lines or ["Please assess for a medical cause of the foot numbness."]


def _surgery(case: Case) -> list[str]:
    return [
        f"Morton's neuroma of {case.web_spaces} of {case.foot}, not helped by an injection.",
        "Please give an opinion on surgical management, and confirm the diagnosis (ultrasound "
        "or MRI) if you judge it necessary.",
    ]


def _injection(case: Case) -> list[str]:
    return [
        f"Suspected Morton's neuroma of {case.web_spaces} of {case.foot}, not helped by orthoses.",
        "Please consider an image-guided injection around the interdigital nerve.",
    ]


def _inserts(case: Case) -> list[str]:
    lines = []
    if "NEU-3" in case.fired:
        lines.append(
            f"Suspected Morton's neuroma of {case.web_spaces} of {case.foot}: please fit a "
            "metatarsal pad or orthosis to offload the interdigital nerve."
        )
    if "INS-1" in case.fired:
        lines.append(
            "Pes planus or a hypermobile midfoot reported: please assess and provide orthoses to "
            "reduce nerve compression when running."
        )
    return lines or [f"Please assess {case.foot} for orthoses."]


def _urgent(case: Case) -> list[str]:
    lines = ["Same-day emergency assessment, please."]
    if "URG-1" in case.fired:
        lines.append("Please exclude cauda equina syndrome (urgent MRI of the lumbosacral spine).")
    if "URG-2" in case.fired:
        lines.append("Please assess the progressive motor deficit and its cause today.")
    if "URG-3" in case.fired:
        lines.append("Please exclude acute or critical limb ischaemia.")
    return lines


DRAFTERS: dict[str, Callable[[Case], list[str]]] = {
    "urgent": _urgent,
    "xray": _xray,
    "spine_review": _spine,
    "medical_review": _medical,
    "surgery_review": _surgery,
    "injection": _injection,
    "inserts": _inserts,
}


def draft_clinical_question(
    *, destination_type: str, history: History, fired: Set[str], consider: Set[str]
) -> str:
    """The clinical question for a referral of `destination_type`: what is asked and what to
    exclude, followed by the conditions the triage says to consider that it does not name."""
    case = Case(history=history, fired=fired, consider=consider)
    lines = DRAFTERS[destination_type](case)
    asked = " ".join(lines).lower()
    labels = [
        CONSIDER_LABELS[code]
        for code in CONSIDER_LABELS
        if code in consider and CONSIDER_LABELS[code].lower() not in asked
    ]
    if labels:
        lines.append(f"Differential to consider: {'; '.join(labels)}.")
    return " ".join(lines)
