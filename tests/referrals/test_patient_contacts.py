"""Acting on a red-flag case from the case page: the patient's phone and e-mail, acknowledging the
alert, recording a contact, the queue's "nobody has acted" mark, and what the urgent letter may
say about the patient having been told."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from audit.actions import AuditAction
from audit.models import AuditEvent
from referrals.models import PatientContact, RedFlagAlert
from referrals.pdf import render_pdf
from referrals.selectors.letters import letter_document
from referrals.services.letters import letter_render, referral_sign
from referrals.services.urgent import patient_contact_record
from tests.factories import PatientFactory
from tests.referrals.factories import (
    SELF_HELP,
    URGENT,
    CaseReviewFactory,
    draft_referral,
    pdf_text,
    submitted_intake,
    submitted_through_the_form,
)

pytestmark = pytest.mark.django_db

UNATTENDED = "Not acknowledged, patient not contacted"


def _red_flag_case():
    return submitted_through_the_form(
        patient=PatientFactory(mobile="07700 900123", email="runner@patient.test")
    )


def _contact(client, intake, **changes):
    data = {
        "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "method": "phone",
        "outcome": "told_emergency",
        "note": "Going to A&E with her partner.",
    } | changes
    return client.post(f"/review/case/{intake.pk}/contacts/", data)


def test_the_case_page_shows_the_patients_phone_and_e_mail(clinician_client) -> None:
    intake = _red_flag_case()

    page = clinician_client.get(f"/review/case/{intake.pk}/").content.decode()

    assert 'href="tel:07700900123"' in page
    assert "runner@patient.test" in page


def test_the_case_page_offers_to_acknowledge_an_open_alert(clinician_client) -> None:
    intake = _red_flag_case()

    page = clinician_client.get(f"/review/case/{intake.pk}/").content.decode()

    assert f'action="/review/case/{intake.pk}/alert/acknowledge/"' in page


def test_acknowledging_the_alert_on_the_case_page_records_who_and_when(
    clinician, clinician_client
) -> None:
    intake = _red_flag_case()

    response = clinician_client.post(f"/review/case/{intake.pk}/alert/acknowledge/")

    assert response.status_code == 302
    alert = RedFlagAlert.objects.get(intake=intake)
    assert alert.acknowledged_by == clinician
    assert alert.acknowledged_at is not None
    page = clinician_client.get(f"/review/case/{intake.pk}/").content.decode()
    assert "On-call alert acknowledged by" in page
    assert "/alert/acknowledge/" not in page


def test_a_clinician_records_a_contact_with_the_patient(clinician, clinician_client) -> None:
    intake = _red_flag_case()

    response = _contact(clinician_client, intake)

    assert response.status_code == 302
    contact = PatientContact.objects.get(intake=intake)
    assert (contact.method, contact.outcome, contact.recorded_by) == (
        "phone",
        "told_emergency",
        clinician,
    )
    assert contact.note == "Going to A&E with her partner."
    event = AuditEvent.objects.get(intake=intake, action=AuditAction.PATIENT_CONTACTED)
    assert event.detail == "Phone call: Told to attend emergency care"
    assert (
        "Going to A&amp;E with her partner."
        in clinician_client.get(f"/review/case/{intake.pk}/").content.decode()
    )


def test_recording_a_contact_acknowledges_the_open_alert(clinician, clinician_client) -> None:
    intake = _red_flag_case()

    _contact(clinician_client, intake, outcome="no_answer", note="")

    assert RedFlagAlert.objects.get(intake=intake).acknowledged_by == clinician


def test_an_other_outcome_needs_a_note(clinician_client) -> None:
    intake = _red_flag_case()

    response = _contact(clinician_client, intake, outcome="other", note=" ")

    assert response.status_code == 400
    assert "Say what happened." in response.content.decode()
    assert not PatientContact.objects.exists()


def test_a_contact_in_the_future_is_refused(clinician_client) -> None:
    intake = _red_flag_case()
    tomorrow = timezone.localtime() + dt.timedelta(days=1)

    response = _contact(clinician_client, intake, contacted_at=tomorrow.strftime("%Y-%m-%dT%H:%M"))

    assert response.status_code == 400
    assert not PatientContact.objects.exists()


# --- the queue ----------------------------------------------------------------------------------


def test_the_queue_marks_an_urgent_case_nobody_has_acted_on(clinician_client) -> None:
    _red_flag_case()

    assert UNATTENDED in clinician_client.get("/review/").content.decode()


def test_the_mark_goes_once_the_alert_is_acknowledged(clinician_client) -> None:
    intake = _red_flag_case()
    clinician_client.post(f"/review/case/{intake.pk}/alert/acknowledge/")

    assert UNATTENDED not in clinician_client.get("/review/").content.decode()


def test_an_urgent_case_without_an_alert_is_marked_until_someone_contacts_the_patient(
    clinician_client,
) -> None:
    intake = submitted_intake(history=URGENT)  # imported, say: no alert was raised

    assert UNATTENDED in clinician_client.get("/review/").content.decode()
    _contact(clinician_client, intake, outcome="no_answer", note="")
    assert UNATTENDED not in clinician_client.get("/review/").content.decode()


def test_a_case_without_red_flags_is_never_marked(clinician_client) -> None:
    submitted_intake(history=SELF_HELP)

    assert UNATTENDED not in clinician_client.get("/review/").content.decode()


# --- the urgent letter --------------------------------------------------------------------------


def _urgent_letter_text(clinician, *, contact_outcome: str | None) -> str:
    intake = _red_flag_case()
    review = CaseReviewFactory(intake=intake, reviewed_by=clinician)
    now = timezone.now()
    if contact_outcome is not None:
        patient_contact_record(
            intake=intake,
            actor=clinician,
            contacted_at=now - dt.timedelta(minutes=10),
            method="phone",
            outcome=contact_outcome,
            note="",
            now=now,
        )
    referral = draft_referral(review=review, destination_type="urgent", clinician=clinician)
    letter = referral_sign(referral=referral, user=clinician, now=now)
    letter_render(letter_id=letter.pk)
    letter.refresh_from_db()
    return pdf_text(render_pdf(*letter_document(letter)))


def test_the_urgent_letter_says_who_told_the_patient_and_when(clinician) -> None:
    clinician.first_name, clinician.last_name = "Ada", "Okafor"
    clinician.save()

    text = _urgent_letter_text(clinician, contact_outcome="told_emergency")

    assert "The patient was told to attend emergency care by Ada Okafor on" in text
    assert "(phone call)" in text


@pytest.mark.parametrize("outcome", [None, "no_answer", "other"])
def test_the_urgent_letter_does_not_claim_the_patient_was_told_without_such_a_contact(
    clinician, outcome: str | None
) -> None:
    text = _urgent_letter_text(clinician, contact_outcome=outcome)

    assert "was told" not in text
    assert "has been told" not in text
    assert "No contact telling the patient to attend emergency care had been recorded" in text


def test_a_contact_recorded_after_signing_does_not_change_the_signed_letter(clinician) -> None:
    intake = _red_flag_case()
    review = CaseReviewFactory(intake=intake, reviewed_by=clinician)
    referral = draft_referral(review=review, destination_type="urgent", clinician=clinician)
    signed_at = timezone.now() - dt.timedelta(hours=1)
    letter = referral_sign(referral=referral, user=clinician, now=signed_at)
    patient_contact_record(
        intake=intake,
        actor=clinician,
        contacted_at=timezone.now(),
        method="phone",
        outcome="told_emergency",
        note="",
        now=timezone.now(),
    )

    text = pdf_text(render_pdf(*letter_document(letter)))

    assert "was told" not in text
