"""The front desk through its URLs: register, add visits, hand over links, see states."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from intake.models import Intake, Invitation, Patient
from intake.questions import STEPS
from intake.selectors import patient_search
from intake.services import intake_save_step, intake_submit
from tests.factories import IntakeFactory, PatientFactory
from tests.intake.factories import new_link

PATIENT = {
    "first_name": "Ada",
    "last_name": "Quinn",
    "date_of_birth": "1988-02-29",
    "mrn": "mrn 555",
    "email": "ada@example.org",
    "mobile": "07700 900555",
}


def _state(body: str, intake: Intake) -> str:
    section = body.split(f'id="visit-{intake.pk}"', 1)[1]
    return re.search(r'data-state="([a-z_]+)"', section).group(1)


# Register --------------------------------------------------------------------------------------


def test_the_desk_registers_a_patient(front_desk_client) -> None:
    response = front_desk_client.post("/desk/patients/new/", PATIENT)
    patient = Patient.objects.get()
    assert response["Location"] == f"/desk/patients/{patient.pk}/"
    assert (patient.mrn, patient.first_name, patient.date_of_birth) == (
        "MRN555",
        "Ada",
        dt.date(1988, 2, 29),
    )


def test_a_duplicate_clinic_number_is_caught_with_a_clear_message(front_desk_client) -> None:
    PatientFactory(mrn="MRN555", first_name="Bo", last_name="Other")
    body = front_desk_client.post("/desk/patients/new/", PATIENT).content.decode()
    assert "Clinic number MRN555 already belongs to Bo Other." in body
    assert 'value="Quinn"' in body  # what was typed is kept
    assert Patient.objects.count() == 1


def test_the_same_person_under_another_number_is_caught_until_confirmed(front_desk_client) -> None:
    PatientFactory(
        mrn="OLD1", first_name="Ada", last_name="Quinn", date_of_birth=dt.date(1988, 2, 29)
    )
    body = front_desk_client.post("/desk/patients/new/", PATIENT).content.decode()
    assert "is already registered (clinic number OLD1)" in body
    assert "this is a different person" in body
    confirmed = front_desk_client.post(
        "/desk/patients/new/", PATIENT | {"same_person_checked": "on"}
    )
    assert confirmed.status_code == 302
    assert Patient.objects.count() == 2


def test_registering_reports_each_bad_field(front_desk_client) -> None:
    body = front_desk_client.post(
        "/desk/patients/new/", PATIENT | {"date_of_birth": "2999-01-01", "email": "nope", "mrn": ""}
    ).content.decode()
    assert "Check the date of birth: it must be a past date." in body
    assert "Enter a valid email address." in body
    assert "This field is required." in body
    assert not Patient.objects.exists()


# Visits and their states ---------------------------------------------------------------------


def test_the_desk_adds_a_visit_that_starts_not_sent(front_desk_client) -> None:
    patient = PatientFactory()
    day = timezone.localdate() + dt.timedelta(days=2)
    response = front_desk_client.post(
        f"/desk/patients/{patient.pk}/visits/", {"visit_date": day.isoformat()}
    )
    assert response.status_code == 302
    intake = Intake.objects.get(patient=patient)
    assert intake.visit_date == day
    body = front_desk_client.get(f"/desk/patients/{patient.pk}/").content.decode()
    assert _state(body, intake) == "not_sent"


def test_a_visit_in_the_past_is_refused(front_desk_client) -> None:
    patient = PatientFactory()
    response = front_desk_client.post(
        f"/desk/patients/{patient.pk}/visits/", {"visit_date": "2001-01-01"}
    )
    assert response.status_code == 400
    assert "The visit date is in the past." in response.content.decode()
    assert not Intake.objects.exists()


def test_the_list_shows_todays_and_upcoming_visits_with_their_states(front_desk_client) -> None:
    today = timezone.localdate()
    now = timezone.now()
    sent = IntakeFactory(visit_date=today, patient__last_name="Sent")
    new_link(sent)
    progressing = IntakeFactory(visit_date=today, patient__last_name="Progress")
    new_link(progressing)
    intake_save_step(intake=progressing, step=STEPS[0], values={}, complete=True)
    expired = IntakeFactory(visit_date=today, patient__last_name="Expired")
    new_link(expired, now=now - dt.timedelta(days=8))
    revoked = IntakeFactory(visit_date=today, patient__last_name="Revoked")
    new_link(revoked)
    Invitation.objects.filter(intake=revoked).update(revoked_at=now)
    IntakeFactory(visit_date=today - dt.timedelta(days=1), patient__last_name="Yesterday")
    body = front_desk_client.get("/desk/").content.decode()
    assert "Yesterday" not in body
    rows = re.findall(r"<tr>.*?</tr>", body, re.S)[1:]
    states = {
        re.search(r"Pat (\w+)</a>", row).group(1): re.search(r'data-state="(\w+)"', row).group(1)
        for row in rows
    }
    assert states == {
        "Sent": "sent",
        "Progress": "in_progress",
        "Expired": "expired",
        "Revoked": "revoked",
    }
    assert f"1 of {len(STEPS)} steps" in body


def test_the_desk_sees_states_never_answers_or_triage(front_desk_client) -> None:
    intake = IntakeFactory(visit_date=timezone.localdate())
    for step in STEPS:
        values = (
            {"symptoms": {"regions": ["interspace_3_4"], "sensations": ["burning"]}}
            if step.slug == "where"
            else {}
        )
        intake_save_step(intake=intake, step=step, values=values, complete=True)
    intake_submit(intake=intake, now=timezone.now())
    for url in ("/desk/", f"/desk/patients/{intake.patient_id}/"):
        body = front_desk_client.get(url).content.decode()
        assert 'data-state="submitted"' in body
        for clinical in (
            "interspace",
            "3rd and 4th",
            "Burning",
            "inserts",
            "neuroma",
            intake.triage_disposition,
        ):
            assert clinical not in body, (url, clinical)


def test_the_desk_searches_by_name_clinic_number_and_birth_date(front_desk_client) -> None:
    ada = PatientFactory(
        first_name="Ada", last_name="Quinn", mrn="MRN777", date_of_birth=dt.date(1970, 1, 2)
    )
    PatientFactory(first_name="Bo", last_name="Other", mrn="MRN888")
    for query in ("quinn", "Ada Q", "mrn777", "02/01/1970", "1970-01-02"):
        body = front_desk_client.get("/desk/", {"q": query}).content.decode()
        assert f"/desk/patients/{ada.pk}/" in body, query
        assert "Other" not in body, query


@pytest.mark.parametrize("sort_rows", [0, 20_000], ids=["walked", "found-then-sorted"])
def test_the_desk_lists_matching_patients_by_last_name(db, monkeypatch, sort_rows: int) -> None:
    # On PostgreSQL up to PATIENT_SORT_ROWS matches are found by the trigram indexes and then
    # sorted; past it (0 here) the last-name order is walked. Both give the same list.
    monkeypatch.setattr("intake.selectors.PATIENT_SORT_ROWS", sort_rows)
    for last_name in ("Marshall", "Amarsson", "Zamarski", "Bo"):
        PatientFactory(first_name="Kit", last_name=last_name)

    found = patient_search(query="mars", limit=2)

    assert [patient.last_name for patient in found] == ["Amarsson", "Marshall"]


# Handing over the link ---------------------------------------------------------------------------


def test_emailing_the_link_sends_it_and_marks_it_sent(front_desk_client) -> None:
    intake = IntakeFactory(patient__email="ada@example.org")
    response = front_desk_client.post(f"/desk/visits/{intake.pk}/link/", {"channel": "email"})
    assert response["Location"] == f"/desk/patients/{intake.patient_id}/"
    assert len(mail.outbox) == 1
    assert "/p/" in mail.outbox[0].body
    body = front_desk_client.get(response["Location"]).content.decode()
    assert "Link e-mailed to ada@example.org." in body
    assert _state(body, intake) == "sent"


def test_a_mail_failure_is_reported_and_leaves_the_link_unsent(front_desk_client, settings) -> None:
    settings.EMAIL_BACKEND = "tests.intake.failing_mail.Backend"
    intake = IntakeFactory()
    response = front_desk_client.post(
        f"/desk/visits/{intake.pk}/link/", {"channel": "email"}, follow=True
    )
    body = response.content.decode()
    assert "The e-mail could not be sent." in body
    assert _state(body, intake) == "not_sent"


def test_the_slip_carries_a_qr_code_of_the_link(front_desk_client) -> None:
    intake = IntakeFactory()
    response = front_desk_client.post(f"/desk/visits/{intake.pk}/link/", {"channel": "slip"})
    body = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<img class="slip__qr" src="data:image/svg\+xml', body)
    token = re.search(r"/p/([A-Za-z0-9_-]{43})/", body).group(1)
    assert Invitation.objects.get().sent_via == "slip"
    assert "no-store" in response["Cache-Control"]
    assert _opens_the_form(token)


def _opens_the_form(token: str) -> bool:
    return Client().get(f"/p/{token}/").status_code == 302


def test_the_copy_page_shows_the_link_once(front_desk_client, settings) -> None:
    settings.SITE_URL = "https://clinic.example.org"
    intake = IntakeFactory()
    body = front_desk_client.post(
        f"/desk/visits/{intake.pk}/link/", {"channel": "copy"}
    ).content.decode()
    assert re.search(r'value="https://clinic.example.org/p/[A-Za-z0-9_-]{43}/" readonly', body)
    assert "data-copy-target" in body


def test_a_new_link_revokes_the_one_given_before(front_desk_client) -> None:
    intake = IntakeFactory()
    first = front_desk_client.post(
        f"/desk/visits/{intake.pk}/link/", {"channel": "copy"}
    ).content.decode()
    token = re.search(r"/p/([A-Za-z0-9_-]{43})/", first).group(1)
    front_desk_client.post(f"/desk/visits/{intake.pk}/link/", {"channel": "slip"})
    assert not _opens_the_form(token)


def test_an_unknown_channel_is_refused(front_desk_client) -> None:
    intake = IntakeFactory()
    assert (
        front_desk_client.post(f"/desk/visits/{intake.pk}/link/", {"channel": "fax"}).status_code
        == 400
    )
    assert not Invitation.objects.exists()


def test_the_desk_revokes_a_link(front_desk_client) -> None:
    intake = IntakeFactory()
    link = new_link(intake)
    response = front_desk_client.post(f"/desk/visits/{intake.pk}/revoke/", follow=True)
    assert _state(response.content.decode(), intake) == "revoked"
    assert not _opens_the_form(link.token)
    assert AuditEvent.objects.filter(action="invitation.revoked").exists()


# Tablet mode -----------------------------------------------------------------------------------


def test_tablet_mode_signs_the_desk_out_and_opens_the_patients_form(front_desk_client) -> None:
    from tests.intake.factories import confirm_birth_date

    intake = IntakeFactory()
    response = front_desk_client.post(f"/desk/visits/{intake.pk}/tablet/")
    assert response["Location"] == "/form/"
    assert front_desk_client.get("/form/")["Location"] == "/form/confirm/"
    confirm_birth_date(front_desk_client, intake)
    assert front_desk_client.get("/form/").status_code == 200
    assert front_desk_client.get("/desk/").status_code == 302  # the staff session is gone
    intake.refresh_from_db()
    assert intake.status == Intake.Status.OPENED
    assert Invitation.objects.get().sent_via == "tablet"


def test_after_submitting_on_the_tablet_it_shows_a_neutral_screen(front_desk_client) -> None:
    from tests.intake.factories import confirm_birth_date, fill_all_steps

    intake = IntakeFactory(patient__last_name="Zebedee")
    front_desk_client.post(f"/desk/visits/{intake.pk}/tablet/")
    confirm_birth_date(front_desk_client, intake)
    fill_all_steps(front_desk_client)
    response = front_desk_client.post("/form/submit/")
    assert response["Location"] == "/tablet/"
    screen = front_desk_client.get("/tablet/").content.decode()
    assert "hand this tablet back" in screen
    assert "Zebedee" not in screen
    assert "Pat" not in screen
    assert front_desk_client.get("/form/review/").status_code == 403  # the session ended


def test_the_patient_can_hand_the_tablet_back_half_way(front_desk_client) -> None:
    intake = IntakeFactory()
    front_desk_client.post(f"/desk/visits/{intake.pk}/tablet/")
    assert front_desk_client.post("/form/leave/")["Location"] == "/tablet/"
    assert front_desk_client.get("/form/").status_code == 403


# Reopen ------------------------------------------------------------------------------------------


def _submitted() -> Intake:
    intake = IntakeFactory()
    for step in STEPS:
        intake_save_step(intake=intake, step=step, values={}, complete=True)
    intake_submit(intake=intake, now=timezone.now())
    return intake


def test_the_desk_reopens_a_submitted_form_with_a_reason(front_desk_client) -> None:
    intake = _submitted()
    assert (
        "Why does the form need reopening?"
        in front_desk_client.get(f"/desk/visits/{intake.pk}/reopen/").content.decode()
    )
    response = front_desk_client.post(f"/desk/visits/{intake.pk}/reopen/", {"reason": "Wrong foot"})
    assert response["Location"] == f"/desk/patients/{intake.patient_id}/"
    intake.refresh_from_db()
    assert intake.status == Intake.Status.IN_PROGRESS
    assert AuditEvent.objects.get(action="intake.reopened").detail == "Wrong foot"


def test_a_clinician_may_reopen_too(clinician_client) -> None:
    intake = _submitted()
    assert (
        clinician_client.post(
            f"/desk/visits/{intake.pk}/reopen/", {"reason": "Clarify"}
        ).status_code
        == 302
    )
    intake.refresh_from_db()
    assert intake.status == Intake.Status.IN_PROGRESS


def test_reopening_needs_a_reason(front_desk_client) -> None:
    intake = _submitted()
    body = front_desk_client.post(
        f"/desk/visits/{intake.pk}/reopen/", {"reason": ""}
    ).content.decode()
    assert "This field is required." in body
    intake.refresh_from_db()
    assert intake.status == Intake.Status.SUBMITTED


def test_reopening_returns_to_the_page_it_was_opened_from(clinician_client) -> None:
    intake = _submitted()
    url = f"/desk/visits/{intake.pk}/reopen/?next=/review/case/{intake.pk}/"
    assert 'name="next" value="/review/case/' in clinician_client.get(url).content.decode()
    response = clinician_client.post(url, {"reason": "Clarify"})
    assert response["Location"] == f"/review/case/{intake.pk}/"


def test_reopening_never_redirects_off_the_site(clinician_client) -> None:
    intake = _submitted()
    url = f"/desk/visits/{intake.pk}/reopen/?next=https://evil.example/"
    assert clinician_client.post(url, {"reason": "x"})["Location"] == "/"
