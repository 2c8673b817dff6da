"""Every intake URL walked by every persona: no one gets a page they should not.

The desk is the front desk's (and an administrator's), reopening also a clinician's; the form is
only for the browser holding a patient's session, and the URL names no intake, so another
patient's browser reaches only its own form. The link and the neutral tablet screen are open to
anyone: the token is the key.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.intake.factories import post_data
from tests.matrix import (
    EVERYONE,
    LOGIN,
    PATIENTS,
    SIGNED_OUT,
    STAFF_PERSONAS,
    Endpoint,
    MatrixTests,
    answers,
    form_rows,
    patients,
)

# Inside the window of visit dates the desk accepts (intake/visit_dates.py).
NEXT_MONTH = (dt.date.today() + dt.timedelta(days=30)).isoformat()  # noqa: DTZ011 - a calendar date


def desk(ok: int) -> dict[str, int | str]:
    return answers(EVERYONE, 403) | answers(("front_desk", "administrator"), ok) | _signed_out()


def staff(ok: int) -> dict[str, int | str]:
    return desk(ok) | answers(("clinician", "other_clinician"), ok)


def _signed_out() -> dict[str, int | str]:
    # A patient's browser is not signed in: to the desk it is a stranger at the door.
    return answers((*SIGNED_OUT, *PATIENTS), LOGIN)


# A table: its rows are alike by design (the `duplicates` tool pairs the form_rows entries with
# their neighbours), one per URL and method, or one form_rows per form's GET and POST.
ENDPOINTS = (
    Endpoint("intake:desk", "get", "/desk/", desk(200)),
    Endpoint("intake:desk", "get", "/desk/?q=Runner", desk(200)),
    *form_rows(
        "intake:patient_new",
        "/desk/patients/new/",
        answers=(desk(200), desk(200)),
        data={"first_name": "A"},
        wrong_method="delete",
    ),
    Endpoint("intake:patient", "get", "/desk/patients/{patient}/", desk(200)),
    Endpoint("intake:desk", "get", "/desk/?state=submitted&page=2", desk(200)),
    *form_rows(
        "intake:patient_edit",
        "/desk/patients/{patient}/edit/",
        answers=(desk(200), desk(200)),
        data={"first_name": ""},
        wrong_method="delete",
    ),
    Endpoint(
        "intake:visit_create",
        "post",
        "/desk/patients/{patient}/visits/",
        desk(302),
        data={"visit_date": NEXT_MONTH},
    ),
    # Each channel of a new link: copied or printed on this page, or sent by email and back.
    *(
        Endpoint(
            "intake:link_create",
            "post",
            "/desk/visits/{visit}/link/",
            desk(ok),
            data={"channel": channel},
        )
        for channel, ok in (("copy", 200), ("slip", 200), ("email", 302))
    ),
    Endpoint("intake:tablet_start", "post", "/desk/visits/{visit}/tablet/", desk(302)),
    Endpoint("intake:link_revoke", "post", "/desk/visits/{visit}/revoke/", desk(302)),
    *form_rows(
        "intake:reopen",
        "/desk/visits/{submitted}/reopen/",
        answers=(staff(200), staff(302)),
        data={"reason": "r"},
    ),
    # A browser signed in as staff is not let in (it is told why, and offered to sign out).
    Endpoint(
        "intake:patient_link",
        "get",
        "/p/{token}/",
        answers(EVERYONE, 302) | answers(STAFF_PERSONAS, 403),
    ),
    # The patients' browsers here have confirmed the date of birth: on to the form.
    *form_rows(
        "intake:form_confirm",
        "/form/confirm/",
        answers=(patients(302), patients(302)),
        data={"date_of_birth": "1990-05-17"},
    ),
    Endpoint("intake:form_start", "get", "/form/", patients(200)),
    *form_rows(
        "intake:form_step",
        "/form/where/",
        answers=(patients(200), patients(302)),
        data={**post_data("where"), "go": "next"},
    ),
    Endpoint("intake:form_review", "get", "/form/review/", patients(200)),
    Endpoint("intake:form_submit", "post", "/form/submit/", patients(302)),
    Endpoint("intake:form_done", "get", "/form/done/", patients(302)),
    Endpoint("intake:form_leave", "post", "/form/leave/", patients(302)),
    Endpoint("intake:tablet", "get", "/tablet/", answers(EVERYONE, 200)),
)


@pytest.fixture
def objects(visit, link, db) -> dict[str, object]:
    from django.utils import timezone

    from intake.questions import STEPS
    from intake.services import intake_save_step, intake_submit
    from tests.factories import IntakeFactory

    submitted = IntakeFactory()
    for step in STEPS:
        intake_save_step(intake=submitted, step=step, values={}, complete=True)
    intake_submit(intake=submitted, now=timezone.now())
    return {
        "visit": visit.pk,
        "patient": visit.patient_id,
        "submitted": submitted.pk,
        "token": link.token,
    }


class TestTheIntakeUrls(MatrixTests):
    ENDPOINTS = ENDPOINTS

    def check_page(self, endpoint, persona, response) -> None:
        # A browser turned away from the form reads why, not a bare "Forbidden".
        if endpoint.path.startswith("/form/") and endpoint.expected[persona] == 403:
            assert "This link does not work" in response.content.decode()


def test_another_patients_browser_never_sees_this_patients_answers(
    objects, patient_client, other_patient_client
) -> None:
    patient_client.post("/form/where/", post_data("where", regions=["heel"]) | {"go": "next"})
    assert "<li>Heel</li>" in patient_client.get("/form/review/").content.decode()
    other_review = other_patient_client.get("/form/review/").content.decode()
    assert "Not finished yet." in other_review
    assert "<li>Heel</li>" not in other_review


def test_the_token_endpoint_never_answers_200(anonymous_client, link) -> None:
    assert anonymous_client.get(f"/p/{link.token}/").status_code == 302
    assert anonymous_client.get("/p/" + "Z" * 43 + "/").status_code == 404


def test_the_neutral_tablet_screen_shows_nothing_to_anyone(anonymous_client, db) -> None:
    body = anonymous_client.get("/tablet/").content.decode()
    assert "hand this tablet back" in body
