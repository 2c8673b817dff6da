"""`make run`: the web server, a Celery worker and Celery beat, stopped together by Ctrl-C.

Each runs as its own process with the same environment, as they would in production. Unless
SITE_URL is set, it is the address served here, so patients' links (e-mail, slip, QR code, copy)
open on this machine whatever PORT is.
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


def main() -> int:
    port = os.environ.get("PORT", "8000")
    site_url, warning = site_url_for(
        port=port, site_url=os.environ.get("SITE_URL"), debug=env_bool("DEBUG", True)
    )
    environment = {**os.environ, "SITE_URL": site_url}
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
    processes = {
        name: subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True)
        for name, command in commands.items()
    }
    sys.stdout.write(
        f"Serving on http://{HOST}:{port}/ with a Celery worker and beat. Ctrl-C stops all.\n"
        f"Patients' links start with {site_url}/.\n"
        f"E-mails sent by the app are written to {var / 'mail'}/ unless EMAIL_BACKEND is set.\n"
    )
    if warning:
        sys.stderr.write(f"Warning: {warning}\n")
    sys.stdout.flush()

    def stop(*_args: object) -> None:
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

    signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
    try:
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    sys.stderr.write(
                        f"{name} exited with status {process.returncode}; stopping the others.\n"
                    )
                    stop()
                    return process.returncode or 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        stop()
        return 0


if __name__ == "__main__":
    sys.exit(main())
