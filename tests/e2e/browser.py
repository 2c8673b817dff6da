"""What the browser tests share: a fresh page, signing in, and settling before the teardown."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tests.e2e.sign_in import password_step

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@contextmanager
def fresh_page(browser, viewport: dict[str, int], **options: object) -> Iterator[object]:
    """A page in a new browser context (no cookies), closed on the way out."""
    context = browser.new_context(viewport=viewport, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


def sign_in(page, base_url: str, username: str, *, lands_on: str) -> None:
    """Sign in with the password alone (a role that owes no second factor) and wait for the
    role's workspace (`lands_on`). Clinicians: tests/e2e/sign_in.py `sign_in_with_app`."""
    password_step(page, base_url, username)
    page.wait_for_url(f"{base_url}{lands_on}")


def settle(page) -> None:
    """Let the page's last requests (a favicon, a stylesheet, a poll) finish, then leave it: the
    live server shares the test's database, and the teardown's flush must not meet a request
    still running."""
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")
