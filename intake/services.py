"""State changes of patients, intakes and invitations. Views, commands and tasks call these."""

from __future__ import annotations

import copy
import datetime as dt
import smtplib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from audit.actions import AuditAction
from audit.services import audit_case_record, audit_record, audit_search_record
from intake import triage as engine
from intake.answers import answers_from_history, answers_merge, history_from_answers
from intake.models import Intake, Invitation, Patient, TokenLink, TriageRecord
from intake.questions import STEP_SLUGS, Step
from intake.red_flags import red_flags_raise
from intake.tokens import token_hash, token_is_well_formed, token_new


@transaction.atomic
def intake_triage_record(*, intake: Intake, history: Mapping | None = None) -> TriageRecord:
    """Run the triage engine on the intake's history and store the result as a new record.

    Earlier records are kept (re-triage never overwrites); the intake points at the newest and
    carries its priority so the review queue can sort on one index.
    """
    result = engine.triage(history if history is not None else intake.history)
    record = TriageRecord.from_result(intake, result.to_dict())
    record.save()
    Intake.objects.filter(pk=intake.pk).update(
        current_triage=record,
        triage_priority=engine.DISPOSITION_BY_CODE[record.disposition].priority,
        triage_disposition=record.disposition,
    )
    intake.current_triage = record
    intake.triage_priority = engine.DISPOSITION_BY_CODE[record.disposition].priority
    intake.triage_disposition = record.disposition
    return record


class DuplicatePatient(Exception):
    """Registering would make a second record for a patient the clinic already has."""

    def __init__(self, message: str, *, field: str, existing: Patient) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.existing = existing


class IntakeLocked(Exception):
    """The intake was submitted: its answers can no longer change."""


REVIEWED_HISTORY_MESSAGE = (
    "A clinician has already reviewed this history, so it cannot be reopened. Ask the clinician"
    " to reopen their review on the case page first (possible until a referral is signed); new"
    " information after that goes in the clinical notes."
)


class IntakeReviewed(Exception):
    """A clinician has reviewed the submitted history; it stays as they read it."""


class IntakeIncomplete(Exception):
    """Submit was asked for before every step was answered."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(f"Steps not answered yet: {', '.join(missing)}")
        self.missing = missing


_OPEN_STATUSES = (
    Intake.Status.CREATED,
    Intake.Status.SENT,
    Intake.Status.OPENED,
    Intake.Status.IN_PROGRESS,
)


# Patients -------------------------------------------------------------------------------------


@transaction.atomic
def patient_register(
    *,
    mrn: str,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date,
    email: str = "",
    mobile: str = "",
    created_by: AbstractBaseUser | None,
    same_name_and_birth_confirmed: bool = False,
) -> Patient:
    """Create a patient record, refusing a second record for the same clinic number, and for the
    same name and date of birth unless the desk has confirmed it is a different person."""
    existing = Patient.objects.filter(mrn__iexact=mrn).first()
    if existing is not None:
        raise DuplicatePatient(
            f"Clinic number {mrn} already belongs to {existing.full_name}.",
            field="mrn",
            existing=existing,
        )
    if not same_name_and_birth_confirmed:
        _refuse_same_person(first_name=first_name, last_name=last_name, date_of_birth=date_of_birth)
    try:
        with transaction.atomic():
            patient = Patient.objects.create(
                mrn=mrn,
                first_name=first_name,
                last_name=last_name,
                date_of_birth=date_of_birth,
                email=email,
                mobile=mobile,
                created_by=created_by,
            )
    except IntegrityError as error:  # another desk registered the same number a moment ago
        existing = Patient.objects.get(mrn=mrn)
        raise DuplicatePatient(
            f"Clinic number {mrn} already belongs to {existing.full_name}.",
            field="mrn",
            existing=existing,
        ) from error
    audit_record(actor=created_by, action=AuditAction.PATIENT_REGISTERED, obj=patient)
    return patient


def patient_same_person(
    *, first_name: str, last_name: str, date_of_birth: dt.date, other_than: Patient | None = None
) -> Patient | None:
    twins = Patient.objects.filter(
        first_name__iexact=first_name, last_name__iexact=last_name, date_of_birth=date_of_birth
    )
    if other_than is not None:
        twins = twins.exclude(pk=other_than.pk)
    return twins.first()


def _refuse_same_person(
    *, first_name: str, last_name: str, date_of_birth: dt.date, other_than: Patient | None = None
) -> None:
    """The registration's duplicate check: another record with this name and date of birth is
    refused until the desk confirms it is a different person."""
    twin = patient_same_person(
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        other_than=other_than,
    )
    if twin is not None:
        raise DuplicatePatient(
            f"{twin.full_name}, born {twin.date_of_birth:%d/%m/%Y}, is already registered "
            f"(clinic number {twin.mrn}). Use that record, or confirm this is a different "
            "person.",
            field="same_person_checked",
            existing=twin,
        )


PATIENT_DETAILS = ("first_name", "last_name", "date_of_birth", "email", "mobile")


def patient_update(
    *,
    patient: Patient,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date,
    email: str,
    mobile: str,
    updated_by: AbstractBaseUser,
    same_name_and_birth_confirmed: bool = False,
) -> list[str]:
    """Correct a patient's name, date of birth, e-mail or mobile (the clinic number is the
    record's identity and is not edited here). Returns the names of the fields that changed;
    nothing changed writes nothing.

    A new name or date of birth meets the registration's duplicate check (another record with
    the same name and date of birth needs the desk's confirmation). The audit row names the
    fields, not their values: the trail says who changed what, the record holds the data.
    """
    values = {
        "first_name": first_name,
        "last_name": last_name,
        "date_of_birth": date_of_birth,
        "email": email,
        "mobile": mobile,
    }
    changed = [name for name in PATIENT_DETAILS if getattr(patient, name) != values[name]]
    if not changed:
        return []
    identity_changed = {"first_name", "last_name", "date_of_birth"} & set(changed)
    if identity_changed and not same_name_and_birth_confirmed:
        _refuse_same_person(
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
            other_than=patient,
        )
    Patient.objects.filter(pk=patient.pk).update(**{name: values[name] for name in changed})
    for name in changed:
        setattr(patient, name, values[name])
    audit_record(
        actor=updated_by,
        action=AuditAction.PATIENT_UPDATED,
        obj=patient,
        detail="changed: " + ", ".join(name.replace("_", " ") for name in changed),
    )
    return changed


# Visits and links -----------------------------------------------------------------------------


def intake_create(
    *, patient: Patient, visit_date: dt.date, created_by: AbstractBaseUser | None
) -> Intake:
    """A pre-visit history for one visit, not yet sent to the patient."""
    intake = Intake.objects.create(patient=patient, visit_date=visit_date, created_by=created_by)
    audit_case_record(
        actor=created_by,
        action=AuditAction.VISIT_CREATED,
        obj=intake,
        detail=f"Visit on {visit_date:%Y-%m-%d}",
    )
    return intake


@dataclass(frozen=True)
class NewLink:
    """A link just made: a visit's invitation (this module), or a self-help patient link
    (referrals.services.selfhelp, with its own route). The token exists only here: the database
    keeps its hash."""

    record: TokenLink
    token: str
    route: str = "intake:patient_link"

    @property
    def url(self) -> str:
        return settings.SITE_URL.rstrip("/") + reverse(self.route, args=[self.token])


@transaction.atomic
def invitation_create(
    *,
    intake: Intake,
    channel: str,
    created_by: AbstractBaseUser | None,
    now: dt.datetime,
    mark_sent: bool = True,
) -> NewLink:
    """Make a new link for the intake, revoking any earlier one, valid for
    INVITATION_VALID_DAYS. `mark_sent` records it as handed over (the e-mail path marks it only
    once the mail has gone)."""
    locked = Intake.objects.select_for_update().get(pk=intake.pk)
    if locked.status == Intake.Status.SUBMITTED:
        raise IntakeLocked("The history was submitted; reopen it before sending a new link.")
    Invitation.objects.filter(intake=locked, revoked_at__isnull=True).update(revoked_at=now)
    token = token_new()
    invitation = Invitation.objects.create(
        intake=locked,
        token_hash=token_hash(token),
        created_by=created_by,
        expires_at=now + dt.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    _link_record(
        invitation, AuditAction.LINK_CREATED, actor=created_by, detail=f"Channel: {channel}"
    )
    if mark_sent:
        invitation_mark_sent(invitation=invitation, channel=channel, now=now)
    return NewLink(record=invitation, token=token)


def invitation_mark_sent(*, invitation: Invitation, channel: str, now: dt.datetime) -> None:
    """Record that the link reached the patient; a link not yet sent moves the intake to sent."""
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=now, sent_via=channel)
    invitation.sent_at, invitation.sent_via = now, channel
    Intake.objects.filter(pk=invitation.intake_id, status=Intake.Status.CREATED).update(
        status=Intake.Status.SENT
    )


def patient_email_send(*, to: str, template: str, context: Mapping[str, Any]) -> None:
    """E-mail a patient from `emails/<template>_subject.txt`, `.txt` and `.html`, with the
    clinic's name, phone and address added to `context`. The templates carry a link and the
    clinic's words, never anything clinical: an inbox is not a private place."""
    context = {
        **context,
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        "clinic_address": settings.CLINIC_ADDRESS,
    }
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[settings.CLINIC_EMAIL],
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    message.send()


def invitation_send_email(
    *,
    intake: Intake,
    created_by: AbstractBaseUser | None,
    now: dt.datetime,
    reminder: bool = False,
) -> NewLink:
    """Make a new link and e-mail it to the patient. The e-mail names the clinic and carries the
    link, nothing clinical. On a mail failure the link stays unsent and the error is raised.
    `reminder` words it as the one reminder before the visit."""
    patient = intake.patient
    if not patient.email:
        raise ValueError("The patient has no e-mail address.")
    link = invitation_create(
        intake=intake,
        channel=Invitation.Channel.EMAIL,
        created_by=created_by,
        now=now,
        mark_sent=False,
    )
    context = {
        "first_name": patient.first_name,
        "url": link.url,
        "expires_at": link.record.expires_at,
        "kind": "pre_visit_reminder",
        "visit_date": intake.visit_date,
    }
    try:
        if reminder:
            patient_email_send(to=patient.email, template="patient_link", context=context)
        else:
            patient_email_send(to=patient.email, template="invitation", context=context)
    except (OSError, smtplib.SMTPException):
        _link_record(link.record, AuditAction.LINK_EMAIL_FAILED, actor=created_by)
        raise
    invitation_mark_sent(invitation=link.record, channel=Invitation.Channel.EMAIL, now=now)
    return link


def invitation_reminders_due(*, now: dt.datetime) -> list[int]:
    """The intakes whose pre-visit form should be reminded now: not submitted, visit within
    PRE_VISIT_REMINDER_HOURS, never reminded, and a live link that went by e-mail (a reminder
    goes through the channel the link went by; a revoked or expired link is the desk's call)."""
    horizon = (now + dt.timedelta(hours=settings.PRE_VISIT_REMINDER_HOURS)).date()
    return list(
        Intake.objects.filter(
            status__in=_OPEN_STATUSES,
            reminder_queued_at__isnull=True,
            visit_date__lte=horizon,
            visit_date__gte=now.date(),
            invitations__revoked_at__isnull=True,
            invitations__expires_at__gt=now,
            invitations__sent_via=Invitation.Channel.EMAIL,
        )
        .exclude(patient__email="")
        .values_list("pk", flat=True)
        .distinct()
    )


def invitation_reminder_claim(*, intake_id: int, now: dt.datetime) -> bool:
    """Claim the intake's one reminder: a conditional UPDATE from null, so of two scans (beat
    run twice, two beat processes) exactly one wins."""
    return bool(
        Intake.objects.filter(
            pk=intake_id, reminder_queued_at__isnull=True, status__in=_OPEN_STATUSES
        ).update(reminder_queued_at=now)
    )


def invitation_reminder_send(*, intake_id: int, now: dt.datetime) -> bool:
    """Send the claimed reminder: a new link by e-mail (the old one's token is not kept, so it
    cannot be sent again), and an audit row. Nothing is sent once the history was submitted or
    the desk revoked the link after the claim. True if it was sent."""
    intake = Intake.objects.select_related("patient").filter(pk=intake_id).first()
    if intake is None or intake.status not in _OPEN_STATUSES or intake.reminder_queued_at is None:
        return False
    live = Invitation.objects.filter(
        intake=intake, revoked_at__isnull=True, expires_at__gt=now
    ).exists()
    if not live:
        return False
    if Invitation.objects.filter(intake=intake, sent_at__gte=intake.reminder_queued_at).exists():
        return False  # a redelivered task: the reminder's link was made already
    link = invitation_send_email(intake=intake, created_by=None, now=now, reminder=True)
    _link_record(link.record, AuditAction.PRE_VISIT_REMINDED)
    return True


def invitation_revoke(*, intake: Intake, actor: AbstractBaseUser | None, now: dt.datetime) -> int:
    """Stop the intake's live link from working. Returns how many links were revoked (0 or 1)."""
    revoked = Invitation.objects.filter(intake=intake, revoked_at__isnull=True).update(
        revoked_at=now
    )
    if revoked:
        audit_record(actor=actor, action=AuditAction.LINK_REVOKED, intake=intake)
    return revoked


def patient_view_record(
    *, patient: Patient, actor: AbstractBaseUser, ip_address: str | None = None
) -> None:
    """Every opening of a patient's page at the desk is in the trail (who looked this person up)."""
    audit_record(actor=actor, action=AuditAction.PATIENT_VIEWED, obj=patient, ip_address=ip_address)


def patient_search_record(
    *, actor: AbstractBaseUser, patients: int, visits: int, ip_address: str | None = None
) -> None:
    """A desk search ran: recorded with how many rows it returned, never the words."""
    audit_search_record(
        actor=actor, place="the front desk", returned=patients + visits, ip_address=ip_address
    )


def intake_answers_view_record(
    *, invitation: Invitation, tablet: bool, page: str, ip_address: str | None = None
) -> None:
    """The patient's form showed saved answers (the review page, or a step answered before):
    whoever holds the link's session read them (after confirming the date of birth), recorded
    with the page and the address."""
    where = "the clinic tablet" if tablet else "the patient's link"
    _link_record(
        invitation, AuditAction.ANSWERS_VIEWED, detail=f"{page} on {where}", ip_address=ip_address
    )


BIRTH_DATE_ATTEMPTS = 5  # wrong dates of birth on one link before the link is revoked


def _link_record(
    invitation: Invitation,
    action: AuditAction,
    *,
    actor: AbstractBaseUser | None = None,
    detail: str = "",
    ip_address: str | None = None,
) -> None:
    """One row about a link, in its case's trail (the patient is no actor: `actor` is None)."""
    audit_case_record(
        actor=actor, action=action, obj=invitation, detail=detail, ip_address=ip_address
    )


def _invitation_for_token(token: str) -> Invitation | None:
    """The invitation a token names, live or not; None for a malformed or unknown token."""
    if not token_is_well_formed(token):
        return None
    return Invitation.objects.select_related("intake").filter(token_hash=token_hash(token)).first()


def _link_state(invitation: Invitation, *, now: dt.datetime) -> str:
    if invitation_is_live(invitation, now=now):
        return "live"
    return "revoked" if invitation.revoked_at is not None else "expired"


def invitation_redeem(
    *, token: str, now: dt.datetime, ip_address: str | None = None
) -> Invitation | None:
    """The live invitation for a token from a link, recorded as opened; None for a token that is
    malformed, unknown, revoked or expired (the caller must not tell these apart).

    Every opening of a known link, live or not, is in the case's trail with the address it came
    from (a forwarded e-mail opened elsewhere shows up there). Unknown tokens name no case, and
    the per-address throttle counts them."""
    invitation = _invitation_for_token(token)
    if invitation is None:
        return None
    state = _link_state(invitation, now=now)
    _link_record(invitation, AuditAction.LINK_OPENED, detail=f"{state} link", ip_address=ip_address)
    if state != "live":
        return None
    invitation_open(invitation=invitation, now=now)
    return invitation


def invitation_refuse_to_staff(
    *, token: str, actor: AbstractBaseUser, ip_address: str | None = None
) -> None:
    """A browser signed in as staff opened a patient's link: it is not let in (the desk never
    reads clinical answers), and the attempt is in the case's trail. The link is not used up."""
    invitation = _invitation_for_token(token)
    if invitation is None:
        return
    _link_record(invitation, AuditAction.LINK_REFUSED_TO_STAFF, actor=actor, ip_address=ip_address)


@transaction.atomic
def invitation_confirm_birth_date(
    *,
    invitation: Invitation,
    date_of_birth: dt.date,
    now: dt.datetime,
    ip_address: str | None = None,
) -> bool:
    """Whoever opened the link says the patient's date of birth before any answer is shown, so
    a forwarded or misdelivered link reveals nothing. True when it matches. Each wrong date
    counts on the link; the BIRTH_DATE_ATTEMPTS-th revokes it (the patient asks the desk for a
    new one). The count is a conditional UPDATE, so parallel guesses cannot overrun it."""
    intake = Intake.objects.select_related("patient").get(pk=invitation.intake_id)
    live = Invitation.objects.filter(
        pk=invitation.pk, revoked_at__isnull=True, birth_date_failures__lt=BIRTH_DATE_ATTEMPTS
    )
    if not live.exists():
        return False
    if date_of_birth == intake.patient.date_of_birth:
        _link_record(invitation, AuditAction.BIRTH_DATE_CONFIRMED, ip_address=ip_address)
        return True
    live.update(birth_date_failures=F("birth_date_failures") + 1)
    failures = Invitation.objects.values_list("birth_date_failures", flat=True).get(
        pk=invitation.pk
    )
    _link_record(
        invitation,
        AuditAction.BIRTH_DATE_REFUSED,
        detail=f"wrong date of birth, {failures} of {BIRTH_DATE_ATTEMPTS}",
        ip_address=ip_address,
    )
    if failures >= BIRTH_DATE_ATTEMPTS:
        invitation_revoke(intake=intake, actor=None, now=now)
    return False


def invitation_open(*, invitation: Invitation, now: dt.datetime) -> None:
    """The patient reached the form: the first time only, record when, and move a sent intake to
    opened. Idempotent (conditional updates), so a second visit or a link preview changes
    nothing more."""
    if Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=now):
        invitation.opened_at = now
    if invitation.sent_at is None:
        invitation_mark_sent(invitation=invitation, channel=invitation.sent_via or "copy", now=now)
    Intake.objects.filter(
        pk=invitation.intake_id, status__in=(Intake.Status.CREATED, Intake.Status.SENT)
    ).update(status=Intake.Status.OPENED)


@transaction.atomic
def invitation_start_on_tablet(
    *,
    intake: Intake,
    actor: AbstractBaseUser,
    now: dt.datetime,
    ip_address: str | None = None,
) -> NewLink:
    """A new link for the clinic tablet, opened at once (the patient is holding the device).
    Raises IntakeLocked for a submitted history, writing nothing."""
    link = invitation_create(
        intake=intake, channel=Invitation.Channel.TABLET, created_by=actor, now=now
    )
    _link_record(link.record, AuditAction.TABLET_STARTED, actor=actor, ip_address=ip_address)
    invitation_open(invitation=link.record, now=now)
    return link


def invitation_is_live(invitation: Invitation, *, now: dt.datetime) -> bool:
    return invitation.revoked_at is None and invitation.expires_at > now


# The patient's answers ------------------------------------------------------------------------


@transaction.atomic
def intake_save_step(
    *,
    intake: Intake,
    step: Step,
    values: Mapping[str, Mapping[str, Any]],
    complete: bool,
) -> Intake:
    """Save one step's answers (section -> field -> value) and whether the step is complete.

    The row is locked while its answers are merged, so two tabs saving different steps do not
    overwrite each other. Answers that would break the schema are refused (HistoryError): the
    form should have caught them, and a stored history must always be valid.
    """
    locked = Intake.objects.select_for_update().get(pk=intake.pk)
    if locked.status not in _OPEN_STATUSES:
        raise IntakeLocked("The history was submitted.")
    answers = answers_merge(locked.answers, step=step, values=values)
    engine.validate_history(history_from_answers(answers))
    completed = [slug for slug in STEP_SLUGS if slug in locked.steps_completed]
    if complete and step.slug not in completed:
        completed = [slug for slug in STEP_SLUGS if slug in {*completed, step.slug}]
    if not complete and step.slug in completed:
        completed.remove(step.slug)
    Intake.objects.filter(pk=locked.pk).update(
        answers=answers, steps_completed=completed, status=Intake.Status.IN_PROGRESS
    )
    intake.answers, intake.steps_completed = answers, completed
    intake.status = Intake.Status.IN_PROGRESS
    return intake


def intake_submit(*, intake: Intake, now: dt.datetime) -> bool:
    """Lock the history and triage it. True if this call submitted it; False if it was already
    submitted (a second tab, a double click), which stores nothing a second time.

    The history is built from the answers as they are in the row (not as this request loaded
    them), and the status moves with a conditional UPDATE, so of two concurrent submits exactly
    one row count is 1 and only that one triages.
    """
    with transaction.atomic():
        locked = Intake.objects.select_for_update().get(pk=intake.pk)
        if locked.status not in _OPEN_STATUSES:
            return False
        missing = [slug for slug in STEP_SLUGS if slug not in locked.steps_completed]
        if missing:
            raise IntakeIncomplete(missing)
        history = history_from_answers(locked.answers)
        engine.validate_history(history)
        won = Intake.objects.filter(pk=intake.pk, status__in=_OPEN_STATUSES).update(
            status=Intake.Status.SUBMITTED, history=history, submitted_at=now
        )
        if not won:
            return False
        intake.status, intake.history, intake.submitted_at = Intake.Status.SUBMITTED, history, now
        intake.answers, intake.steps_completed = locked.answers, locked.steps_completed
        record = intake_triage_record(intake=intake)
        audit_case_record(actor=None, action=AuditAction.SUBMITTED, obj=intake)
        if record.red_flags:
            # The on-call alert is written in this transaction: it exists iff the submission does.
            red_flags_raise(intake=intake, now=now)
    return True


def intake_reopen(
    *,
    intake: Intake,
    reason: str,
    actor: AbstractBaseUser | None,
    ip_address: str | None = None,
    now: dt.datetime | None = None,
) -> bool:
    """Unlock a submitted history so the patient can change it, with the reason in the audit
    trail. Answers and earlier triage results are kept; the history is rebuilt on the next
    submit. False if it was not submitted.

    The link the history was sent with is revoked: reopened, it would open the answers to
    whoever holds the old e-mail or slip. The patient gets a new link from the desk.

    A history a clinician has reviewed is not reopened (IntakeReviewed): their decision, and any
    letter signed on it, rests on the answers as they read them. The clinician withdraws the
    review first (possible until a referral is signed), which puts the case back in the queue.
    """
    with transaction.atomic():
        # Conditional on reviewed_at too: a review committing at the same moment holds the
        # intake's row lock, and this UPDATE then sees it and changes nothing.
        # `review` (the reverse name referrals gives its CaseReview; no import): a case back
        # in the queue after a follow-up keeps a review with a signed referral while its
        # reviewed_at is cleared, and that history must not be reopened either.
        reviewed = Q(reviewed_at__isnull=False) | Q(review__isnull=False)
        reopened = (
            Intake.objects.filter(pk=intake.pk, status=Intake.Status.SUBMITTED)
            .exclude(reviewed)
            .update(status=Intake.Status.IN_PROGRESS, history=None, submitted_at=None)
        )
        if not reopened:
            if Intake.objects.filter(reviewed, pk=intake.pk).exists():
                raise IntakeReviewed(REVIEWED_HISTORY_MESSAGE)
            return False
        audit_case_record(
            actor=actor,
            action=AuditAction.REOPENED,
            obj=intake,
            detail=reason,
            ip_address=ip_address,
        )
        invitation_revoke(intake=intake, actor=actor, now=now or timezone.now())
    intake.refresh_from_db()
    return True


# Histories from elsewhere, and re-triage ------------------------------------------------------


@transaction.atomic
def history_import(
    *,
    patient: Patient,
    history: Mapping[str, Any],
    visit_date: dt.date,
    actor: AbstractBaseUser | None,
    now: dt.datetime,
) -> Intake:
    """A submitted, triaged intake from a history given whole (a file, another system). The
    history is stored as given once it passes the schema (HistoryError otherwise)."""
    engine.validate_history(history)
    stored = copy.deepcopy(dict(history))
    intake = Intake.objects.create(
        patient=patient,
        visit_date=visit_date,
        status=Intake.Status.SUBMITTED,
        answers=answers_from_history(stored),
        steps_completed=list(STEP_SLUGS),
        history=stored,
        submitted_at=now,
        created_by=actor,
    )
    intake_triage_record(intake=intake)
    audit_case_record(actor=actor, action=AuditAction.IMPORTED, obj=intake)
    return intake


@dataclass(frozen=True)
class RetriageSummary:
    intakes: int
    changed: int
    skipped: int


def intakes_retriage(*, intake_ids: Iterable[int] | None = None) -> RetriageSummary:
    """Triage submitted histories again with the current rules, adding a TriageRecord to each
    (earlier ones stay), and count the dispositions that changed. None means every submitted
    intake; an intake without a submitted history is skipped."""
    queryset = Intake.objects.filter(status=Intake.Status.SUBMITTED, history__isnull=False)
    if intake_ids is not None:
        ids = list(intake_ids)
        queryset = queryset.filter(pk__in=ids)
        skipped = len(set(ids)) - queryset.count()
    else:
        skipped = 0
    total = changed = 0
    for intake in queryset.order_by("pk").iterator(chunk_size=500):
        before = intake.triage_disposition
        record = intake_triage_record(intake=intake)
        total += 1
        changed += record.disposition != before
    return RetriageSummary(intakes=total, changed=changed, skipped=skipped)
