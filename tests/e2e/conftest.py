"""Real-browser tests: Playwright's Python package driving Debian's chromium.

Under CI=true a missing browser fails the run; on a developer machine without chromium the
browser tests are skipped with a message saying how to install it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.e2e.browser import DESKTOP, PHONE, fresh_page

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop; Django must allow ORM calls from the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Iterator[object]:
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package.")
        pytest.skip(
            f"{CHROMIUM} not installed (sudo apt-get install chromium) - browser tests skipped"
        )
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API leaves an asyncio loop running in this thread, so Django's
    # connection handler (a thread-critical asgiref Local) moves from thread-local to
    # context-local storage and hands out new connection objects. Carry the serialized test
    # database over to them, or `serialized_rollback` restores nothing (no staff groups) in
    # every browser test after the first.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh browser context (no cookies) with a phone-sized viewport by default."""
    with fresh_page(browser, PHONE) as page:
        yield page


@pytest.fixture
def desktop_page(browser) -> Iterator[object]:
    with fresh_page(browser, DESKTOP) as page:
        yield page
