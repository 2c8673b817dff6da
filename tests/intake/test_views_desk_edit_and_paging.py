"""The desk corrects a patient's details, and pages and filters its visits list."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from audit.actions import AuditAction
from audit.models import AuditEvent
from intake.models import Intake, Patient
from intake.selectors import DESK_PAGE_SIZE
from tests.factories import IntakeFactory, PatientFactory

DETAILS = {
    "first_name": "Ada",
    "last_name": "Quinn",
    "date_of_birth": "1988-02-29",
    "email": "ada@example.org",
    "mobile": "07700 900555",
}


def _patient(**fields) -> Patient:
    defaults = {
        "first_name": "Ada",
        "last_name": "Quinn",
        "date_of_birth": dt.date(1988, 2, 29),
        "email": "ada@exmaple.org",
        "mobile": "07700 900555",
    }
    return PatientFactory(**(defaults | fields))


def _edit(client, patient: Patient, **changes: str):
    return client.post(f"/desk/patients/{patient.pk}/edit/", DETAILS | changes)


# Correcting details -----------------------------------------------------------------------------


def test_the_register_and_correct_forms_carry_the_csrf_token(front_desk_client) -> None:
    patient = _patient()

    for url in ("/desk/patients/new/", f"/desk/patients/{patient.pk}/edit/"):
        assert 'name="csrfmiddlewaretoken"' in front_desk_client.get(url).content.decode()


def test_the_desk_corrects_a_wrong_email_address(front_desk_client) -> None:
    patient = _patient()

    response = _edit(front_desk_client, patient)

    assert response["Location"] == f"/desk/patients/{patient.pk}/"
    patient.refresh_from_db()
    assert patient.email == "ada@example.org"


def test_a_correction_is_audited_with_the_fields_it_changed_not_their_values(
    front_desk_client, front_desk
) -> None:
    patient = _patient()

    _edit(front_desk_client, patient, mobile="07700 900123")

    event = AuditEvent.objects.get(action=AuditAction.PATIENT_UPDATED)
    assert event.actor == front_desk
    assert event.detail == "changed: email, mobile"
    assert "example.org" not in event.detail


def test_saving_unchanged_details_writes_nothing(front_desk_client) -> None:
    patient = _patient(email="ada@example.org")

    _edit(front_desk_client, patient)

    assert not AuditEvent.objects.filter(action=AuditAction.PATIENT_UPDATED).exists()


def test_a_name_and_birth_date_of_another_record_is_caught_until_confirmed(
    front_desk_client,
) -> None:
    PatientFactory(mrn="OLD1", first_name="Bo", last_name="Ray", date_of_birth=dt.date(1970, 1, 1))
    patient = _patient()

    body = _edit(
        front_desk_client, patient, first_name="Bo", last_name="Ray", date_of_birth="1970-01-01"
    ).content.decode()

    assert "is already registered (clinic number OLD1)" in body
    patient.refresh_from_db()
    assert patient.first_name == "Ada"


def test_a_namesake_is_saved_once_the_desk_confirms_a_different_person(front_desk_client) -> None:
    PatientFactory(mrn="OLD1", first_name="Bo", last_name="Ray", date_of_birth=dt.date(1970, 1, 1))
    patient = _patient()

    _edit(
        front_desk_client,
        patient,
        first_name="Bo",
        last_name="Ray",
        date_of_birth="1970-01-01",
        same_person_checked="on",
    )

    patient.refresh_from_db()
    assert (patient.first_name, patient.last_name) == ("Bo", "Ray")


def test_a_record_is_not_its_own_duplicate(front_desk_client) -> None:
    patient = _patient()

    response = _edit(front_desk_client, patient, mobile="07700 900999")

    assert response.status_code == 302


def test_the_clinic_number_cannot_be_changed_by_a_correction(front_desk_client) -> None:
    patient = _patient(mrn="MRN1")

    _edit(front_desk_client, patient, mrn="MRN2")

    patient.refresh_from_db()
    assert patient.mrn == "MRN1"


def test_an_invalid_email_is_refused_and_what_was_typed_is_kept(front_desk_client) -> None:
    patient = _patient()

    response = _edit(front_desk_client, patient, email="ada@", last_name="Quinne")

    assert response.status_code == 200
    assert 'value="Quinne"' in response.content.decode()
    patient.refresh_from_db()
    assert patient.last_name == "Quinn"


# Paging and filtering the visits list -----------------------------------------------------------


def _upcoming_visits(count: int, **fields) -> list[Intake]:
    today = timezone.localdate()
    return [IntakeFactory(visit_date=today + dt.timedelta(days=1), **fields) for _ in range(count)]


def test_the_visits_list_is_paged(front_desk_client) -> None:
    _upcoming_visits(DESK_PAGE_SIZE + 3)

    first = front_desk_client.get("/desk/").content.decode()
    second = front_desk_client.get("/desk/?page=2").content.decode()

    assert first.count('data-state="') == DESK_PAGE_SIZE
    assert second.count('data-state="') == 3
    assert "page 1 of 2" in first


def test_the_database_counts_and_pages_the_visits_the_desk_shows(db) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from intake.selectors import desk_visits

    made = _upcoming_visits(DESK_PAGE_SIZE + 3)
    now = timezone.now()
    visits = desk_visits(today=timezone.localdate(now), now=now)

    with CaptureQueriesContext(connection) as captured:
        total, page = len(visits), visits[DESK_PAGE_SIZE : DESK_PAGE_SIZE * 2]

    # A COUNT and one page (with its links): not every upcoming visit built in Python.
    in_order = sorted(made, key=lambda i: (i.patient.last_name, i.patient.first_name, i.pk))
    assert total == len(made)
    assert [visit.intake.pk for visit in page] == [i.pk for i in in_order[DESK_PAGE_SIZE:]]
    assert "COUNT(" in captured[0]["sql"]
    assert f"LIMIT {DESK_PAGE_SIZE} OFFSET {DESK_PAGE_SIZE}" in captured[1]["sql"]
    assert len(captured) == 3  # the count, the page, the page's links


def test_the_visits_list_is_filtered_by_the_forms_state(front_desk_client) -> None:
    _upcoming_visits(2)
    (submitted,) = _upcoming_visits(1, status=Intake.Status.SUBMITTED)

    body = front_desk_client.get("/desk/?state=submitted").content.decode()

    assert body.count('data-state="') == 1
    assert submitted.patient.full_name in body


def test_the_next_page_keeps_the_filters(front_desk_client) -> None:
    _upcoming_visits(DESK_PAGE_SIZE + 1)

    body = front_desk_client.get("/desk/?state=not_sent").content.decode()

    assert "?state=not_sent&amp;page=2" in body


def test_an_unknown_state_shows_every_visit(front_desk_client) -> None:
    _upcoming_visits(2)

    body = front_desk_client.get("/desk/?state=bogus").content.decode()

    assert body.count('data-state="') == 2
