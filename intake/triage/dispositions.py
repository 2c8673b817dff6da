"""Where a case goes: the spec's disposition table, highest priority first."""

from __future__ import annotations

from typing import NamedTuple


class Disposition(NamedTuple):
    code: str
    label: str
    destination: str
    priority: int  # 0 is the highest


DISPOSITIONS: tuple[Disposition, ...] = (
    Disposition(
        "urgent",
        "same-day emergency assessment",
        "emergency department (the letter travels with the patient)",
        0,
    ),
    Disposition("xray", "imaging of the foot", "radiology: weight-bearing foot X-ray series", 1),
    Disposition(
        "spine_review",
        "nerve-root (sciatic) cause suspected",
        "spine clinic / sports physician for back assessment",
        2,
    ),
    Disposition(
        "medical_review",
        "rule out an illness behind the numbness",
        "the patient's primary-care doctor (bloods, vascular check)",
        3,
    ),
    Disposition("surgery_review", "surgical opinion", "foot and ankle surgeon", 4),
    Disposition("injection", "nerve injection", "injection clinic", 5),
    Disposition("inserts", "shoe inserts / orthoses", "podiatry / orthotist", 6),
    Disposition("self_help", "self-help advice, no referral", "the patient (a handout)", 7),
)

DISPOSITION_BY_CODE: dict[str, Disposition] = {d.code: d for d in DISPOSITIONS}
