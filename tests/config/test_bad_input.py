"""Bad input gets a clear answer, never a 500: the inputs of issue 11 point 9 on every page that
takes them (PostgreSQL refuses a NUL character in text; a date near 9999-12-31 overflows date
arithmetic). Under CI=true these run on PostgreSQL, where the NUL byte used to fail."""

from __future__ import annotations

import pytest

from intake.models import Intake
from tests.factories import PatientFactory

NUL = "\x00"
FAR_FUTURE = "9999-12-31"
YEAR_ONE = "0001-01-01"


@pytest.mark.parametrize(
    "params",
    [{"q": NUL}, {"q": f"Smith{NUL}"}],
    ids=["nul", "name-then-nul"],
)
def test_the_desk_search_explains_a_nul_character(front_desk_client, params) -> None:
    response = front_desk_client.get("/desk/", params)
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": NUL},
        {"visit_from": FAR_FUTURE, "visit_to": FAR_FUTURE},
        {"visit_from": YEAR_ONE, "visit_to": FAR_FUTURE},
        {"visit_from": f"2026-01-01{NUL}"},
        {"disposition": NUL, "state": NUL, "red_flag": NUL, "page": NUL},
        {"page": "9" * 5000},
    ],
    ids=["q-nul", "far-future", "year-one-to-far-future", "date-nul", "choices-nul", "huge-page"],
)
@pytest.mark.parametrize("path", ["/review/", "/review/updates/"])
def test_the_queue_and_its_refresh_answer_bad_filters_without_a_500(
    clinician_client, path, params
) -> None:
    response = clinician_client.get(path, params)
    assert response.status_code in (200, 204)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": FAR_FUTURE, "end": FAR_FUTURE}, "the trail holds nothing later"),
        ({"start": YEAR_ONE, "end": FAR_FUTURE}, "the trail holds nothing later"),
        ({"start": f"2026-01-01{NUL}", "end": "2026-01-02"}, "Enter a valid date."),
    ],
    ids=["far-future", "year-one-to-far-future", "nul"],
)
def test_the_audit_export_explains_a_date_it_cannot_export(admin_client_, params, message) -> None:
    response = admin_client_.get("/review/audit/export/", params)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("day", [YEAR_ONE, FAR_FUTURE])
def test_the_desk_refuses_a_visit_date_outside_the_window(front_desk_client, day) -> None:
    patient = PatientFactory()
    response = front_desk_client.post(f"/desk/patients/{patient.pk}/visits/", {"visit_date": day})
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        "The visit date is in the past." in body or "outside the dates the clinic accepts" in body
    )
    assert not Intake.objects.exists()
