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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jsonschema import Draft202012Validator  # noqa: E402

from bench.histories import random_history  # noqa: E402
from intake.triage.batch import triage_line, triage_text  # noqa: E402
from intake.triage.schema import SCHEMA, HistoryError, validate_history  # noqa: E402

TARGET_PER_SECOND = 20_000


def generate_lines(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [json.dumps(random_history(rng)) for _ in range(n)]


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
