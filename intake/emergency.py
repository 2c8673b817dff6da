"""The patient's emergency page: what to do now, in plain words, for each red flag that fired.

The triage engine's reason says why a flag is an emergency; this table says what to do about it
right now. Keyed by the urgent rules' ids (tests check every urgent rule has its entry).
"""

from __future__ import annotations

from dataclasses import dataclass

from intake.models import TriageRecord
from intake.triage import RED_FLAG_LABELS

WHAT_TO_DO_NOW: dict[str, str] = {
    "URG-1": (
        "Go to the nearest emergency department today, now if you can. Do not wait for your "
        "appointment. If you cannot pass urine, lose control of your bladder or bowel, or the "
        "numbness between your legs spreads, call the emergency number."
    ),
    "URG-2": (
        "Go to the nearest emergency department today. Do not run or drive while your leg is "
        "weak; ask someone to take you. If the weakness comes on suddenly or spreads, call the "
        "emergency number."
    ),
    "URG-3": (
        "Go to the nearest emergency department today. Keep the foot at or below the level of "
        "your heart and do not warm it with a hot-water bottle. If the foot turns white, blue or "
        "cold and painful, call the emergency number."
    ),
}


@dataclass(frozen=True, slots=True)
class EmergencyAdvice:
    rule: str
    title: str
    why: str  # the triage's reason, in the patient's words
    what_to_do: str


def emergency_advice(record: TriageRecord | None) -> list[EmergencyAdvice]:
    """One entry per red flag of the record, in the triage's order; empty without red flags."""
    if record is None:
        return []
    why = {reason.get("rule"): reason.get("text", "") for reason in record.reasons}
    return [
        EmergencyAdvice(
            rule=rule,
            title=RED_FLAG_LABELS.get(rule, rule),
            why=why.get(rule, ""),
            what_to_do=WHAT_TO_DO_NOW.get(rule, "Go to the nearest emergency department today."),
        )
        for rule in record.red_flags
    ]
