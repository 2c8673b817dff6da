"""Patients, their pre-visit intakes, the links that reach them and their triage results.

The audit trail lives in the audit app, staff profiles in accounts.

State changes live in intake/services.py; these classes hold data and the constraints that keep it
consistent.

The choices classes here and in referrals/models.py and audit/actions.py look alike (a name, the
stored string, a label) by Django's design, not by copying: each is one object's own vocabulary,
kept in its rows, and changes apart from the others.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class Patient(models.Model):
    mrn = models.CharField("clinic number (MRN)", max_length=32, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    email = models.EmailField(blank=True)
    mobile = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name", "first_name", "date_of_birth"]),
            models.Index(fields=["date_of_birth"]),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.mrn})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Intake(models.Model):
    """One pre-visit history for one visit: drafted step by step, then submitted once."""

    class Status(models.TextChoices):
        CREATED = "created", "Not sent"
        SENT = "sent", "Sent"
        OPENED = "opened", "Opened"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="intakes")
    visit_date = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CREATED)
    # Answers saved step by step while the patient fills the form, in the history's shape.
    answers = models.JSONField(default=dict, blank=True)
    steps_completed = models.JSONField(default=list, blank=True)
    # The submitted history, validated against intake-history.schema.json; locked once set.
    history = models.JSONField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    current_triage = models.ForeignKey(
        "TriageRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Copied from current_triage so the review queue sorts 100,000 rows on one index.
    triage_priority = models.PositiveSmallIntegerField(null=True, blank=True)
    triage_disposition = models.CharField(max_length=32, blank=True)
    # Copied from review.reviewed_at by referrals.services.review (null: awaiting review), so the
    # queue's "awaiting review" page and count read one small partial index, not an anti-join.
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Copied from review.state by referrals.services.review ("" while there is no review), so a
    # queue filtered by state ("sent", "letter ready") reads one index in queue order instead of
    # joining every review in that state.
    # db_default too: code from before this column (still serving while an upgrade migrates)
    # inserts intakes without it.
    review_state = models.CharField(max_length=16, blank=True, default="", db_default="")
    # When the one pre-visit reminder was claimed for sending (a conditional UPDATE from null),
    # so however often the scan runs the patient is reminded once.
    reminder_queued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "triage_priority", "submitted_at"]),
            models.Index(fields=["visit_date"]),
        ]

    def __str__(self) -> str:
        return f"Intake {self.pk} for {self.patient} on {self.visit_date}"


class TokenLink(models.Model):
    """What every link to a patient page keeps: the pre-visit form's (Invitation) and, after the
    review, the handout's and the follow-up form's (referrals.PatientLink).

    Only the SHA-256 of its token is stored (intake/tokens.py); it expires, it can be revoked, and
    a new link revokes the old one (`one_live_link_per`). Here because intake is the floor below
    referrals; a staff invitation (accounts) works once and is never revoked, so it stays apart.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]


def one_live_link_per(*fields: str, name: str) -> models.UniqueConstraint:
    """At most one unrevoked link per `fields`: a new link revokes the old one, and the database
    holds to it even when two desks hand out a link at the same moment."""
    return models.UniqueConstraint(
        fields=fields, condition=models.Q(revoked_at__isnull=True), name=name
    )


class Invitation(TokenLink):
    """A link to one intake's pre-visit form (see TokenLink)."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        SLIP = "slip", "Printed slip"
        COPY = "copy", "Copied link"
        TABLET = "tablet", "Clinic tablet"

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="invitations")
    sent_via = models.CharField(max_length=16, choices=Channel.choices, blank=True)
    # Wrong dates of birth typed on this link; at BIRTH_DATE_ATTEMPTS it is revoked.
    birth_date_failures = models.PositiveSmallIntegerField(default=0)

    class Meta(TokenLink.Meta):
        constraints = [one_live_link_per("intake", name="one_unrevoked_invitation_per_intake")]

    def __str__(self) -> str:
        return f"Invitation {self.pk} for intake {self.intake_id}"


class TriageRecord(models.Model):
    """One run of the triage engine over an intake's history. Never updated: re-triage adds one."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="triage_records")
    rules_version = models.CharField(max_length=16)
    disposition = models.CharField(max_length=32)
    actions = models.JSONField(default=list)
    red_flags = models.JSONField(default=list)
    advice = models.JSONField(default=list)
    consider = models.JSONField(default=list)
    reasons = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    # The engine's result fields (TriageResult.to_dict()) this record keeps.
    RESULT_FIELDS = (
        "rules_version",
        "disposition",
        "actions",
        "red_flags",
        "advice",
        "consider",
        "reasons",
    )

    def __str__(self) -> str:
        return f"Triage v{self.rules_version} of intake {self.intake_id}: {self.disposition}"

    @classmethod
    def from_result(cls, intake: Intake, result: dict[str, Any]) -> TriageRecord:
        """An unsaved record of the engine's result (`TriageResult.to_dict()`) for `intake`."""
        return cls(intake=intake, **{name: result[name] for name in cls.RESULT_FIELDS})
