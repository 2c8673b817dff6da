"""The same history gives the same bytes in any process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from intake.triage import result_to_json, triage

ROOT = Path(__file__).parents[3]
VIGNETTES = ROOT / "intake" / "triage" / "clinical" / "vignettes"


def vignette_results() -> str:
    """Every vignette's canonical result, one per line (also run in a fresh process below)."""
    lines = []
    for path in sorted(VIGNETTES.glob("*.json")):
        history = json.loads(path.read_text(encoding="utf-8"))["history"]
        lines.append(result_to_json(triage(history)) + "\n")
    return "".join(lines)


def _in_a_new_process(hash_seed: str) -> bytes:
    script = (
        "import sys\n"
        "from tests.intake.triage.test_determinism import vignette_results\n"
        "sys.stdout.write(vignette_results())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, check=True
    ).stdout


@pytest.mark.parametrize("hash_seed", ["0", "1", "4242"])
def test_it_gives_the_same_bytes_in_another_process(hash_seed: str) -> None:
    assert _in_a_new_process(hash_seed) == vignette_results().encode()
