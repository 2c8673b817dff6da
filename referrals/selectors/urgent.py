"""Reads for acting on red flags: a case's alert and contacts, and the contact an urgent letter
may cite."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from intake.models import Intake
from referrals.models import PatientContact, RedFlagAlert


@dataclass(frozen=True, slots=True)
class CaseUrgent:
    """The case page's red-flag panel: the latest alert, every contact (newest first)."""

    alert: RedFlagAlert | None
    contacts: tuple[PatientContact, ...]

    @property
    def alert_open(self) -> bool:
        return self.alert is not None and self.alert.acknowledged_at is None


def case_urgent(*, intake: Intake) -> CaseUrgent:
    """Two queries whatever the number of alerts and contacts."""
    alert = (
        RedFlagAlert.objects.filter(intake=intake)
        .select_related("acknowledged_by")
        .order_by("-raised_at", "-id")
        .first()
    )
    contacts = tuple(
        PatientContact.objects.filter(intake=intake)
        .select_related("recorded_by")
        .order_by("-contacted_at", "-id")
    )
    return CaseUrgent(alert=alert, contacts=contacts)


def emergency_contact(*, intake: Intake, until: dt.datetime | None = None) -> PatientContact | None:
    """The latest recorded contact that told the patient to attend emergency care (made by
    `until`, a signed letter's signing time: what was signed never changes): the only ground on
    which an urgent letter may say the patient was told."""
    contacts = PatientContact.objects.filter(
        intake=intake, outcome=PatientContact.Outcome.TOLD_EMERGENCY
    )
    if until is not None:
        contacts = contacts.filter(contacted_at__lte=until)
    return contacts.select_related("recorded_by").order_by("-contacted_at", "-id").first()


def unattended_red_flag() -> ExpressionWrapper:
    """For an Intake queryset's `.annotate(unattended=...)`: an alert is open, or no alert was
    ever acknowledged and nobody recorded a contact (a red-flag history imported, say). True for
    a case without red flags too; the queue shows it only on urgent rows."""
    alerts = RedFlagAlert.objects.filter(intake=OuterRef("pk"))
    contacts = PatientContact.objects.filter(intake=OuterRef("pk"))
    unattended = Q(Exists(alerts.filter(acknowledged_at__isnull=True))) | (
        ~Q(Exists(alerts.filter(acknowledged_at__isnull=False))) & ~Q(Exists(contacts))
    )
    return ExpressionWrapper(unattended, output_field=BooleanField())
