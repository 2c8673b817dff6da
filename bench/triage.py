"""How many histories per second the triage batch path handles, against a jsonschema baseline.

    .venv/bin/python bench/triage.py [--n 20000] [--seed 1] [--repeat 3]

Generates N random schema-valid histories (seeded, so every run sees the same input) as JSON
Lines, then times `intake.triage.batch.triage_text` over them on one core: parse JSON, validate,
run the rules, serialise. Process start-up and input generation are not timed. The baseline is
the same path with `jsonschema.Draft202012Validator` as the validator. Throughput is the median
of --repeat whole-batch runs; p50/p95 come from a separate run that times each history alone.
No Django settings are needed. The target is >= 20,000 histories/s for our path.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jsonschema import Draft202012Validator  # noqa: E402

from intake.triage.batch import triage_line, triage_text  # noqa: E402
from intake.triage.schema import SCHEMA, HistoryError, validate_history  # noqa: E402

TARGET_PER_SECOND = 20_000

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
SECTION_PRESENT = 0.75  # how often a group of questions (footwear, training, ...) is answered
FIELD_PRESENT = 0.55  # how often a question within an answered group is answered
BOOLEAN_TRUE = 0.2


def random_value(rng: random.Random, name: str, schema: dict[str, Any]) -> Any:
    """A schema-valid value for one property, leaning towards what patients actually answer."""
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return rng.choice(schema["enum"])
    kind = schema.get("type")
    if kind == "object":
        return random_object(rng, schema, FIELD_PRESENT)
    if kind == "array":
        choices = schema["items"]["enum"]
        return rng.sample(choices, rng.choice((0, 1, 1, 2, 3)))
    if kind == "boolean":
        return rng.random() < BOOLEAN_TRUE
    low, high = REALISTIC_RANGES.get(name, (schema["minimum"], schema["maximum"]))
    if kind == "integer" or rng.random() < 0.7:
        return rng.randint(int(low), int(high))
    return round(rng.uniform(low, high), 1)


def random_object(rng: random.Random, schema: dict[str, Any], present: float) -> dict[str, Any]:
    return {
        name: random_value(rng, name, subschema)
        for name, subschema in schema["properties"].items()
        if rng.random() < present
    }


def generate_lines(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [json.dumps(random_object(rng, SCHEMA, SECTION_PRESENT)) for _ in range(n)]


_jsonschema = Draft202012Validator(SCHEMA)


def validate_with_jsonschema(document: object) -> None:
    """The baseline validator: jsonschema's first error, raised the way ours is."""
    error = next(_jsonschema.iter_errors(document), None)
    if error is not None:
        path = ".".join(str(part) for part in error.absolute_path)
        raise HistoryError(path, error.message)


def histories_per_second(
    text: str, n: int, validate: Callable[[object], None], repeat: int
) -> tuple[float, int]:
    """Median throughput over `repeat` whole-batch runs, and how many lines were invalid."""
    rates = []
    invalid = 0
    for _ in range(repeat):
        start = time.perf_counter()
        invalid = sum(not line.ok for line in triage_text(text, validate=validate))
        rates.append(n / (time.perf_counter() - start))
    return statistics.median(rates), invalid


def latencies_us(lines: list[str], validate: Callable[[object], None]) -> tuple[float, float]:
    """p50 and p95 of one history's parse + validate + rules + serialise, in microseconds."""
    timings = []
    clock = time.perf_counter_ns
    for number, line in enumerate(lines, start=1):
        start = clock()
        triage_line(line, number, validate=validate)
        timings.append((clock() - start) / 1000)
    cuts = statistics.quantiles(timings, n=100)
    return cuts[49], cuts[94]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="histories to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="whole-batch runs per validator")
    args = parser.parse_args()

    lines = generate_lines(args.n, args.seed)
    text = "\n".join(lines)
    list(triage_text("\n".join(lines[:1000])))  # warm up caches and lazy imports

    print(
        f"triage batch path: {args.n} histories (seed {args.seed}), one core, "
        f"Python {platform.python_version()}"
    )
    print(f"{'validator':<34}{'histories/s':>12}{'p50 µs':>9}{'p95 µs':>9}{'invalid':>9}")
    rates = {}
    for label, validate in (
        ("ours (schema compiled at import)", validate_history),
        ("jsonschema Draft202012Validator", validate_with_jsonschema),
    ):
        rate, invalid = histories_per_second(text, args.n, validate, args.repeat)
        p50, p95 = latencies_us(lines, validate)
        rates[label] = rate
        print(f"{label:<34}{rate:>12,.0f}{p50:>9.1f}{p95:>9.1f}{invalid:>9}")

    ours, baseline = rates.values()
    verdict = "met" if ours >= TARGET_PER_SECOND else "NOT met"
    print(
        f"speed-up over jsonschema: {ours / baseline:.1f}x; "
        f"target {TARGET_PER_SECOND:,}/s: {verdict}"
    )


if __name__ == "__main__":
    main()
