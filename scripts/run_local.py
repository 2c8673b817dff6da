"""`make run`: the web server, a Celery worker and Celery beat, stopped together by Ctrl-C.

Each runs as its own process with the same environment, as they would in production. A worker or
beat that dies is restarted (and the console says so), as compose's `restart: unless-stopped`
does in production.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


# The web server's death ends the run (its port, its console); the background processes are
# supervised: restarted when they exit.
RESTARTED = ("worker", "beat")


def _start(command: list[str]) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=ROOT, start_new_session=True)


def main() -> int:
    port = os.environ.get("PORT", "8000")
    var = ROOT / "var"
    var.mkdir(exist_ok=True)
    celery = str(VENV_BIN / "celery")
    commands = {
        "web": [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        "worker": [celery, "-A", "config", "worker", "--loglevel", "INFO", "--concurrency", "2"],
        "beat": [
            celery,
            "-A",
            "config",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(var / "celerybeat-schedule"),
        ],
    }
    sys.stdout.write(
        f"Serving on http://127.0.0.1:{port}/ with a Celery worker and beat. Ctrl-C stops all.\n"
        f"E-mails sent by the app are written to {var / 'mail'}/ unless EMAIL_BACKEND is set.\n"
    )
    sys.stdout.flush()
    signal.signal(signal.SIGTERM, _interrupt)
    return supervise(commands)


def _interrupt(*_args: object) -> None:
    raise KeyboardInterrupt


def supervise(commands: dict[str, list[str]], *, poll_seconds: float = 0.5) -> int:
    """Run the commands until the web server exits or Ctrl-C; restart the RESTARTED ones when
    they exit, saying so on stderr."""
    processes = {name: _start(command) for name, command in commands.items()}

    def stop() -> None:
        for process in processes.values():
            if process.poll() is None:
                # The main process only: Celery's warm shutdown then stops its own children.
                process.terminate()
        deadline = time.monotonic() + 10
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    try:
        while True:
            for name, process in list(processes.items()):
                if process.poll() is None:
                    continue
                if name not in RESTARTED:
                    sys.stderr.write(
                        f"{name} exited with status {process.returncode}; stopping the others.\n"
                    )
                    stop()
                    return process.returncode or 1
                # A worker or beat that dies (e.g. a broker restart it could not survive) is
                # started again, so letters never wait for someone to notice.
                sys.stderr.write(
                    f"{name} exited with status {process.returncode}; restarting it.\n"
                )
                sys.stderr.flush()
                processes[name] = _start(commands[name])
            time.sleep(poll_seconds)
    except KeyboardInterrupt:
        stop()
        return 0


if __name__ == "__main__":
    sys.exit(main())
