"""The clinician's review of an intake, the referrals it leads to, and their PDF letters.

State changes live in referrals/services/; these classes hold data and constraints.

The choices classes (State, Status, Outcome...) and the Meta blocks look alike by Django's
design, not by copying: each is one object's own vocabulary or ordering, and changes apart from
the others (see intake/models.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from intake.models import Intake, TokenLink, TriageRecord, one_live_link_per
from intake.triage import LETTER_DISPOSITIONS

# The triage spec's dispositions that send a letter somewhere (all but self-help), derived from
# the one disposition table: DestinationType.XRAY == "xray", its label the table's.
DestinationType = models.TextChoices(
    "DestinationType", [(d.code.upper(), (d.code, d.label)) for d in LETTER_DISPOSITIONS]
)


def destination_type_choices() -> list[tuple[str, str]]:
    """The fields' choices, as a callable: migrations store this reference instead of a copy of
    the labels, so a new disposition needs no migration (labels are not in the schema)."""
    return DestinationType.choices


class CaseReview(models.Model):
    """A clinician's decision on an intake's triage: accepted as is, or overridden with a reason."""

    class State(models.TextChoices):
        REVIEWED = "reviewed", "Reviewed"
        REFERRAL_SIGNED = "referral_signed", "Referral signed"
        LETTER_READY = "letter_ready", "Letter ready"
        SENT = "sent", "Sent"

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        OVERRIDDEN = "overridden", "Overridden"

    intake = models.OneToOneField(Intake, on_delete=models.PROTECT, related_name="review")
    triage_record = models.ForeignKey(TriageRecord, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=16, choices=Decision.choices)
    disposition = models.CharField(max_length=32)
    actions = models.JSONField(default=list)
    override_reason = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.REVIEWED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"Review of intake {self.intake_id}: {self.decision} {self.disposition}"


class Destination(models.Model):
    """A service letters are sent to; administrators keep the directory in the admin."""

    destination_type = models.CharField(max_length=32, choices=destination_type_choices)
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    email = models.EmailField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["destination_type", "name"]

    def __str__(self) -> str:
        return self.name


class Referral(models.Model):
    """A signed request to one destination. Signed referrals are immutable; a correction is a
    new version that supersedes the old one."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Letter ready"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="referrals")
    destination_type = models.CharField(max_length=32, choices=destination_type_choices)
    destination = models.ForeignKey(
        Destination, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    clinical_question = models.TextField()
    # The clinician's notes for the recipient: part of what is signed, so kept on the referral
    # rather than read from the (editable) review.
    notes = models.TextField(blank=True)
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    signer_name = models.CharField(max_length=200, blank=True)
    signer_title = models.CharField(max_length=100, blank=True)
    signer_registration = models.CharField(max_length=50, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["intake", "status"])]

    def __str__(self) -> str:
        return f"Referral {self.pk} ({self.destination_type}) v{self.version}"


class Letter(models.Model):
    """A rendered PDF: a referral letter, or the self-help handout of an intake.

    Stored outside any public URL under a random name, with its SHA-256 re-checked at download.
    """

    class Kind(models.TextChoices):
        REFERRAL = "referral", "Referral letter"
        HANDOUT = "handout", "Self-help handout"

    class Status(models.TextChoices):
        PENDING = "pending", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="letters")
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "version"],
                condition=models.Q(referral__isnull=False),
                name="one_letter_per_referral_version",
            ),
            # Handouts have no referral: one per intake and version, so a double click or a
            # duplicate request cannot issue two.
            models.UniqueConstraint(
                fields=["intake", "version"],
                condition=models.Q(kind="handout"),
                name="one_handout_per_intake_version",
            ),
        ]
        indexes = [models.Index(fields=["status", "started_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} ({self.status})"


class OutboxMessage(models.Model):
    """A task to publish, written in the same transaction as the change that needs it, so a
    broker outage delays the work but never loses it (relayed by a periodic task)."""

    topic = models.CharField(max_length=64)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    publish_attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # A retry of a task is a row the relay publishes once `not_before` has passed, never a
    # countdown/ETA message: a worker holding one died when Redis restarted (kombu's Redis
    # transport, see referrals/README.md). `attempt` is handed to the task (0: the first run).
    not_before = models.DateTimeField(null=True, blank=True)
    attempt = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["published_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.topic}({self.object_id})"


class Delivery(models.Model):
    """One sending of one letter through one channel; the unique pair makes sending idempotent."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    recipient = models.CharField(max_length=254)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["letter", "channel"], name="one_delivery_per_channel")
        ]

    def __str__(self) -> str:
        return f"Delivery of letter {self.letter_id} by {self.channel}"


class RedFlagAlert(models.Model):
    """The on-call e-mail about a red-flag case, until a clinician acknowledges it.

    `sends_queued` counts the sends asked for (the first at raise, each re-send by beat) and
    `sends_done` the e-mails that went: a send task acts only while done < queued, so a duplicate
    delivery sends nothing twice and beat asks for the next send only once the last one went.
    """

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="red_flag_alerts")
    triage_record = models.ForeignKey(TriageRecord, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    sends_queued = models.PositiveSmallIntegerField(default=1)
    sends_done = models.PositiveSmallIntegerField(default=0)
    last_queued_at = models.DateTimeField()
    last_sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            # One open alert per case: a second red-flag triage while one is open re-uses it.
            models.UniqueConstraint(
                fields=["intake"],
                condition=models.Q(acknowledged_at__isnull=True),
                name="one_open_red_flag_alert_per_intake",
            )
        ]

    def __str__(self) -> str:
        return f"Red-flag alert {self.pk} for intake {self.intake_id}"


class PatientContact(models.Model):
    """A clinician's contact with the patient about their case: when, how and what came of it."""

    class Method(models.TextChoices):
        PHONE = "phone", "Phone call"
        SMS = "sms", "Text message"
        EMAIL = "email", "E-mail"
        IN_PERSON = "in_person", "In person"

    class Outcome(models.TextChoices):
        TOLD_EMERGENCY = "told_emergency", "Told to attend emergency care"
        NO_ANSWER = "no_answer", "No answer"
        OTHER = "other", "Other"

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="contacts")
    contacted_at = models.DateTimeField()
    method = models.CharField(max_length=16, choices=Method.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-contacted_at", "-id"]
        indexes = [models.Index(fields=["intake", "outcome"])]

    def __str__(self) -> str:
        return f"Contact with the patient of intake {self.intake_id}: {self.outcome}"


class FollowUp(models.Model):
    """A self-help check-in: scheduled at review, its link e-mailed by beat when due, answered
    once. Answering stores a new version of the history (the pre-visit one stays as it was) and
    its triage."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        SENT = "sent", "Link sent"
        ANSWERED = "answered", "Answered"
        CANCELLED = "cancelled", "Cancelled"

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", "Resolved"
        BETTER = "better", "Better"
        NO_CHANGE = "no_change", "No change"
        WORSE = "worse", "Worse"

    class Result(models.TextChoices):
        RESOLVED = "resolved", "Episode closed: resolved"
        BETTER = "better", "Episode closed: better"
        NEEDS_REVIEW = "needs_review", "Follow-up needs review"
        RED_FLAG = "red_flag", "Red flag at follow-up"

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="follow_ups")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    due_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Claimed by the beat scan with a conditional UPDATE from null, then sent by a task.
    link_queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminder_queued_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    weeks_followed = models.PositiveSmallIntegerField(null=True, blank=True)
    numbness = models.PositiveSmallIntegerField(null=True, blank=True)  # 0-10
    # The new version of the history this answer made, and its triage.
    history = models.JSONField(null=True, blank=True)
    triage_record = models.ForeignKey(
        TriageRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(max_length=16, choices=Result.choices, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One open check-in per case: a second review or a double click cannot add another.
            models.UniqueConstraint(
                fields=["intake"],
                condition=models.Q(status__in=("scheduled", "sent")),
                name="one_open_follow_up_per_intake",
            )
        ]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"Follow-up {self.pk} of intake {self.intake_id} ({self.status})"


class PatientLink(TokenLink):
    """A link to a patient page after the review: the self-help handout, or one follow-up form.

    The same rules as the pre-visit link (intake.TokenLink): only the token's SHA-256 is stored,
    it expires, it can be revoked, and a new link of a kind revokes the old.
    """

    class Kind(models.TextChoices):
        HANDOUT = "handout", "Self-help handout"
        FOLLOW_UP = "follow_up", "Follow-up form"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="patient_links")
    follow_up = models.ForeignKey(
        FollowUp, null=True, blank=True, on_delete=models.PROTECT, related_name="links"
    )
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta(TokenLink.Meta):
        constraints = [
            one_live_link_per("intake", "kind", name="one_unrevoked_patient_link_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} link {self.pk} of intake {self.intake_id}"
