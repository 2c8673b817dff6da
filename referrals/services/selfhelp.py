"""The self-help loop: the handout sent to the patient, the follow-up check-in and the reminders.

- `handout_send`: the clinician e-mails the patient a link to the handout page (tokenised like
  the pre-visit link: intake/tokens.py, hashed, expiring, revocable).
- `patient_messages_queue` (beat): claims each follow-up that is due, each follow-up link left
  unanswered for FOLLOW_UP_REMINDER_DAYS, and each pre-visit form unsubmitted
  PRE_VISIT_REMINDER_HOURS before the visit, with a conditional UPDATE from null, and writes an
  outbox row in the same transaction: running beat twice claims nothing twice, and a broker
  outage delays the e-mails but never loses them.
- `follow_up_link_send` (task): makes the link and e-mails it; a redelivered task finds the
  link made after its claim and sends nothing.
- `follow_up_answer`: the patient's answers make a new version of the history (the pre-visit one
  stays), a new triage, and then a red flag path, a return to the queue, or a closed episode.

E-mails carry a link and the clinic's words only (intake.services.patient_email_send).
"""

from __future__ import annotations

import copy
import datetime as dt
import smtplib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from audit.actions import AuditAction
from audit.services import audit_case_record
from intake import triage as engine
from intake.models import Intake, TriageRecord
from intake.services import (
    NewLink,
    intake_triage_record,
    invitation_reminder_claim,
    invitation_reminders_due,
    patient_email_send,
)
from intake.tokens import token_hash, token_is_well_formed, token_new
from referrals.models import CaseReview, FollowUp, Letter, PatientLink
from referrals.selectors.letters import handout_advice_wanted, review_for_intake
from referrals.services.follow_ups import OPEN_STATUSES
from referrals.services.letters import (
    TOPIC_FOLLOW_UP_REMIND,
    TOPIC_FOLLOW_UP_SEND,
    TOPIC_PRE_VISIT_REMIND,
    handout_issue,
    outbox_queue,
)
from referrals.services.review import ReviewError, case_review_reopen
from referrals.services.urgent import red_flag_alert_raise

# The history's fields the follow-up asks again: every red-flag question of the pre-visit form.
RED_FLAG_FIELDS: tuple[tuple[str, str], ...] = (
    ("back", "saddle_numbness"),
    ("back", "bladder_or_bowel_change"),
    ("back", "sciatica_both_legs"),
    ("back", "leg_weakness_or_foot_drop"),
    ("back", "progressive"),
    ("medical", "foot_cold_or_pale"),
)
# The schema knows no "worse": for the rules a worse patient is one self-help did not help.
HISTORY_OUTCOME = {
    FollowUp.Outcome.RESOLVED: "resolved",
    FollowUp.Outcome.BETTER: "better",
    FollowUp.Outcome.NO_CHANGE: "no_change",
    FollowUp.Outcome.WORSE: "no_change",
}


class SelfHelpError(Exception):
    """A handout or follow-up step that cannot be taken as asked; the message is for staff or
    the patient."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Links ----------------------------------------------------------------------------------------


@transaction.atomic
def _link_create(
    *,
    intake: Intake,
    kind: str,
    now: dt.datetime,
    created_by: AbstractBaseUser | None = None,
    follow_up: FollowUp | None = None,
) -> NewLink:
    """A new link of `kind`, revoking the intake's earlier one of that kind."""
    PatientLink.objects.filter(intake=intake, kind=kind, revoked_at__isnull=True).update(
        revoked_at=now
    )
    token = token_new()
    link = PatientLink.objects.create(
        kind=kind,
        intake=intake,
        follow_up=follow_up,
        token_hash=token_hash(token),
        created_by=created_by,
        expires_at=now + dt.timedelta(days=settings.SELF_HELP_LINK_VALID_DAYS),
    )
    return NewLink(record=link, token=token, route="selfhelp:link")


def _link_email(
    *, new: NewLink, kind: str, actor: AbstractBaseUser | None, now: dt.datetime
) -> None:
    """E-mail the link; on a mail failure the link stays unsent, the failure is audited and
    raised (a task retries, a clinician sees it)."""
    intake = new.record.intake
    context = {
        "first_name": intake.patient.first_name,
        "url": new.url,
        "expires_at": new.record.expires_at,
        "kind": kind,
    }
    try:
        patient_email_send(to=intake.patient.email, template="patient_link", context=context)
    except (OSError, smtplib.SMTPException):
        audit_case_record(actor=actor, action=AuditAction.PATIENT_LINK_EMAIL_FAILED, obj=new.record)
        raise
    PatientLink.objects.filter(pk=new.record.pk).update(sent_at=now)
    new.record.sent_at = now


def patient_link_redeem(*, token: str, now: dt.datetime) -> PatientLink | None:
    """The live link for a token, its first opening recorded (and audited); None for a token
    that is malformed, unknown, revoked or expired (the caller must not tell these apart)."""
    if not token_is_well_formed(token):
        return None
    link = (
        PatientLink.objects.select_related("intake")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if link is None:
        return None
    if PatientLink.objects.filter(pk=link.pk, opened_at__isnull=True).update(opened_at=now):
        link.opened_at = now
        action = (
            AuditAction.HANDOUT_OPENED
            if link.kind == PatientLink.Kind.HANDOUT
            else AuditAction.FOLLOW_UP_OPENED
        )
        audit_case_record(actor=None, action=action, obj=link)
    return link


# The handout ----------------------------------------------------------------------------------


def handout_send(
    *, intake: Intake, user: AbstractBaseUser, now: dt.datetime, ip_address: str | None = None
) -> PatientLink:
    """E-mail the patient a link to their self-help page (the advice, and the PDF once it is
    rendered; the handout is issued here if it was not yet). Sending again makes a new link and
    revokes the old."""
    review = review_for_intake(intake)
    if review is None or not handout_advice_wanted(review):
        raise SelfHelpError("This case's review includes no self-help advice.")
    if not intake.patient.email:
        raise SelfHelpError("The patient has no e-mail address: give them the printed handout.")
    handout_issue(intake=intake, user=user)
    new = _link_create(intake=intake, kind=PatientLink.Kind.HANDOUT, now=now, created_by=user)
    _link_email(new=new, kind="handout", actor=user, now=now)
    audit_case_record(
        actor=user, action=AuditAction.HANDOUT_LINK_SENT, obj=new.record, ip_address=ip_address
    )
    return new.record


def handout_for_link(link: PatientLink) -> Letter | None:
    """The newest ready handout of the link's case, or None while it renders."""
    return (
        Letter.objects.filter(
            intake_id=link.intake_id, kind=Letter.Kind.HANDOUT, status=Letter.Status.READY
        )
        .order_by("-version")
        .first()
    )


def handout_download_record(
    *, link: PatientLink, letter: Letter, now: dt.datetime, ip_address: str | None = None
) -> None:
    """Every download by the patient is in the case's trail; the first is kept on the link."""
    PatientLink.objects.filter(pk=link.pk, downloaded_at__isnull=True).update(downloaded_at=now)
    audit_case_record(
        actor=None, action=AuditAction.HANDOUT_DOWNLOADED, obj=letter, ip_address=ip_address
    )


# Beat: what is due ----------------------------------------------------------------------------


@dataclass(frozen=True)
class QueuedMessages:
    follow_ups: int
    follow_up_reminders: int
    pre_visit_reminders: int


def _claim_and_queue_each(*, ids: Sequence[int], claim: Callable[[int], bool], topic: str) -> int:
    """Claim each id (a conditional UPDATE: True for the one scan that won it) and, in the same
    transaction, queue its message through the outbox. Returns how many were queued."""
    queued = 0
    for pk in ids:
        with transaction.atomic():
            if claim(pk):
                outbox_queue(topic=topic, object_id=pk)
                queued += 1
    return queued


def patient_messages_queue(*, now: dt.datetime) -> QueuedMessages:
    """Claim and queue every patient message that is due now (see the module's docstring)."""
    # Each claim repeats its candidates' filter, "...queued_at is null" included, on one row.
    due = FollowUp.objects.filter(
        status=FollowUp.Status.SCHEDULED, due_at__lte=now, link_queued_at__isnull=True
    )
    unanswered = FollowUp.objects.filter(
        status=FollowUp.Status.SENT,
        sent_at__lte=now - dt.timedelta(days=settings.FOLLOW_UP_REMINDER_DAYS),
        reminder_queued_at__isnull=True,
    )
    return QueuedMessages(
        follow_ups=_claim_and_queue_each(
            ids=list(due.values_list("pk", flat=True)),
            claim=lambda pk: bool(due.filter(pk=pk).update(link_queued_at=now)),
            topic=TOPIC_FOLLOW_UP_SEND,
        ),
        follow_up_reminders=_claim_and_queue_each(
            ids=list(unanswered.values_list("pk", flat=True)),
            claim=lambda pk: bool(unanswered.filter(pk=pk).update(reminder_queued_at=now)),
            topic=TOPIC_FOLLOW_UP_REMIND,
        ),
        pre_visit_reminders=_claim_and_queue_each(
            ids=invitation_reminders_due(now=now),
            claim=lambda pk: invitation_reminder_claim(intake_id=pk, now=now),
            topic=TOPIC_PRE_VISIT_REMIND,
        ),
    )


def follow_up_link_send(*, follow_up_id: int, now: dt.datetime, reminder: bool = False) -> bool:
    """Send the claimed follow-up link (or its one reminder, with a new link: the first one's
    token is not kept). Nothing is sent for a check-in cancelled or answered since the claim,
    nor a second time for a redelivered task. True if an e-mail went."""
    follow_up = FollowUp.objects.select_related("intake__patient").filter(pk=follow_up_id).first()
    if follow_up is None:
        return False
    wanted = FollowUp.Status.SENT if reminder else FollowUp.Status.SCHEDULED
    claimed_at = follow_up.reminder_queued_at if reminder else follow_up.link_queued_at
    if follow_up.status != wanted or claimed_at is None:
        return False
    if follow_up.links.filter(sent_at__gte=claimed_at).exists():
        return False
    intake = follow_up.intake
    if not intake.patient.email:
        return False  # nothing to send to; the case page shows the check-in as not sent
    new = _link_create(intake=intake, kind=PatientLink.Kind.FOLLOW_UP, now=now, follow_up=follow_up)
    _link_email(
        new=new, kind="follow_up_reminder" if reminder else "follow_up", actor=None, now=now
    )
    if not reminder:
        FollowUp.objects.filter(pk=follow_up.pk, status=FollowUp.Status.SCHEDULED).update(
            status=FollowUp.Status.SENT, sent_at=now
        )
    audit_case_record(
        actor=None,
        action=AuditAction.FOLLOW_UP_REMINDED if reminder else AuditAction.FOLLOW_UP_LINK_SENT,
        obj=follow_up,
    )
    return True


# The patient's answer -------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpAnswers:
    outcome: str  # a FollowUp.Outcome value
    weeks_followed: int
    tried: Sequence[str]
    numbness: int  # 0-10
    red_flags: Mapping[str, bool]  # field name (RED_FLAG_FIELDS) -> yes


def _history_now(intake: Intake) -> dict:
    """The newest version of the history: the last answered follow-up's, else the pre-visit."""
    latest = (
        FollowUp.objects.filter(intake=intake, history__isnull=False)
        .order_by("-answered_at", "-id")
        .values_list("history", flat=True)
        .first()
    )
    return copy.deepcopy(latest if latest is not None else intake.history)


def follow_up_history(*, base: Mapping, answers: FollowUpAnswers) -> dict:
    """A new version of the history: `base` with the self-help and red-flag answers replaced."""
    history = copy.deepcopy(dict(base))
    history["self_help"] = {
        "tried": list(answers.tried),
        "weeks": answers.weeks_followed,
        "outcome": HISTORY_OUTCOME[FollowUp.Outcome(answers.outcome)],
    }
    for section, name in RED_FLAG_FIELDS:
        history.setdefault(section, {})[name] = bool(answers.red_flags.get(name))
    engine.validate_history(history)
    return history


def _result_of(record: TriageRecord, outcome: str) -> str:
    if record.red_flags:
        return FollowUp.Result.RED_FLAG
    if record.disposition != engine.SELF_HELP:
        return FollowUp.Result.NEEDS_REVIEW
    if outcome in (FollowUp.Outcome.RESOLVED, FollowUp.Outcome.BETTER):
        return outcome
    # Still self-help by the rules but no better (fewer than 6 weeks of advice, say): a
    # clinician decides whether to carry on, not the engine alone.
    return FollowUp.Result.NEEDS_REVIEW


def follow_up_red_flag_raise(*, intake: Intake, now: dt.datetime) -> None:
    """A red flag at follow-up takes the red-flag path, as at the pre-visit submit: the case
    returns to the queue (urgent, so first) and the on-call address is alerted at once, with
    re-sends until someone acknowledges it. The patient's page shows the emergency advice."""
    _case_back_to_queue(intake=intake, why="red flag at follow-up")
    red_flag_alert_raise(intake=intake, now=now)


def _case_back_to_queue(*, intake: Intake, why: str) -> None:
    """Put the case back among those awaiting review, so a clinician decides on the new triage.

    The queue's "awaiting review" is `Intake.reviewed_at IS NULL` (one indexed column; the
    follow-up's result marks the row "Follow-up: needs review"). While nothing is signed the
    earlier review is withdrawn (kept in full in the audit row) and the clinician reviews again.
    A review with a signed referral stands (the letter rests on it, `case_review_reopen` refuses):
    then only `reviewed_at` is cleared, so the case waits in the queue with its review and
    referrals intact until a clinician records the follow-up review on the case page
    (`case_follow_up_review_record`, which sets `reviewed_at` again)."""
    review = CaseReview.objects.filter(intake=intake).first()
    if review is None:
        return
    try:
        case_review_reopen(review=review, actor=None, reason=why)
    except ReviewError:
        Intake.objects.filter(pk=intake.pk).update(reviewed_at=None)


@transaction.atomic
def follow_up_answer(
    *, follow_up: FollowUp, answers: FollowUpAnswers, now: dt.datetime
) -> FollowUp:
    """Store the patient's check-in once, triage the new history, and act on the result: a red
    flag -> the red-flag path; a disposition other than self-help (or no improvement) -> back to
    the queue marked as a follow-up needing review; otherwise the episode is closed as better or
    resolved. A second submit (another tab) raises SelfHelpError and stores nothing."""
    locked = FollowUp.objects.select_for_update().select_related("intake").get(pk=follow_up.pk)
    if locked.status not in OPEN_STATUSES:
        raise SelfHelpError("This check-in was already answered or closed. Thank you.")
    intake = locked.intake
    history = follow_up_history(base=_history_now(intake), answers=answers)
    record = intake_triage_record(intake=intake, history=history)
    result = _result_of(record, answers.outcome)
    FollowUp.objects.filter(pk=locked.pk).update(
        status=FollowUp.Status.ANSWERED,
        answered_at=now,
        outcome=answers.outcome,
        weeks_followed=answers.weeks_followed,
        numbness=answers.numbness,
        history=history,
        triage_record=record,
        result=result,
    )
    locked.refresh_from_db()
    audit_case_record(
        actor=None,
        action=AuditAction.FOLLOW_UP_ANSWERED,
        obj=locked,
        detail=f"{locked.get_outcome_display()} after {answers.weeks_followed} weeks; numbness "
        f"{answers.numbness}/10; triage {engine.disposition_label(record.disposition)}: "
        f"{locked.get_result_display()}",
    )
    if result == FollowUp.Result.RED_FLAG:
        follow_up_red_flag_raise(intake=intake, now=now)
    elif result == FollowUp.Result.NEEDS_REVIEW:
        _case_back_to_queue(intake=intake, why="follow-up needs review")
    else:
        audit_case_record(
            actor=None,
            action=AuditAction.EPISODE_CLOSED,
            obj=locked,
            detail=locked.get_result_display(),
        )
    return locked
