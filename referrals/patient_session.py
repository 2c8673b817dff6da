"""The patient's side of a self-help link (the handout page or a follow-up form): a session bound
to one PatientLink, traded for the token like the pre-visit link's (intake/patient_session.py).

The pages take the link from this session only, never from an id in a URL or form.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest

from referrals.models import PatientLink

_KEY = "referrals_patient_link"


def patient_link_session_bind(request: HttpRequest, *, link: PatientLink, now: dt.datetime) -> None:
    """A fresh session for this link alone; whatever the browser had before ends here."""
    logout(request)
    request.session[_KEY] = {"link": link.pk, "since": now.timestamp()}
    request.session.set_expiry(settings.PATIENT_SESSION_HOURS * 3600)


def patient_link_session_get(request: HttpRequest, *, now: dt.datetime) -> PatientLink | None:
    """The link this browser holds, while it is live (revoking it closes the page everywhere)."""
    bound = request.session.get(_KEY)
    if not isinstance(bound, dict):
        return None
    if now.timestamp() - bound.get("since", 0) > settings.PATIENT_SESSION_HOURS * 3600:
        return None
    return (
        PatientLink.objects.select_related("intake__patient", "follow_up")
        .filter(pk=bound.get("link"), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
