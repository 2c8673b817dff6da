"""The triage engine: plain Python, no Django, imports nothing else of the project.

It reads a pre-visit history (`clinical/intake-history.schema.json`), applies the rules of
`clinical/triage-spec.md` and returns where the case should go, with the rule behind each output.
"""

from intake.triage.advice import ADVICE, Advice
from intake.triage.dispositions import (
    DISPOSITION_BY_CODE,
    DISPOSITIONS,
    LETTER_DISPOSITIONS,
    SELF_HELP,
    URGENT,
    URGENT_PRIORITY,
    Disposition,
    by_priority,
    disposition_label,
)
from intake.triage.engine import (
    Reason,
    TriageResult,
    result_to_json,
    stored_clinician_text,
    triage,
)
from intake.triage.history import History
from intake.triage.rules import CONSIDER_LABELS, RED_FLAG_LABELS, RULE_TITLES, RULES_VERSION
from intake.triage.schema import HistoryError, in_schema_order, validate_history

__all__ = [
    "ADVICE",
    "CONSIDER_LABELS",
    "DISPOSITIONS",
    "DISPOSITION_BY_CODE",
    "LETTER_DISPOSITIONS",
    "RED_FLAG_LABELS",
    "RULES_VERSION",
    "RULE_TITLES",
    "SELF_HELP",
    "URGENT",
    "URGENT_PRIORITY",
    "Advice",
    "Disposition",
    "History",
    "HistoryError",
    "Reason",
    "TriageResult",
    "by_priority",
    "disposition_label",
    "in_schema_order",
    "result_to_json",
    "stored_clinician_text",
    "triage",
    "validate_history",
]
