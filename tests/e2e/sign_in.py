"""Signing a staff member in through the pages, second factor included (browser tests)."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.totp import code_for_key
from tests.factories import PASSWORD


def password_step(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def code_step(page, code: str) -> None:
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()


def sign_in_with_app(page, base: str, user) -> None:
    """Password, then a code from an authenticator app enrolled for `user` here."""
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    password_step(page, base, user.get_username())
    page.wait_for_url(f"{base}/accounts/two-factor/*")
    code_step(page, code_for_key(device.bin_key))
