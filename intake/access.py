"""The desk's access gates: one per object kind, each given the user and the id from the URL.

Each returns the object or raises (Http404 when there is no such object, PermissionDenied when
this user may not have it), one condition per line, so a test can reach every refusal. The view's
role decorator has already run; the gate checks again, so an object is never handed out by a
view that forgot its decorator. The referrals app has its own gates (referrals/access.py): a
gate lives in the app that owns the object, on the floor where the object is defined.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import User, is_front_desk, is_staff_member
from intake.models import Intake, Patient


def patient_for_user(user: User, patient_id: int) -> Patient:
    """A patient's record, for the front desk (and administrators)."""
    if not is_front_desk(user):
        raise PermissionDenied("Only the front desk opens patient records.")
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None:
        raise Http404("No patient with this number.")
    return patient


def intake_for_user(user: User, intake_id: int) -> Intake:
    """A visit's intake (any state), for anyone who works in the clinic: the desk sends its
    links; the desk and clinicians may reopen it. Which of those a user may do is the view's
    role decorator."""
    if not is_staff_member(user):
        raise PermissionDenied("Only clinic staff open a visit.")
    intake = Intake.objects.select_related("patient").filter(pk=intake_id).first()
    if intake is None:
        raise Http404("No visit with this number.")
    return intake
