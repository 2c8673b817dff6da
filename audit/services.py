"""Writes to the audit trail. `audit_record` is the one way to add a row; the services of every
app call it when they change or reveal something (views never do: they call those services)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from audit.actions import AuditAction
from audit.models import AuditEvent


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: AuditAction,
    intake: models.Model | None = None,
    obj: models.Model | None = None,
    detail: str = "",
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one row to the audit trail. Rows are never changed or deleted.

    `intake` is the case the row belongs to (an intake.Intake: the case page lists its rows);
    `obj` is the record acted on, kept by label and key so the row outlives it.
    """
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        intake=intake,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail,
        ip_address=ip_address,
    )


def audit_case_record(
    *,
    actor: AbstractBaseUser | None,
    action: AuditAction,
    obj: models.Model,
    detail: str = "",
    ip_address: str | None = None,
) -> AuditEvent:
    """A row about a case (an intake.Intake) or one of its records (a link, a review, a letter,
    an alert: any model with an `intake`), filed under that case. The case is read from `obj`,
    not passed beside it, so a row cannot land in another case's trail."""
    case = getattr(obj, "intake", obj)
    return audit_record(
        actor=actor, action=action, intake=case, obj=obj, detail=detail, ip_address=ip_address
    )


def audit_export_record(
    *, start: dt.date, end: dt.date, actor: AbstractBaseUser, ip_address: str | None = None
) -> None:
    """Exporting the trail is itself recorded: the export holds every patient's events."""
    audit_record(
        actor=actor,
        action=AuditAction.AUDIT_EXPORTED,
        detail=f"Exported audit events from {start:%Y-%m-%d} to {end:%Y-%m-%d}",
        ip_address=ip_address,
    )


def audit_search_record(
    *, actor: AbstractBaseUser, place: str, returned: int, ip_address: str | None = None
) -> None:
    """A search over patients ran (at the desk, in the review queue): that it ran, where, and how
    many rows it returned. Never the words searched for: they are names and dates of birth."""
    audit_record(
        actor=actor,
        action=AuditAction.PATIENTS_SEARCHED,
        detail=f"Search on {place} returned {returned} rows",
        ip_address=ip_address,
    )


def admin_view_record(
    *, actor: AbstractBaseUser, obj: models.Model, ip_address: str | None = None
) -> None:
    """An administrator opened a clinical record's page in the admin (a review, a referral, a
    letter): a read of health data, filed under the record's case."""
    audit_record(
        actor=actor,
        action=AuditAction.ADMIN_VIEWED,
        intake=getattr(obj, "intake", None),
        obj=obj,
        ip_address=ip_address,
    )
