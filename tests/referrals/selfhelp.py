"""Helpers for the self-help loop's tests: a reviewed self-help case, its links, and browsers
holding a self-help link's session."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from intake.services import NewLink
from referrals.models import FollowUp, Letter, PatientLink
from referrals.services import letters
from referrals.services.follow_ups import follow_up_schedule
from referrals.services.selfhelp import _link_create
from tests.referrals.factories import CaseReviewFactory

# The follow-up form's red-flag questions, each answered "no": a follow-up that raises no alarm.
NO_RED_FLAGS = {
    "saddle_numbness": "no",
    "bladder_or_bowel_change": "no",
    "sciatica_both_legs": "no",
    "leg_weakness_or_foot_drop": "no",
    "progressive": "no",
    "foot_cold_or_pale": "no",
}


def reviewed_self_help_case():
    """A self-help case a clinician reviewed (accepted), with its handout rendered."""
    review = CaseReviewFactory()
    file_name, digest = letters._store(b"%PDF-1.4 handout")
    Letter.objects.create(
        kind=Letter.Kind.HANDOUT,
        intake=review.intake,
        status=Letter.Status.READY,
        file_name=file_name,
        sha256=digest,
        size=16,
    )
    return review.intake


def handout_link(intake) -> NewLink:
    return _link_create(intake=intake, kind=PatientLink.Kind.HANDOUT, now=timezone.now())


def follow_up_link(intake) -> NewLink:
    now = timezone.now()
    follow_up = follow_up_schedule(
        intake=intake, weeks=1, actor=None, now=now - dt.timedelta(weeks=1)
    )
    FollowUp.objects.filter(pk=follow_up.pk).update(status=FollowUp.Status.SENT, sent_at=now)
    return _link_create(
        intake=intake, kind=PatientLink.Kind.FOLLOW_UP, now=now, follow_up=follow_up
    )


def browser_with(link: NewLink) -> Client:
    client = Client()
    response = client.get(f"/s/{link.token}/")
    assert response.status_code == 302
    return client
