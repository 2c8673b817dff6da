"""Registering patients: one record per person."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from intake.models import Patient
from intake.services import DuplicatePatient, patient_register
from tests.factories import PatientFactory

BORN = dt.date(1988, 2, 29)


def _register(**changes: object) -> Patient:
    values = {
        "mrn": "MRN555",
        "first_name": "Ada",
        "last_name": "Quinn",
        "date_of_birth": BORN,
        "email": "ada@example.org",
        "mobile": "07700 900555",
        "created_by": None,
    } | changes
    return patient_register(**values)


def test_it_registers_a_patient_and_audits_it(db) -> None:
    patient = _register()
    assert Patient.objects.get(mrn="MRN555") == patient
    assert AuditEvent.objects.filter(action="patient.registered", object_id=str(patient.pk))


def test_it_refuses_a_clinic_number_that_exists_whatever_its_case(db) -> None:
    PatientFactory(mrn="MRN555", first_name="Bo", last_name="Other")
    with pytest.raises(DuplicatePatient) as caught:
        _register(mrn="mrn555")
    assert caught.value.field == "mrn"
    assert "already belongs to Bo Other" in caught.value.message


def test_it_catches_the_same_name_and_birth_date_under_another_number(db) -> None:
    PatientFactory(mrn="OLD1", first_name="ada", last_name="QUINN", date_of_birth=BORN)
    with pytest.raises(DuplicatePatient) as caught:
        _register()
    assert caught.value.field == "same_person_checked"
    assert "OLD1" in caught.value.message


def test_it_registers_a_namesake_once_the_desk_confirms_a_different_person(db) -> None:
    PatientFactory(mrn="OLD1", first_name="Ada", last_name="Quinn", date_of_birth=BORN)
    assert _register(same_name_and_birth_confirmed=True).mrn == "MRN555"
