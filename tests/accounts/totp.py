"""Codes an authenticator app would show, computed from a device's secret (tests only)."""

from __future__ import annotations

import time
from base64 import b32decode

from django_otp.oath import TOTP

STEP = 30


def code_for_key(key: bytes, *, steps_ahead: int = 0) -> str:
    """The six digits for this secret now (or `steps_ahead` steps of 30 s later: a device refuses
    a step it has already accepted, as a sign-in right after enrolment would find)."""
    totp = TOTP(key, step=STEP)
    totp.time = time.time() + STEP * steps_ahead
    return f"{totp.token():06d}"


def code_for_secret(secret: str, *, steps_ahead: int = 0) -> str:
    """The same from the base32 key the enrolment page shows for typing by hand."""
    return code_for_key(b32decode(secret), steps_ahead=steps_ahead)
