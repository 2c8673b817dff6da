"""Reads of the audit trail: a date range of events, and those events as CSV lines."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator

from django.utils import timezone

from audit.models import AuditEvent

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
                _cell(event.get_action_display()),
                _cell(event.intake_id or ""),
                _cell(intake.patient.mrn if intake else ""),
                _cell(event.object_type),
                _cell(event.object_id),
                _cell(event.detail),
                _cell(event.ip_address or ""),
            ]
        )
