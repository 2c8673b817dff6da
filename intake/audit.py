"""The audit trail: every view of a case and every change, with who, when and from where.

Rows are append-only (intake.models.AuditEventQuerySet refuses update and delete; a saved row
refuses to be saved again). `audit_record` is the one way to add a row; `AuditAction` names the
actions the app records, so that the case page and the CSV export can label them.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from intake.models import AuditEvent, Intake


class AuditAction:
    """Every action name written to AuditEvent.action, each with a label below."""

    PATIENT_REGISTERED = "patient.registered"
    VISIT_CREATED = "intake.created"
    LINK_CREATED = "invitation.created"
    LINK_REVOKED = "invitation.revoked"
    LINK_EMAIL_FAILED = "invitation.email_failed"
    TABLET_STARTED = "invitation.tablet"
    SUBMITTED = "intake.submitted"
    REOPENED = "intake.reopened"
    IMPORTED = "intake.imported"

    CASE_VIEWED = "case.viewed"
    REVIEW_ACCEPTED = "review.accepted"
    REVIEW_OVERRIDDEN = "review.overridden"
    REVIEW_NOTE = "review.note"
    REVIEW_REOPENED = "review.reopened"
    REFERRAL_CREATED = "referral.created"
    REFERRAL_UPDATED = "referral.updated"
    REFERRAL_SIGNED = "referral.signed"
    REFERRAL_CORRECTED = "referral.corrected"
    LETTER_PREVIEWED = "letter.previewed"
    LETTER_DOWNLOADED = "letter.downloaded"
    LETTER_RETRIED = "letter.retried"
    LETTER_INTEGRITY_FAILED = "letter.integrity_failed"
    LETTER_SENT = "letter.sent"
    HANDOUT_ISSUED = "handout.issued"
    AUDIT_EXPORTED = "audit.exported"


AUDIT_ACTION_LABELS: dict[str, str] = {
    AuditAction.CASE_VIEWED: "Viewed the case",
    AuditAction.REVIEW_ACCEPTED: "Accepted the triage",
    AuditAction.REVIEW_OVERRIDDEN: "Overrode the triage",
    AuditAction.REVIEW_NOTE: "Wrote clinical notes",
    AuditAction.REVIEW_REOPENED: "Reopened the review",
    AuditAction.REFERRAL_CREATED: "Created a referral",
    AuditAction.REFERRAL_UPDATED: "Edited a referral draft",
    AuditAction.REFERRAL_SIGNED: "Signed a referral",
    AuditAction.REFERRAL_CORRECTED: "Corrected a signed referral",
    AuditAction.LETTER_PREVIEWED: "Previewed a letter",
    AuditAction.LETTER_DOWNLOADED: "Downloaded a letter",
    AuditAction.LETTER_RETRIED: "Retried a letter",
    AuditAction.LETTER_INTEGRITY_FAILED: "Letter file failed its integrity check",
    AuditAction.LETTER_SENT: "Sent a letter",
    AuditAction.HANDOUT_ISSUED: "Issued the self-help handout",
    AuditAction.AUDIT_EXPORTED: "Exported the audit trail",
    AuditAction.PATIENT_REGISTERED: "Registered the patient",
    AuditAction.VISIT_CREATED: "Created the visit",
    AuditAction.LINK_CREATED: "Created a link for the patient",
    AuditAction.LINK_REVOKED: "Revoked the patient's link",
    AuditAction.LINK_EMAIL_FAILED: "Link e-mail failed",
    AuditAction.TABLET_STARTED: "Started the form on the clinic tablet",
    AuditAction.SUBMITTED: "Patient submitted the history",
    AuditAction.REOPENED: "Reopened the history for the patient",
    AuditAction.IMPORTED: "Imported a history",
}


def audit_action_label(action: str) -> str:
    """A reader's label for an action; an action this table does not know shows as written."""
    return AUDIT_ACTION_LABELS.get(action, action)


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from (REMOTE_ADDR; a trusted proxy sets it correctly)."""
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    intake: Intake | None = None,
    obj: models.Model | None = None,
    detail: str = "",
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one row to the audit trail. Rows are never changed or deleted."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        intake=intake,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail,
        ip_address=ip_address,
    )


# --- CSV export (administrators) ----------------------------------------------------------------

AUDIT_CSV_COLUMNS = (
    "at",
    "actor_username",
    "actor_name",
    "action",
    "action_label",
    "intake_id",
    "patient_mrn",
    "object_type",
    "object_id",
    "detail",
    "ip_address",
)

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP);
# a leading apostrophe makes it text. Details can quote what a user typed.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def audit_events_between(*, start: dt.date, end: dt.date) -> Iterator[AuditEvent]:
    """Every event from the start of `start` to the end of `end` (clinic time), oldest first,
    read in chunks so that a year of events does not sit in memory."""
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return (
        AuditEvent.objects.filter(at__gte=since, at__lt=until)
        .select_related("actor", "intake__patient")
        .order_by("at", "id")
        .iterator(chunk_size=2000)
    )


class _Echo:
    """A file-like object whose write returns the line, for a streaming CSV response."""

    def write(self, value: str) -> str:
        return value


def audit_csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    """The events as CSV text, one line at a time, header first."""
    writer = csv.writer(_Echo())
    yield writer.writerow(AUDIT_CSV_COLUMNS)
    for event in events:
        actor = event.actor
        intake = event.intake
        yield writer.writerow(
            [
                _cell(timezone.localtime(event.at).isoformat()),
                _cell(actor.get_username() if actor else ""),
                _cell(actor.get_full_name() if actor else ""),
                _cell(event.action),
                _cell(audit_action_label(event.action)),
                _cell(event.intake_id or ""),
                _cell(intake.patient.mrn if intake else ""),
                _cell(event.object_type),
                _cell(event.object_id),
                _cell(event.detail),
                _cell(event.ip_address or ""),
            ]
        )
