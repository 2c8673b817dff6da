"""The clinician's review of a case: record it, annotate it, reopen it, move its state.

Each function checks the current state first and writes one audit row per change. Views and the
letters services call these; nothing else writes a CaseReview.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.actions import AuditAction
from audit.services import audit_case_record, audit_record, audit_search_record
from intake.models import Intake
from intake.triage import DISPOSITION_BY_CODE, SELF_HELP, by_priority, disposition_label
from referrals.models import CaseReview
from referrals.selectors.review import triage_results_differ
from referrals.services.follow_ups import follow_up_cancel, follow_up_schedule


class ReviewError(Exception):
    """A review that cannot be made as asked; the message is for the clinician."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TriageChanged(ReviewError):
    """The case was re-triaged to a different result after the clinician loaded it."""


def _decision_text(disposition: str, actions: Sequence[str]) -> str:
    return f"disposition {disposition_label(disposition)}; actions " + ", ".join(
        disposition_label(a) for a in actions
    )


@transaction.atomic
def case_review_record(
    *,
    intake: Intake,
    loaded_triage_id: int,
    decision: str,
    actor: AbstractBaseUser,
    now: dt.datetime,
    disposition: str = "",
    actions: Sequence[str] = (),
    override_reason: str = "",
    notes: str = "",
    follow_up: bool = True,
    follow_up_weeks: int | None = None,
    ip_address: str | None = None,
) -> CaseReview:
    """Record the clinician's decision on the triage the page showed (`loaded_triage_id`).

    A decision whose actions include self-help schedules the follow-up check-in
    `follow_up_weeks` ahead (FOLLOW_UP_WEEKS unless the clinician changed it), unless the
    clinician unticked `follow_up`: nobody on self-help goes unasked whether it worked.

    Accepting takes the current triage's disposition and actions as they are. Overriding needs a
    reason, a known disposition and that disposition among the actions. If the case was
    re-triaged to a different result since the page was loaded, nothing is recorded
    (TriageChanged) so that nobody signs off a result they have not seen.
    """
    # Lock the intake: a re-triage or a second clinician's review waits for this one.
    locked = (
        # of=("self",): PostgreSQL cannot lock the nullable side of the outer join.
        Intake.objects.select_for_update(of=("self",))
        .select_related("current_triage")
        .filter(pk=intake.pk)
        .first()
    )
    if locked is None or locked.status != Intake.Status.SUBMITTED:
        raise ReviewError(
            "This intake is no longer submitted (it was reopened), so it cannot be reviewed."
        )
    current = locked.current_triage
    if current is None:
        raise ReviewError("This intake has no triage result to review yet.")
    if current.pk != loaded_triage_id:
        loaded = current.__class__.objects.filter(pk=loaded_triage_id, intake=locked).first()
        if loaded is None or triage_results_differ(loaded, current):
            raise TriageChanged(
                "The triage was re-run since you opened this case and its result changed "
                f"(now {disposition_label(current.disposition)}). Nothing was saved: read the "
                "new result below, then decide again."
            )
    existing = CaseReview.objects.filter(intake=locked).select_related("reviewed_by").first()
    if existing is not None:
        raise ReviewError(_already_reviewed(existing))

    if decision == CaseReview.Decision.ACCEPTED:
        disposition, actions, override_reason = current.disposition, list(current.actions), ""
    elif decision == CaseReview.Decision.OVERRIDDEN:
        override_reason = override_reason.strip()
        if not override_reason:
            raise ReviewError("An override needs a reason.")
        if disposition not in DISPOSITION_BY_CODE or not set(actions) <= DISPOSITION_BY_CODE.keys():
            raise ReviewError("Choose a disposition and actions from the list.")
        if disposition not in actions:
            raise ReviewError("The disposition must be one of the actions.")
        actions = by_priority(actions)
    else:
        raise ReviewError("Choose to accept or to override the triage.")

    try:
        with transaction.atomic():
            review = CaseReview.objects.create(
                intake=locked,
                triage_record=current,
                decision=decision,
                disposition=disposition,
                actions=list(actions),
                override_reason=override_reason,
                notes=notes.strip(),
                reviewed_by=actor,
                reviewed_at=now,
            )
    except IntegrityError as exc:
        # Another clinician's review committed between our check and our insert.
        raise ReviewError("Another clinician reviewed this case a moment ago.") from exc
    # The queue reads "awaiting review" and the review's state from the intake (see
    # Intake.reviewed_at and Intake.review_state).
    Intake.objects.filter(pk=locked.pk).update(reviewed_at=now, review_state=review.state)

    if decision == CaseReview.Decision.ACCEPTED:
        action = AuditAction.REVIEW_ACCEPTED
        detail = f"Accepted triage {current.pk} (rules v{current.rules_version}): " + (
            _decision_text(disposition, actions)
        )
    else:
        action = AuditAction.REVIEW_OVERRIDDEN
        detail = (
            f"Overrode triage {current.pk} ("
            + _decision_text(current.disposition, current.actions)
            + ") with "
            + _decision_text(disposition, actions)
            + f". Reason: {override_reason}"
        )
    audit_case_record(actor=actor, action=action, obj=review, detail=detail, ip_address=ip_address)
    if review.notes:
        audit_case_record(
            actor=actor,
            action=AuditAction.REVIEW_NOTE,
            obj=review,
            detail=review.notes,
            ip_address=ip_address,
        )
    if follow_up and SELF_HELP in review.actions:
        follow_up_schedule(
            intake=locked,
            weeks=follow_up_weeks or settings.FOLLOW_UP_WEEKS,
            actor=actor,
            now=now,
            ip_address=ip_address,
        )
    return review


def _already_reviewed(review: CaseReview) -> str:
    who = review.reviewed_by.get_full_name() or review.reviewed_by.get_username()
    return f"This case was already reviewed by {who}."


@transaction.atomic
def case_review_notes_update(
    *,
    review: CaseReview,
    notes: str,
    actor: AbstractBaseUser,
    ip_address: str | None = None,
) -> CaseReview:
    """Replace the review's clinical notes; the audit row keeps the new text, and the earlier
    texts stay in the earlier rows."""
    notes = notes.strip()
    if notes == review.notes:
        return review
    CaseReview.objects.filter(pk=review.pk).update(notes=notes)
    review.notes = notes
    audit_case_record(
        actor=actor,
        action=AuditAction.REVIEW_NOTE,
        obj=review,
        detail=notes or "(notes cleared)",
        ip_address=ip_address,
    )
    return review


@transaction.atomic
def case_review_reopen(
    *,
    review: CaseReview,
    actor: AbstractBaseUser | None,
    ip_address: str | None = None,
    reason: str = "",
) -> None:
    """Withdraw a review so the case is awaiting review again (back in the queue).

    Only while nothing was signed on its strength: once a referral is signed the decision stands
    and a correction goes through a new referral version. The withdrawn decision is kept in full
    in the audit row. With no actor the system withdrew it, for `reason` (a follow-up's answer).
    """
    detail = (
        (f"{reason[:1].upper()}{reason[1:]}: " if reason else "")
        + f"Withdrew the review of {review.reviewed_at:%Y-%m-%d %H:%M} ({review.decision}: "
        + _decision_text(review.disposition, review.actions)
        + (f"; reason: {review.override_reason}" if review.override_reason else "")
        + (f"; notes: {review.notes}" if review.notes else "")
        + ")"
    )
    # Conditional delete: a referral signed at the same moment moves the state and wins.
    deleted, _ = CaseReview.objects.filter(pk=review.pk, state=CaseReview.State.REVIEWED).delete()
    if not deleted:
        raise ReviewError(
            "This review can no longer be reopened: a referral has been signed on it."
        )
    Intake.objects.filter(pk=review.intake_id).update(reviewed_at=None, review_state="")
    audit_record(
        actor=actor,
        action=AuditAction.REVIEW_REOPENED,
        intake=review.intake,
        detail=detail,
        ip_address=ip_address,
    )
    # The withdrawn decision's check-in goes with it; the next review schedules its own.
    follow_up_cancel(intake=review.intake, actor=actor, now=timezone.now(), ip_address=ip_address)


@transaction.atomic
def case_follow_up_review_record(
    *,
    intake: Intake,
    note: str,
    actor: AbstractBaseUser,
    now: dt.datetime,
    ip_address: str | None = None,
) -> None:
    """Record that a clinician dealt with a follow-up that came back needing review on a case
    whose review stands (a referral was signed, so it could not be withdrawn): the case leaves
    the awaiting queue. The note says what they decided (a new referral, carry on, call the
    patient) and is the audit row's detail.

    A conditional UPDATE from `reviewed_at IS NULL` on a reviewed case: a second click or a
    second clinician finds it done (ReviewError), and a case without a review is reviewed with
    `case_review_record` instead.
    """
    note = note.strip()
    if not note:
        raise ReviewError("Say in a note what you decided on the follow-up.")
    done = Intake.objects.filter(
        pk=intake.pk, reviewed_at__isnull=True, review__isnull=False
    ).update(reviewed_at=now)
    if not done:
        raise ReviewError("There is no follow-up waiting for review on this case.")
    audit_record(
        actor=actor,
        action=AuditAction.FOLLOW_UP_REVIEWED,
        intake=intake,
        detail=note,
        ip_address=ip_address,
    )


def case_review_set_state(*, intake: Intake, state: str) -> bool:
    """Set the case's review state (for the letters services, which derive it from the case's
    current referrals: referral_signed, letter_ready, sent; a corrected referral may move it
    back to referral_signed).

    A conditional UPDATE: a case without a review is left alone (a state needs a decision
    first), and nothing is written when the state is already `state`. Returns whether it
    changed. The referral or letter change behind it is what the callers audit.
    """
    if state not in CaseReview.State.values:
        raise ValueError(f"Unknown review state {state!r}.")
    changed = CaseReview.objects.filter(intake=intake).exclude(state=state).update(state=state)
    if changed:  # the queue's state filter reads the intake's copy (Intake.review_state)
        Intake.objects.filter(pk=intake.pk).update(review_state=state)
    return bool(changed)


def case_view_record(
    *, intake: Intake, actor: AbstractBaseUser, ip_address: str | None = None
) -> None:
    """Every opening of a case is in its audit trail (who read this patient's record, when)."""
    audit_record(actor=actor, action=AuditAction.CASE_VIEWED, intake=intake, ip_address=ip_address)


def queue_view_record(
    *, actor: AbstractBaseUser, cases: int, searched: bool, ip_address: str | None = None
) -> None:
    """Every view of the queue lists patients with their dispositions: a search is recorded as
    one (how many cases it returned, never the words), a plain view as a view of the queue."""
    if searched:
        audit_search_record(
            actor=actor, place="the review queue", returned=cases, ip_address=ip_address
        )
        return
    audit_record(
        actor=actor,
        action=AuditAction.QUEUE_VIEWED,
        detail=f"{cases} cases",
        ip_address=ip_address,
    )
