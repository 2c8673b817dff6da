"""The desk's gates (intake/access.py), called directly: each refusal on its own line (an unknown
id's 404, the same for every gate, is in tests/config/test_gates.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

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
