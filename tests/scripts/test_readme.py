"""The README's set-up section stays true to the code it describes."""

from __future__ import annotations

from pathlib import Path

from intake.demo import DEMO_LOGINS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_the_readme_lists_every_demo_login_with_its_password() -> None:
    rows = [line for line in README.splitlines() if line.startswith("|")]
    for login in DEMO_LOGINS:
        assert any(f"`{login.username}`" in row and f"`{login.password}`" in row for row in rows), (
            login.username
        )
