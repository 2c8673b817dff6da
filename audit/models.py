"""The audit trail: who did what to which record, when, from where. Rows are evidence, so they
are only ever added (audit.services.audit_record); the ORM and the admin refuse to change or
delete them.

The table was intake's (intake_auditevent) until intake's migration 0005 handed it over.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from audit.actions import AuditAction


def audit_action_choices() -> list[tuple[str, str]]:
    """The action field's choices, by reference: a migration stores this name, not a copy of
    every label, so a new action (one line in audit/actions.py) needs no migration."""
    return AuditAction.choices


class AuditTrailIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit row through the ORM."""


class AuditEventQuerySet(models.QuerySet):
    """The audit trail is evidence: rows are added, never changed or removed (bulk_update goes
    through update() and is refused with it)."""

    def update(self, **kwargs: object) -> int:
        raise AuditTrailIsAppendOnly("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditTrailIsAppendOnly("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """Who did what to which record, when, from where. Append-only: see AuditEventQuerySet."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=64, choices=audit_action_choices)
    # By name, not by import: audit is a floor below intake (STYLE.md habit 7).
    intake = models.ForeignKey(
        "intake.Intake",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        # Django's default base manager is a plain one that related access and Model.delete's
        # collector use; the guarded queryset is the base manager too.
        base_manager_name = "objects"
        indexes = [models.Index(fields=["intake", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action}"

    # Guards, not logic: a saved row is never written again, and a single row is not deleted
    # either (Model.delete bypasses the queryset).
    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AuditTrailIsAppendOnly("Audit events cannot be deleted.")
