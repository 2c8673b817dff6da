"""The patient's side of a link: a session bound to one intake, traded for the token.

The patient's pages take the intake from this session only, never from an id in a URL or form,
so a patient can reach their own history and nothing else. The session holds ids, never the
token.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest

from intake.models import Intake, Invitation
from intake.services import invitation_is_live

_KEY = "intake_patient"


@dataclass(frozen=True)
class PatientSession:
    intake: Intake
    invitation: Invitation
    tablet: bool
    # Whoever holds the session said the patient's date of birth; until then no page shows an
    # answer (intake.services.invitation_confirm_birth_date).
    birth_date_confirmed: bool


def patient_session_bind(
    request: HttpRequest, *, invitation: Invitation, tablet: bool, now: dt.datetime
) -> None:
    """Start a fresh session for this intake alone. Whatever the browser had before (a staff
    login on the clinic tablet, another patient's link) ends here, with a new session key."""
    logout(request)  # flushes the session and cycles its key, signed in or not
    request.session[_KEY] = {
        "intake": invitation.intake_id,
        "invitation": invitation.pk,
        "tablet": tablet,
        "since": now.timestamp(),
        "birth_date_confirmed": False,
    }
    request.session.set_expiry(settings.PATIENT_SESSION_HOURS * 3600)


def patient_session_get(request: HttpRequest, *, now: dt.datetime) -> PatientSession | None:
    """The intake this browser may fill in, or None. The link must still be live: revoking it,
    or a new link replacing it, closes the form on every device that opened it."""
    bound = request.session.get(_KEY)
    if not isinstance(bound, dict):
        return None
    if now.timestamp() - bound.get("since", 0) > settings.PATIENT_SESSION_HOURS * 3600:
        return None
    invitation = (
        Invitation.objects.select_related("intake", "intake__patient")
        .filter(pk=bound.get("invitation"), intake_id=bound.get("intake"))
        .first()
    )
    if invitation is None:
        return None
    # A submitted intake stays readable (the confirmation page) even after its link expires.
    if invitation.intake.status != Intake.Status.SUBMITTED and not invitation_is_live(
        invitation, now=now
    ):
        return None
    if invitation.revoked_at is not None:
        return None
    return PatientSession(
        invitation.intake,
        invitation,
        bool(bound.get("tablet")),
        bool(bound.get("birth_date_confirmed")),
    )


def patient_session_confirm_birth_date(request: HttpRequest) -> None:
    """The date of birth matched: this session may show the answers from now on."""
    bound = request.session[_KEY]
    request.session[_KEY] = bound | {"birth_date_confirmed": True}


def patient_session_end(request: HttpRequest) -> None:
    request.session.flush()
