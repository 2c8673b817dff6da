"""A red flag's last page: the patient is told what to do now, with the emergency number and the
clinic's phone, instead of the thank-you that says the visit can wait."""

from __future__ import annotations

import pytest

from intake.emergency import WHAT_TO_DO_NOW, emergency_advice
from intake.models import Intake
from intake.triage import RED_FLAG_LABELS
from tests.factories import IntakeFactory
from tests.intake.factories import RED_FLAG_CHANGES, confirm_birth_date, fill_all_steps

THANK_YOU = "The clinician will read them before your visit"


def test_every_red_flag_rule_says_what_to_do_now() -> None:
    assert set(WHAT_TO_DO_NOW) == set(RED_FLAG_LABELS)


def test_without_a_triage_there_is_no_emergency_advice() -> None:
    assert emergency_advice(None) == []


@pytest.fixture
def red_flag_submitted(patient_client, visit, settings):
    settings.EMERGENCY_NUMBER = "112"
    settings.CLINIC_PHONE = "020 7946 1234"
    fill_all_steps(patient_client, changes=RED_FLAG_CHANGES)
    response = patient_client.post("/form/submit/")
    assert response["Location"] == "/form/done/"
    return patient_client.get("/form/done/").content.decode()


def test_a_red_flag_ends_on_the_emergency_page_not_the_thank_you(red_flag_submitted) -> None:
    assert "Please do not wait for your visit" in red_flag_submitted
    assert THANK_YOU not in red_flag_submitted


def test_the_emergency_page_says_what_to_do_now_for_the_flag_that_fired(red_flag_submitted) -> None:
    assert "Possible cauda equina syndrome" in red_flag_submitted
    assert "numbness in the saddle area" in red_flag_submitted  # the triage's reason
    assert "What to do now: Go to the nearest emergency department today" in red_flag_submitted
    assert "Progressive neurological deficit" not in red_flag_submitted  # did not fire


def test_the_emergency_page_gives_the_emergency_number_and_the_clinics_phone(
    red_flag_submitted,
) -> None:
    assert 'href="tel:112"' in red_flag_submitted
    assert "Emergency: call 112" in red_flag_submitted
    assert "020 7946 1234" in red_flag_submitted


def test_the_emergency_page_is_never_stored(patient_client, red_flag_submitted) -> None:
    response = patient_client.get("/form/done/")

    assert "no-store" in response["Cache-Control"]


def test_without_a_red_flag_the_patient_gets_the_thank_you(patient_client, visit) -> None:
    fill_all_steps(patient_client)
    patient_client.post("/form/submit/")

    body = patient_client.get("/form/done/").content.decode()

    assert THANK_YOU in body
    assert "Please do not wait" not in body


def test_on_the_tablet_a_red_flag_shows_the_emergency_page_and_ends_the_session(
    front_desk_client,
) -> None:
    intake = IntakeFactory(patient__last_name="Zebedee")
    front_desk_client.post(f"/desk/visits/{intake.pk}/tablet/")
    confirm_birth_date(front_desk_client, intake)  # the tablet asks too
    fill_all_steps(front_desk_client, changes=RED_FLAG_CHANGES)

    response = front_desk_client.post("/form/submit/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Please do not wait for your visit" in body
    assert "show this screen to the front desk" in body
    assert "Zebedee" not in body
    assert front_desk_client.get("/form/done/").status_code == 403  # the session has ended
    intake.refresh_from_db()
    assert intake.status == Intake.Status.SUBMITTED
