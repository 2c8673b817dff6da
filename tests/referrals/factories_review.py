"""Factories for the review dashboard's tests: submitted, triaged intakes and their reviews."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import factory
from django.utils import timezone

from intake.models import Intake, Patient, TriageRecord
from intake.services import intake_triage_record
from referrals.models import CaseReview
from tests.factories import ClinicianFactory, IntakeFactory, PatientFactory

VIGNETTES = Path(__file__).resolve().parents[2] / "intake/triage/clinical/vignettes"


@cache
def vignette(name: str) -> dict[str, Any]:
    """The history of one of the spec's vignettes (a fresh copy is made per use below)."""
    return json.loads((VIGNETTES / f"{name}.json").read_text())["history"]


# Named histories whose triage the spec's vignettes fix, one per queue priority we test.
URGENT = "cauda-equina-red-flag"  # urgent, red flag URG-1
XRAY = "ottawa-positive"  # xray
INSERTS = "flat-feet"  # inserts
SELF_HELP = "marathon-build-up"  # self_help, with a training spike


def submitted_intake(
    *,
    history: str | dict[str, Any] = SELF_HELP,
    submitted_at: dt.datetime | None = None,
    patient: Patient | None = None,
    **fields: Any,
) -> Intake:
    """A submitted intake whose triage was run and stored by the real service."""
    data = json.loads(json.dumps(vignette(history) if isinstance(history, str) else history))
    intake = IntakeFactory(
        patient=patient or PatientFactory(),
        status=Intake.Status.SUBMITTED,
        history=data,
        answers=data,
        submitted_at=submitted_at or timezone.now(),
        **fields,
    )
    intake_triage_record(intake=intake)
    return intake


class CaseReviewFactory(factory.django.DjangoModelFactory):
    """An accepted review of the intake's current triage."""

    class Meta:
        model = CaseReview
        skip_postgeneration_save = True

    intake = factory.LazyFunction(submitted_intake)
    triage_record = factory.LazyAttribute(lambda review: review.intake.current_triage)
    decision = CaseReview.Decision.ACCEPTED
    disposition = factory.LazyAttribute(lambda review: review.triage_record.disposition)
    actions = factory.LazyAttribute(lambda review: list(review.triage_record.actions))
    reviewed_by = factory.SubFactory(ClinicianFactory)
    reviewed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def mirror_on_intake(review: CaseReview, create: bool, extracted: object, **_: object) -> None:
        """What referrals.services.review does: the queue reads the review's time on the intake."""
        if create:
            Intake.objects.filter(pk=review.intake_id).update(reviewed_at=review.reviewed_at)
            review.intake.reviewed_at = review.reviewed_at


def retriage_to(intake: Intake, history: str) -> TriageRecord:
    """Re-run the triage on another history, as if the answers had been corrected."""
    data = json.loads(json.dumps(vignette(history)))
    Intake.objects.filter(pk=intake.pk).update(history=data)
    intake.history = data
    return intake_triage_record(intake=intake, history=data)
