"""Factories for referrals and letters: a reviewed case, destinations, drafts, signed referrals.

`reviewed_case()` runs the real triage engine over a history, so the letters show real reasons.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import factory
from django.utils import timezone

from intake.models import Intake
from intake.services import intake_triage_record
from referrals.models import CaseReview, Destination, Referral
from tests.factories import ClinicianFactory, IntakeFactory, PatientFactory

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
    history: dict[str, Any] | None = None,
    clinician=None,
    actions: list[str] | None = None,
    notes: str = "",
    **patient_fields: Any,
) -> CaseReview:
    """A submitted intake, triaged by the real engine, with an accepted review."""
    patient = PatientFactory(**patient_fields)
    intake = IntakeFactory(
        patient=patient,
        status=Intake.Status.SUBMITTED,
        history=copy.deepcopy(history or TYPICAL_HISTORY),
        submitted_at=timezone.now(),
    )
    record = intake_triage_record(intake=intake)
    return CaseReview.objects.create(
        intake=intake,
        triage_record=record,
        decision=CaseReview.Decision.ACCEPTED,
        disposition=record.disposition,
        actions=actions if actions is not None else list(record.actions),
        notes=notes,
        reviewed_by=clinician or ClinicianFactory(),
        reviewed_at=timezone.now(),
    )


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


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as pypdf extracts it, whitespace collapsed to single spaces."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
