"""Where a case goes: the spec's disposition table, highest priority first.

This is the one home of the dispositions. Model and form choices, the queue's order and
filters, the case page's badges and the letter template (`pdf/letters/<code>.html`) are all
derived from this table, so adding a disposition means adding a row here and a letter template.
"""

from __future__ import annotations

from typing import NamedTuple


class Disposition(NamedTuple):
    code: str  # stored in the database and the triage result; never changes once used
    label: str  # the short name staff read in the queue, on the case page and in forms
    meaning: str  # the spec's meaning, shown beside the label on the case page
    destination: str  # where the letter goes (the patient, for self-help: no letter)
    priority: int  # 0 is the highest

    @property
    def sends_letter(self) -> bool:
        """Every disposition but self-help is a referral somewhere; self-help is a handout."""
        return self.code != SELF_HELP


SELF_HELP = "self_help"
URGENT = "urgent"

DISPOSITIONS: tuple[Disposition, ...] = (
    Disposition(
        URGENT,
        "Urgent",
        "same-day emergency assessment",
        "emergency department (the letter travels with the patient)",
        0,
    ),
    Disposition(
        "xray",
        "X-ray",
        "imaging of the foot",
        "radiology: weight-bearing foot X-ray series",
        1,
    ),
    Disposition(
        "spine_review",
        "Spine review",
        "nerve-root (sciatic) cause suspected",
        "spine clinic / sports physician for back assessment",
        2,
    ),
    Disposition(
        "medical_review",
        "Medical review",
        "rule out an illness behind the numbness",
        "the patient's primary-care doctor (bloods, vascular check)",
        3,
    ),
    Disposition(
        "surgery_review", "Surgery review", "surgical opinion", "foot and ankle surgeon", 4
    ),
    Disposition("injection", "Injection", "nerve injection", "injection clinic", 5),
    Disposition(
        "inserts", "Inserts / orthoses", "shoe inserts / orthoses", "podiatry / orthotist", 6
    ),
    Disposition(
        SELF_HELP, "Self-help", "self-help advice, no referral", "the patient (a handout)", 7
    ),
)

DISPOSITION_BY_CODE: dict[str, Disposition] = {d.code: d for d in DISPOSITIONS}
LETTER_DISPOSITIONS: tuple[Disposition, ...] = tuple(d for d in DISPOSITIONS if d.sends_letter)
URGENT_PRIORITY = DISPOSITION_BY_CODE[URGENT].priority


def disposition_label(code: str) -> str:
    """The staff-facing label; a code this table does not know (an older rules version's) is
    shown readably rather than hidden."""
    disposition = DISPOSITION_BY_CODE.get(code)
    return disposition.label if disposition else code.replace("_", " ").capitalize()


def by_priority(codes: object) -> list[str]:
    """The codes, each once, highest priority first (the order the spec lists actions in)."""
    return sorted(set(codes), key=lambda code: DISPOSITION_BY_CODE[code].priority)
