"""The patient's pages stay lean (issue 13): a purged Bootstrap, only the scripts they use, HTML
compressed, a favicon. bench/patient_pages.py measures the bytes; these keep the decisions."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("url", ["/form/", "/form/where/", "/form/review/"])
def test_patient_pages_load_only_their_own_stylesheet_and_scripts(patient_client, url) -> None:
    body = patient_client.get(url).content.decode()

    assert "css/patient.css" in body
    assert "bootstrap" not in body
    assert "htmx" not in body.replace('name="htmx-config"', "")


def test_staff_pages_keep_bootstrap_and_htmx(client) -> None:
    body = client.get("/accounts/login/").content.decode()

    assert "vendor/bootstrap.min.css" in body
    assert "vendor/htmx.min.js" in body


def test_pages_are_sent_gzipped_to_browsers_that_accept_it(patient_client) -> None:
    response = patient_client.get("/form/where/", HTTP_ACCEPT_ENCODING="gzip, br")

    assert response["Content-Encoding"] == "gzip"


def test_the_favicon_is_served_at_the_root(client) -> None:
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_the_patient_stylesheet_is_the_one_its_sources_build() -> None:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules/purgecss").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("node and node_modules are missing: `make test` installs them (npm ci).")
        pytest.skip("node or purgecss not installed (npm ci)")

    check = subprocess.run(
        [node, "scripts/build_patient_css.mjs", "--check"], cwd=ROOT, capture_output=True, text=True
    )

    assert check.returncode == 0, check.stderr
