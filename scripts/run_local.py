"""`make run`: the web server, a Celery worker and Celery beat, stopped together by Ctrl-C.

Each runs as its own process with the same environment, as they would in production. Unless
SITE_URL is set, it is the address served here, so patients' links (e-mail, slip, QR code, copy)
open on this machine whatever PORT is. A worker or
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
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from config.env import env_bool  # noqa: E402 - after the project is on the path

HOST = "127.0.0.1"
DEFAULT_PORTS = {"http": 80, "https": 443}


def site_url_for(*, port: str, site_url: str | None, debug: bool) -> tuple[str, str | None]:
    """The SITE_URL for the processes `make run` starts, and a warning to show, if any.

    Unset (or blank): the address served here. Set: kept as it is (a tunnel or proxy may forward
    it), but in DEBUG a port other than the served one is named, since links would be refused.
    """
    served = f"http://{HOST}:{port}"
    if site_url is None or not site_url.strip():
        return served, None
    site_url = site_url.strip()
    parts = urlsplit(site_url)
    site_port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    if debug and str(site_port) != port:
        return site_url, (
            f"SITE_URL is {site_url} but this server listens on {served}: patients' links "
            f"will point at port {site_port}. Unset SITE_URL to use {served}, unless a proxy "
            f"forwards {site_url} here."
        )
    return site_url, None


# The web server's death ends the run (its port, its console); the background processes are
# supervised: restarted when they exit.
RESTARTED = ("worker", "beat")


def _start(command: list[str]) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=ROOT, start_new_session=True)


def main() -> int:
    port = os.environ.get("PORT", "8000")
    site_url, warning = site_url_for(
        port=port, site_url=os.environ.get("SITE_URL"), debug=env_bool("DEBUG", True)
    )
    # Inherited by the web server, the worker and beat: each builds patients' links.
    os.environ["SITE_URL"] = site_url
    var = ROOT / "var"
    var.mkdir(exist_ok=True)
    celery = str(VENV_BIN / "celery")
    commands = {
        "web": [sys.executable, "manage.py", "runserver", f"{HOST}:{port}", "--noreload"],
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
        f"Serving on http://{HOST}:{port}/ with a Celery worker and beat. Ctrl-C stops all.\n"
        f"Patients' links start with {site_url}/.\n"
        f"E-mails sent by the app are written to {var / 'mail'}/ unless EMAIL_BACKEND is set.\n"
    )
    if warning:
        sys.stderr.write(f"Warning: {warning}\n")
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
