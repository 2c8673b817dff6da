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
