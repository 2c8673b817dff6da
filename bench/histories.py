"""Histories for the benchmarks: random schema-valid ones (seeded) and one typical runner.

The random generator walks `intake-history.schema.json`, so a schema change flows in with no
edits; `Mix` says how full a history is and how often a yes/no answer is yes. The typical runner
is the same one the letter tests use (tests/data/typical-runner.json).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intake.triage.schema import SCHEMA

TYPICAL_RUNNER_PATH = Path(__file__).resolve().parent.parent / "tests/data/typical-runner.json"

# Plausible figures for the numeric fields; anything else uses the schema's own bounds.
REALISTIC_RANGES: dict[str, tuple[float, float]] = {
    "weeks_since_onset": (0, 60),
    "minutes_into_run": (0, 150),
    "weekly_km_now": (0, 120),
    "weekly_km_4_weeks_ago": (0, 120),
    "longest_run_km_recent": (0, 45),
    "longest_run_km_prior_30_days": (0, 45),
    "weeks": (0, 26),
}


@dataclass(frozen=True)
class Mix:
    section_present: float = 0.75  # how often a group of questions (footwear, ...) is answered
    field_present: float = 0.55  # how often a question within an answered group is answered
    boolean_true: float = 0.2
    decimals: float = 0.3  # how often a number (where the schema allows one) has a decimal
    list_lengths: tuple[int, ...] = (0, 1, 1, 2, 3)


def typical_runner() -> dict[str, Any]:
    """A typical runner's history (~30 answers): forefoot neuroma pattern, tight shoes, a
    mileage spike, a recent injury with a tender metatarsal shaft."""
    return json.loads(TYPICAL_RUNNER_PATH.read_text(encoding="utf-8"))


def random_history(rng: random.Random, mix: Mix = Mix()) -> dict[str, Any]:  # noqa: B008 - frozen
    """A random history valid against the schema, leaning towards what patients answer."""
    return _object(rng, SCHEMA, mix.section_present, mix)


def _object(rng: random.Random, schema: dict[str, Any], present: float, mix: Mix) -> dict[str, Any]:
    return {
        name: _value(rng, name, subschema, mix)
        for name, subschema in schema["properties"].items()
        if "const" in subschema or rng.random() < present
    }


def _value(rng: random.Random, name: str, schema: dict[str, Any], mix: Mix) -> Any:
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return rng.choice(schema["enum"])
    kind = schema.get("type")
    if kind == "object":
        return _object(rng, schema, mix.field_present, mix)
    if kind == "array":
        choices = schema["items"]["enum"]
        return rng.sample(choices, min(len(choices), rng.choice(mix.list_lengths)))
    if kind == "boolean":
        return rng.random() < mix.boolean_true
    low, high = REALISTIC_RANGES.get(name, (schema["minimum"], schema["maximum"]))
    if kind == "integer" or rng.random() >= mix.decimals:
        return rng.randint(int(low), int(high))
    return round(rng.uniform(low, high), 1)
