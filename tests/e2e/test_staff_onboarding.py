"""An invited clinician chooses a password, enrols an authenticator app, signs out, signs in with
a code from the app, then with a recovery code, which then no longer works (a real browser on
the live server; the test computes the app's codes from the secret the page shows)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import CLINICIAN
from accounts.services import staff_invite
from tests.accounts.totp import code_for_secret
from tests.e2e.sign_in import code_step, password_step
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "grace.hopper@example.org"
PASSWORD = "compiler-pioneer-1952"


def _sign_out(page, base: str) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/accounts/login/")


def test_an_invited_clinician_enrols_and_signs_in_with_a_code_then_a_recovery_code(
    live_server, desktop_page, settings
) -> None:
    base = live_server.url
    settings.SITE_URL = base
    administrator = UserFactory(username="root", is_superuser=True, is_staff=True)
    staff_invite(email=EMAIL, role=CLINICIAN, invited_by=administrator, now=timezone.now())
    link = re.search(r"http://\S+/accounts/invitation/\S+/", mail.outbox[0].body).group(0)
    page = desktop_page

    # The invitation: a name and a password, then the enrolment.
    page.goto(link)
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(f"{base}/accounts/two-factor/enrol/")
    expect(page.get_by_alt_text("QR code to scan with your authenticator app")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code from the app").fill(code_for_secret(secret))
    page.get_by_role("button", name="Confirm").click()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have saved them: continue").click()
    page.wait_for_url(f"{base}/review/")
    _sign_out(page, base)

    # A code from the app (the next step's: the enrolment used this one).
    password_step(page, base, EMAIL, PASSWORD)
    page.wait_for_url(f"{base}/accounts/two-factor/*")
    code_step(page, code_for_secret(secret, steps_ahead=1))
    page.wait_for_url(f"{base}/review/")
    _sign_out(page, base)

    # A recovery code, once.
    password_step(page, base, EMAIL, PASSWORD)
    code_step(page, codes[0])
    page.wait_for_url(f"{base}/review/")
    _sign_out(page, base)

    password_step(page, base, EMAIL, PASSWORD)
    code_step(page, codes[0])
    expect(page.get_by_text("That code is not right")).to_be_visible()
    assert "/accounts/two-factor/" in page.url
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")
