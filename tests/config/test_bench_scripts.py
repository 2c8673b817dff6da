"""The benchmark scripts under bench/ still start: each imports what it needs from the app and
from the other bench modules, which a rename elsewhere can break unseen (bench/load.py imported a
helper that had moved to bench/serve.py). `--help` runs every import and the argument parser,
and touches no database or broker."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted(
    path.name
    for path in (ROOT / "bench").glob("*.py")
    if 'if __name__ == "__main__":' in path.read_text()
)


def test_every_runnable_bench_script_is_checked() -> None:
    assert {"dashboard.py", "letters.py", "load.py", "patient_pages.py"} <= set(SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_bench_script_starts(script: str) -> None:
    result = subprocess.run(
        [sys.executable, f"bench/{script}", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout
