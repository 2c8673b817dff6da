"""The clinical access gates: one per object kind, each given the user and the id from the URL.

Each returns the object or raises (Http404 when there is no such object, PermissionDenied when
this user may not have it), one condition per line, so a test can reach every refusal. The view's
role decorator (`clinician_required`) has already run; the gate checks the role again, so an
object is never handed out by a view that forgot its decorator. The desk's gates (patient,
visit) live in intake/access.py: intake is the floor below and never imports from here.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import User, is_administrator, is_clinician
from intake.models import Intake
from referrals.models import CaseReview, Letter, Referral
from referrals.selectors.letters import letter_get, referral_get
from referrals.selectors.review import case_for_clinician

T = TypeVar("T")


def _clinician_only(user: User, what: str) -> None:
    """Refuses anyone but a clinician the object `what` ("a case", "a letter")."""
    if not is_clinician(user):
        raise PermissionDenied(f"Only clinicians open {what}.")


def _or_404(found: T | None, missing: str) -> T:
    """The object a selector found, or Http404 saying what is `missing`."""
    if found is None:
        raise Http404(missing)
    return found


def may_change_review(user: User, review: CaseReview) -> bool:
    """A review's notes and its reopening belong to its author; administrators may step in."""
    return review.reviewed_by_id == user.pk or is_administrator(user)


def may_change_draft(user: User, referral: Referral) -> bool:
    """Only the clinician who wrote a draft may change or sign it: a signature is personal, so
    not even an administrator signs for someone else."""
    return referral.status == Referral.Status.DRAFT and referral.clinician_id == user.pk


def case_for_user(user: User, intake_id: int) -> Intake:
    """A case: a submitted intake, with everything its page shows."""
    _clinician_only(user, "a case")
    return _or_404(case_for_clinician(intake_id=intake_id), "No submitted intake with this number.")


def own_review_for_user(user: User, intake_id: int) -> CaseReview:
    """The review of a case, for changing it: its author or an administrator. `review.intake`
    is the case as `case_for_user` loaded it."""
    intake = case_for_user(user, intake_id)
    review = getattr(intake, "review", None)
    if review is None:
        raise Http404("This case has not been reviewed.")
    if not may_change_review(user, review):
        raise PermissionDenied("Only the clinician who made this review can change it.")
    return review


def referral_for_user(user: User, referral_id: int) -> Referral:
    """A referral in any state, to read or act on (correct, send): any clinician."""
    _clinician_only(user, "a referral")
    return _or_404(referral_get(referral_id), "No referral with this number.")


def own_draft_for_user(user: User, referral_id: int) -> Referral:
    """A referral to change or sign: only its author (see `may_change_draft`). The state is the
    service's to check, so a signed referral here gets the service's message, not a 403."""
    referral = referral_for_user(user, referral_id)
    if referral.clinician_id != user.pk:
        raise PermissionDenied("Only the clinician who wrote this draft can change or sign it.")
    return referral


def letter_for_user(user: User, letter_id: int) -> Letter:
    """A letter (a referral's or a handout), to download or retry: any clinician."""
    _clinician_only(user, "a letter")
    return _or_404(letter_get(letter_id), "No letter with this number.")
