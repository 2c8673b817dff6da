"""Every intake URL walked by every persona: no one gets a page they should not.

"ok" means the view did its work (2xx, or a redirect that is not to the login page); the desk is
the front desk's (and an administrator's), reopening also a clinician's, and the form is only
for the browser holding that patient's session.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.intake.factories import post_data

PERSONAS = (
    "front_desk_client",
    "admin_client_",
    "clinician_client",
    "stranger_client",
    "anonymous_client",
    "other_patient_client",
    "patient_client",
)

# (method, url template, data, who may) -> everyone else must be refused
DESK = ("front_desk_client", "admin_client_")
STAFF_WHO_REOPEN = (*DESK, "clinician_client")
PATIENT = ("patient_client",)
ROUTES = [
    ("get", "/desk/", {}, DESK),
    ("get", "/desk/?q=Runner", {}, DESK),
    ("get", "/desk/patients/new/", {}, DESK),
    ("post", "/desk/patients/new/", {"first_name": "A"}, DESK),
    ("get", "/desk/patients/{patient}/", {}, DESK),
    ("post", "/desk/patients/{patient}/visits/", {"visit_date": "2099-01-01"}, DESK),
    ("post", "/desk/visits/{visit}/link/", {"channel": "copy"}, DESK),
    ("post", "/desk/visits/{visit}/link/", {"channel": "slip"}, DESK),
    ("post", "/desk/visits/{visit}/link/", {"channel": "email"}, DESK),
    ("post", "/desk/visits/{visit}/tablet/", {}, DESK),
    ("post", "/desk/visits/{visit}/revoke/", {}, DESK),
    ("get", "/desk/visits/{submitted}/reopen/", {}, STAFF_WHO_REOPEN),
    ("post", "/desk/visits/{submitted}/reopen/", {"reason": "r"}, STAFF_WHO_REOPEN),
    ("get", "/form/", {}, PATIENT),
    ("get", "/form/where/", {}, PATIENT),
    ("post", "/form/where/", {**post_data("where"), "go": "next"}, PATIENT),
    ("get", "/form/review/", {}, PATIENT),
    ("post", "/form/submit/", {}, PATIENT),
    ("get", "/form/done/", {}, PATIENT),
    ("post", "/form/leave/", {}, PATIENT),
]


@pytest.fixture
def objects(visit, db):
    from django.utils import timezone

    from intake.questions import STEPS
    from intake.services import intake_save_step, intake_submit
    from tests.factories import IntakeFactory

    submitted = IntakeFactory()
    for step in STEPS:
        intake_save_step(intake=submitted, step=step, values={}, complete=True)
    intake_submit(intake=submitted, now=timezone.now())
    return {"visit": visit.pk, "patient": visit.patient_id, "submitted": submitted.pk}


def _call(client: Client, method: str, url: str, data: dict):
    return getattr(client, method)(url, data)


def _outcome(response) -> str:
    if response.status_code in (301, 302):
        return "login" if "/accounts/login/" in response["Location"] else "ok"
    if response.status_code < 300:
        return "ok"
    return str(response.status_code)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("method", "url", "data", "allowed"), ROUTES, ids=lambda v: v if isinstance(v, str) else ""
)
def test_only_the_right_people_reach_each_url(
    request, objects, persona, method, url, data, allowed
) -> None:
    client = request.getfixturevalue(persona)
    response = _call(client, method, url.format(**objects), data)
    outcome = _outcome(response)
    if persona in allowed:
        assert outcome == "ok", response.status_code
    elif url.startswith("/form/") and persona == "other_patient_client":
        # Another patient's browser reaches only its own form: the URL names no intake.
        assert outcome == "ok"
    elif url.startswith("/form/"):
        assert outcome == "403"
        assert "This link does not work" in response.content.decode()
    elif persona in ("anonymous_client", "other_patient_client", "patient_client"):
        assert outcome == "login"
    else:
        assert outcome == "403"


def test_another_patients_browser_never_sees_this_patients_answers(
    objects, patient_client, other_patient_client
) -> None:
    patient_client.post("/form/where/", post_data("where", regions=["heel"]) | {"go": "next"})
    assert "<li>Heel</li>" in patient_client.get("/form/review/").content.decode()
    other_review = other_patient_client.get("/form/review/").content.decode()
    assert "Not finished yet." in other_review
    assert "<li>Heel</li>" not in other_review


@pytest.mark.parametrize(
    ("method", "url", "persona"),
    [
        ("post", "/desk/", "front_desk_client"),
        ("delete", "/desk/patients/new/", "front_desk_client"),
        ("post", "/desk/patients/{patient}/", "front_desk_client"),
        ("get", "/desk/patients/{patient}/visits/", "front_desk_client"),
        ("get", "/desk/visits/{visit}/link/", "front_desk_client"),
        ("get", "/desk/visits/{visit}/tablet/", "front_desk_client"),
        ("get", "/desk/visits/{visit}/revoke/", "front_desk_client"),
        ("put", "/desk/visits/{submitted}/reopen/", "front_desk_client"),
        ("post", "/p/{token}/", "anonymous_client"),
        ("post", "/form/", "patient_client"),
        ("put", "/form/where/", "patient_client"),
        ("post", "/form/review/", "patient_client"),
        ("get", "/form/submit/", "patient_client"),
        ("post", "/form/done/", "patient_client"),
        ("get", "/form/leave/", "patient_client"),
        ("post", "/tablet/", "anonymous_client"),
    ],
)
def test_the_wrong_method_is_refused(request, objects, link, method, url, persona) -> None:
    client = request.getfixturevalue(persona)
    response = getattr(client, method)(url.format(**objects, token=link.token))
    assert response.status_code == 405


def test_the_token_endpoint_never_answers_200(anonymous_client, link) -> None:
    assert anonymous_client.get(f"/p/{link.token}/").status_code == 302
    assert anonymous_client.get("/p/" + "Z" * 43 + "/").status_code == 404


def test_the_neutral_tablet_screen_shows_nothing_to_anyone(anonymous_client, db) -> None:
    body = anonymous_client.get("/tablet/").content.decode()
    assert "hand this tablet back" in body
