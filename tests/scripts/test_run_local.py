"""`make run` points patients' links at the address it serves (and says when SITE_URL does not),
and supervises its background processes: a worker that dies is started again, and the console
says so."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from scripts.run_local import site_url_for, supervise

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("port", "site_url", "debug", "expected_url", "warns"),
    [
        pytest.param("8201", None, True, "http://127.0.0.1:8201", False, id="unset"),
        pytest.param("8201", "  ", True, "http://127.0.0.1:8201", False, id="blank"),
        pytest.param("8201", "http://localhost:8201", True, "http://localhost:8201", False,
                     id="set, same port"),
        pytest.param("8201", "http://127.0.0.1:8000", True, "http://127.0.0.1:8000", True,
                     id="set, other port"),
        pytest.param("8000", "https://clinic.example.org", True, "https://clinic.example.org",
                     True, id="set, https default port"),
        pytest.param("80", "http://clinic.test", True, "http://clinic.test", False,
                     id="set, http default port"),
        pytest.param("8201", "http://127.0.0.1:8000", False, "http://127.0.0.1:8000", False,
                     id="other port outside DEBUG"),
    ],
)  # fmt: skip
def test_the_site_url_follows_the_served_port_unless_set(
    port, site_url, debug, expected_url, warns
) -> None:
    url, warning = site_url_for(port=port, site_url=site_url, debug=debug)
    assert url == expected_url
    assert (warning is not None) == warns


def test_the_warning_names_both_addresses() -> None:
    _url, warning = site_url_for(port="8201", site_url="http://127.0.0.1:8000", debug=True)
    assert "http://127.0.0.1:8000" in warning
    assert "http://127.0.0.1:8201" in warning


def test_a_process_started_with_the_derived_site_url_makes_links_at_the_served_port() -> None:
    url, _warning = site_url_for(port="8201", site_url=None, debug=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update(
        {
            "SITE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "VAR_DIR": tempfile.mkdtemp(),
        }
    )
    script = (
        "import django; django.setup()\n"
        "from intake.services import NewLink\n"
        "print(NewLink(record=None, token='abc').url)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip
    assert result.stdout.strip().startswith("http://127.0.0.1:8201/")


def test_a_worker_that_dies_is_restarted_and_the_console_says_so(tmp_path, capfd) -> None:
    starts = tmp_path / "worker-starts"
    dying_worker = f"open({str(starts)!r}, 'a').write('started\\n'); raise SystemExit(3)"
    commands = {
        "web": [sys.executable, "-c", "import time; time.sleep(3)"],
        "worker": [sys.executable, "-c", dying_worker],
    }

    supervise(commands, poll_seconds=0.1)

    assert starts.read_text().count("started") >= 2
    assert "worker exited with status 3; restarting it." in capfd.readouterr().err


def test_the_web_server_exiting_stops_the_run(tmp_path) -> None:
    commands = {
        "web": [sys.executable, "-c", "raise SystemExit(5)"],
        "worker": [sys.executable, "-c", "import time; time.sleep(30)"],
    }

    assert supervise(commands, poll_seconds=0.1) == 5
