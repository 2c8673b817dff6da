"""What the browser tests share: a fresh page, signing in, and settling before the teardown."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tests.factories import PASSWORD

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
    """Sign in through the login page and wait for the role's workspace (`lands_on`)."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}{lands_on}")


def settle(page) -> None:
    """Let the page's last requests (a favicon, a stylesheet, a poll) finish, then leave it: the
    live server shares the test's database, and the teardown's flush must not meet a request
    still running."""
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")
