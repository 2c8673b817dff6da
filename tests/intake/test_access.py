"""The desk's gates (intake/access.py), called directly: each refusal on its own line."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from intake.access import intake_for_user, patient_for_user


def test_the_front_desk_gets_a_patient(front_desk, visit) -> None:
    assert patient_for_user(front_desk, visit.patient_id) == visit.patient


def test_a_clinician_does_not_open_a_patient_record_at_the_desk(clinician, visit) -> None:
    with pytest.raises(PermissionDenied):
        patient_for_user(clinician, visit.patient_id)


@pytest.mark.parametrize("persona", ["front_desk", "clinician", "administrator"])
def test_clinic_staff_get_a_visit(request, visit, persona: str) -> None:
    user = request.getfixturevalue(persona)

    assert intake_for_user(user, visit.pk) == visit


def test_a_user_without_a_role_does_not_get_a_visit(stranger, visit) -> None:
    with pytest.raises(PermissionDenied):
        intake_for_user(stranger, visit.pk)


@pytest.mark.parametrize(
    "gate",
    [pytest.param(patient_for_user, id="patient"), pytest.param(intake_for_user, id="visit")],
)
def test_an_unknown_object_is_not_found(front_desk, gate) -> None:
    with pytest.raises(Http404):
        gate(front_desk, 987654)
