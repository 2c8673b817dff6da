"""The self-help follow-up's schedule: set at review, changed or cancelled by the clinician.

What happens when it is due (the link, the reminder) and when the patient answers is in
services/selfhelp.py; this module only writes the schedule, so the review service can call it
without importing the rest of the loop.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from audit.actions import AuditAction
from audit.services import audit_case_record, audit_record
from intake.models import Intake
from referrals.models import FollowUp, PatientLink

OPEN_STATUSES = (FollowUp.Status.SCHEDULED, FollowUp.Status.SENT)


@transaction.atomic
def follow_up_schedule(
    *,
    intake: Intake,
    weeks: int,
    actor: AbstractBaseUser | None,
    now: dt.datetime,
    ip_address: str | None = None,
) -> FollowUp:
    """Schedule the case's check-in `weeks` from now, replacing an open one (its link stops
    working), so a case has at most one open check-in."""
    if weeks < 1:
        raise ValueError("A follow-up is at least one week away.")
    follow_up_cancel(intake=intake, actor=actor, now=now, ip_address=ip_address, quiet=True)
    follow_up = FollowUp.objects.create(
        intake=intake, due_at=now + dt.timedelta(weeks=weeks), created_by=actor
    )
    audit_case_record(
        actor=actor,
        action=AuditAction.FOLLOW_UP_SCHEDULED,
        obj=follow_up,
        detail=f"In {weeks} weeks, on {follow_up.due_at:%Y-%m-%d}",
        ip_address=ip_address,
    )
    return follow_up


def follow_up_cancel(
    *,
    intake: Intake,
    actor: AbstractBaseUser | None,
    now: dt.datetime,
    ip_address: str | None = None,
    quiet: bool = False,
) -> int:
    """Cancel the case's open check-in and revoke its link; a conditional UPDATE, so a
    check-in answered at the same moment stays answered. Returns how many were cancelled.
    `quiet` leaves the audit row to the caller (a reschedule says it in its own row)."""
    with transaction.atomic():
        open_ids = list(
            FollowUp.objects.filter(intake=intake, status__in=OPEN_STATUSES).values_list(
                "pk", flat=True
            )
        )
        cancelled = FollowUp.objects.filter(pk__in=open_ids, status__in=OPEN_STATUSES).update(
            status=FollowUp.Status.CANCELLED
        )
        PatientLink.objects.filter(follow_up_id__in=open_ids, revoked_at__isnull=True).update(
            revoked_at=now
        )
        if cancelled and not quiet:
            audit_record(
                actor=actor,
                action=AuditAction.FOLLOW_UP_CANCELLED,
                intake=intake,
                ip_address=ip_address,
            )
    return cancelled
