"""Factories for the referrals app's tests: submitted, triaged intakes, their reviews,
destinations, drafts, signed and rendered referrals.

Every case is triaged by the real engine, so queues and letters show real reasons. There is one
way to build a reviewed case: `reviewed_case()` (a `CaseReviewFactory` over `submitted_intake`).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import factory
from django.utils import timezone

from intake.answers import answers_from_history
from intake.models import Intake, Patient, TriageRecord
from intake.questions import STEP_SLUGS
from intake.services import intake_submit, intake_triage_record
from referrals.models import CaseReview, Destination, Referral
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


def submitted_through_the_form(
    *, history: str = URGENT, patient: Patient | None = None, now: dt.datetime | None = None
) -> Intake:
    """An intake whose answers were saved step by step and submitted by the real service, so
    everything a submission sets off (a red flag's on-call alert) has happened."""
    data = json.loads(json.dumps(vignette(history)))
    intake = IntakeFactory(
        patient=patient or PatientFactory(),
        status=Intake.Status.IN_PROGRESS,
        answers=answers_from_history(data),
        steps_completed=list(STEP_SLUGS),
    )
    assert intake_submit(intake=intake, now=now or timezone.now())
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
        """What referrals.services.review does: the queue reads the review's time and state on
        the intake."""
        if create:
            Intake.objects.filter(pk=review.intake_id).update(
                reviewed_at=review.reviewed_at, review_state=review.state
            )
            review.intake.reviewed_at = review.reviewed_at
            review.intake.review_state = review.state


def retriage_to(intake: Intake, history: str) -> TriageRecord:
    """Re-run the triage on another history, as if the answers had been corrected."""
    data = json.loads(json.dumps(vignette(history)))
    Intake.objects.filter(pk=intake.pk).update(history=data)
    intake.history = data
    return intake_triage_record(intake=intake, history=data)


# A typical runner (~30 history lines): forefoot neuroma pattern, tight shoes, a mileage spike,
# a recent injury with a tender metatarsal shaft. Triage: xray, inserts, self_help.
TYPICAL_HISTORY: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "data/typical-runner.json").read_text(encoding="utf-8")
)

# Red flag (URG-1) plus a radicular pattern: urgent and spine_review.
RED_FLAG_HISTORY: dict[str, Any] = {
    "schema_version": "1",
    "symptoms": {"regions": ["sole"], "sensations": ["numbness"], "when": "constant"},
    "back": {"low_back_pain": True, "pain_radiates_below_knee": True, "saddle_numbness": True},
}

# Nothing fires: SH-0, the general handout.
QUIET_HISTORY: dict[str, Any] = {
    "schema_version": "1",
    "symptoms": {"regions": ["toes"], "sensations": ["tingling"], "weeks_since_onset": 1},
}


class DestinationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Destination

    destination_type = "xray"
    name = factory.Sequence(lambda n: f"Riverside Radiology {n}")
    address = "2 Hospital Lane\nRiverside RS1 3CD"
    phone = "020 7946 0101"
    email = factory.Sequence(lambda n: f"radiology{n}@example.org")


def reviewed_case(
    *,
    history: str | dict[str, Any] | None = None,
    clinician=None,
    actions: list[str] | None = None,
    notes: str = "",
    **patient_fields: Any,
) -> CaseReview:
    """A submitted intake (a vignette's name or a history; the typical runner by default),
    triaged by the real engine, with an accepted review by `clinician`."""
    intake = submitted_intake(
        history=copy.deepcopy(TYPICAL_HISTORY) if history is None else history,
        patient=PatientFactory(**patient_fields),
    )
    fields: dict[str, Any] = {"intake": intake, "notes": notes}
    if clinician is not None:
        fields["reviewed_by"] = clinician
    if actions is not None:
        fields["actions"] = actions
    return CaseReviewFactory(**fields)


def draft_referral(
    *,
    review: CaseReview | None = None,
    destination_type: str = "xray",
    clinician=None,
    destination: Destination | None = None,
    clinical_question: str = "Stress fracture of the 3rd metatarsal shaft?",
    notes: str = "Marathon in 6 weeks.",
    **case_fields: Any,
) -> Referral:
    """A draft referral of a reviewed case (its reviewer writes it unless told otherwise)."""
    review = review or reviewed_case(clinician=clinician, **case_fields)
    clinician = clinician or review.reviewed_by
    if destination is None:
        destination = DestinationFactory(destination_type=destination_type)
    return Referral.objects.create(
        intake=review.intake,
        destination_type=destination_type,
        destination=destination,
        clinical_question=clinical_question,
        notes=notes,
        clinician=clinician,
    )


def signed_referral(**draft_fields: Any) -> Referral:
    """A signed referral whose letter is queued (not rendered)."""
    from referrals.services.letters import referral_sign

    referral = draft_referral(**draft_fields)
    referral_sign(referral=referral, user=referral.clinician, now=timezone.now())
    referral.refresh_from_db()
    return referral


def ready_referral(**draft_fields: Any) -> Referral:
    """A signed referral whose letter has been rendered in this process (no worker)."""
    from referrals.services.letters import letter_render

    referral = signed_referral(**draft_fields)
    letter_render(letter_id=referral.letters.get().pk)
    referral.refresh_from_db()
    return referral


def ready_stand_in_referral(**draft_fields: Any) -> Referral:
    """A signed referral whose letter is ready with a stored stand-in PDF instead of a real
    render: for tests about access and the trail, not about the letter."""
    from referrals.models import Letter
    from referrals.services.letters import _store

    referral = signed_referral(**draft_fields)
    file_name, digest = _store(b"%PDF-1.7 stand-in")
    referral.letters.update(status=Letter.Status.READY, file_name=file_name, sha256=digest, size=17)
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.READY)
    referral.refresh_from_db()
    return referral


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as pypdf extracts it, whitespace collapsed to single spaces."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
