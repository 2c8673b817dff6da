"""Run the rules over one history and return the result with the rule behind each output."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from intake.triage.dispositions import DISPOSITIONS
from intake.triage.facts import derive_facts
from intake.triage.history import History
from intake.triage.rules import CONSIDERATIONS, RULE_TITLES, RULES, RULES_VERSION, SH_0, Texts
from intake.triage.schema import validate_history

_BY_PRIORITY = tuple(disposition.code for disposition in DISPOSITIONS)


class Reason(NamedTuple):
    rule: str  # the rule id, e.g. "SH-3"
    action: str  # the disposition code the rule produced
    text: str  # what the clinician can read aloud to the patient (the patient's voice)
    clinician_text: str  # the same reason for a colleague: third person, clinical terms


@dataclass(frozen=True, slots=True)
class TriageResult:
    """The engine's answer. Every tuple is in a fixed order (see `to_dict`)."""

    rules_version: str
    disposition: str
    actions: tuple[str, ...]
    red_flags: tuple[str, ...]
    advice: tuple[str, ...]
    consider: tuple[str, ...]
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        """The spec's output. `actions` are in disposition priority order (highest first);
        `red_flags`, `advice` and `reasons` in the spec's rule-table order; `consider` in the
        spec's consider-table order."""
        return {
            "rules_version": self.rules_version,
            "disposition": self.disposition,
            "actions": list(self.actions),
            "red_flags": list(self.red_flags),
            "advice": list(self.advice),
            "consider": list(self.consider),
            "reasons": [
                {
                    "rule": reason.rule,
                    "action": reason.action,
                    "text": reason.text,
                    "clinician_text": reason.clinician_text,
                }
                for reason in self.reasons
            ],
        }


def triage(history: History | Mapping[str, Any]) -> TriageResult:
    """Triage one history. A mapping is validated first (HistoryError if it breaks the schema).

    Pure: no clock, settings or I/O, so the same history always gives the same result.
    """
    if not isinstance(history, History):
        validate_history(history)
        history = History.from_dict(history)
    facts = derive_facts(history)

    reasons: list[Reason] = []
    red_flags: list[str] = []
    advice: list[str] = []
    for rule in RULES:
        texts = rule.explain(history, facts)
        if texts is not None:
            reasons.append(Reason(rule.id, rule.action, *texts))
            if rule.action == "urgent":
                red_flags.append(rule.id)
            if rule.advice is not None:
                advice.append(rule.advice)
    if not reasons:
        # SH-0: nothing fired, so the patient gets the general self-help handout.
        texts = cast(Texts, SH_0.explain(history, facts))  # SH-0 always fires
        reasons.append(Reason(SH_0.id, SH_0.action, *texts))

    produced = {reason.action for reason in reasons}
    actions = tuple([code for code in _BY_PRIORITY if code in produced])
    fired = {reason.rule for reason in reasons}
    return TriageResult(
        rules_version=RULES_VERSION,
        disposition=actions[0],
        actions=actions,
        red_flags=tuple(red_flags),
        advice=tuple(advice),
        consider=tuple([c.code for c in CONSIDERATIONS if c.when(history, facts, fired)]),
        reasons=tuple(reasons),
    )


def stored_clinician_text(reason: Mapping[str, Any]) -> str:
    """The clinician's text of a stored reason (one entry of `to_dict()["reasons"]`).

    Records made before the rules had two voices keep only the patient's text. A letter to a
    colleague must not read "You told us..." as if written to them, and re-running today's rules
    would silently rewrite what the record says, so the fallback is the rule's clinical title
    with the patient's words quoted as such.
    """
    text = reason.get("clinician_text")
    if text:
        return str(text)
    title = RULE_TITLES.get(reason.get("rule", ""), "")
    patient_text = str(reason.get("text", ""))
    if not (title and patient_text):
        return title or patient_text
    return f'{title}. As explained to the patient: "{patient_text}"'


_string = json.encoder.encode_basestring_ascii  # a str as a JSON string literal, ASCII only


def _strings(items: tuple[str, ...]) -> str:
    return "[" + ",".join(map(_string, items)) + "]"


def result_to_json(result: TriageResult) -> str:
    """The result as canonical JSON: `to_dict`'s key and list order, no spaces, ASCII only, so
    the same result is the same bytes in every process.

    Exactly `json.dumps(result.to_dict(), separators=(",", ":"))` (a test holds it to that),
    written out by hand because it runs once per history in the batch path, at half the cost.
    """
    reasons = ",".join(
        '{"rule":' + _string(reason.rule) + ',"action":' + _string(reason.action)
        + ',"text":' + _string(reason.text)
        + ',"clinician_text":' + _string(reason.clinician_text) + "}"
        for reason in result.reasons
    )  # fmt: skip
    return (
        '{"rules_version":' + _string(result.rules_version)
        + ',"disposition":' + _string(result.disposition)
        + ',"actions":' + _strings(result.actions)
        + ',"red_flags":' + _strings(result.red_flags)
        + ',"advice":' + _strings(result.advice)
        + ',"consider":' + _strings(result.consider)
        + ',"reasons":[' + reasons + "]}"
    )  # fmt: skip
