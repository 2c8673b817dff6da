"""What happens at once when a submitted history has a red flag, beyond the patient's page.

The clinic must hear of a red flag without anyone opening the queue, but the alert (and the case
page where it is acknowledged) belongs to referrals, a floor above intake, which intake never
imports. So intake keeps this one, explicit hook: referrals registers its handler at start-up
(`referrals.apps.ReferralsConfig.ready`) and `intake_submit` calls `red_flags_raise` in the
transaction that stores the triage, so the alert is written with the submission or not at all.
Anything else that triages a patient's new answers (follow-up check-ins) calls the same function,
or referrals' `red_flag_alert_raise` directly when it lives in referrals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from intake.models import Intake

RedFlagHandler = Callable[..., object]

_handlers: list[RedFlagHandler] = []


def red_flag_handler_register(handler: RedFlagHandler) -> None:
    """Add a handler, called as `handler(intake=..., now=...)`; registering it twice is a no-op
    (AppConfig.ready may run more than once in tests)."""
    if handler not in _handlers:
        _handlers.append(handler)


def red_flags_raise(*, intake: Intake, now: dt.datetime) -> None:
    """Tell every registered handler that the intake's current triage has a red flag. Called in
    the caller's transaction: a handler's writes commit or roll back with the triage."""
    for handler in _handlers:
        handler(intake=intake, now=now)
