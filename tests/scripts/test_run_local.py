"""`make run` supervises its background processes: a worker that dies is started again, and the
console says so."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_local():
    spec = importlib.util.spec_from_file_location("run_local", ROOT / "scripts" / "run_local.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_worker_that_dies_is_restarted_and_the_console_says_so(tmp_path, capfd) -> None:
    starts = tmp_path / "worker-starts"
    dying_worker = f"open({str(starts)!r}, 'a').write('started\\n'); raise SystemExit(3)"
    commands = {
        "web": [sys.executable, "-c", "import time; time.sleep(3)"],
        "worker": [sys.executable, "-c", dying_worker],
    }

    _run_local().supervise(commands, poll_seconds=0.1)

    assert starts.read_text().count("started") >= 2
    assert "worker exited with status 3; restarting it." in capfd.readouterr().err


def test_the_web_server_exiting_stops_the_run(tmp_path) -> None:
    commands = {
        "web": [sys.executable, "-c", "raise SystemExit(5)"],
        "worker": [sys.executable, "-c", "import time; time.sleep(30)"],
    }

    assert _run_local().supervise(commands, poll_seconds=0.1) == 5
