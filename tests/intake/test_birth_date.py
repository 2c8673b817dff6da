"""A forwarded link shows nothing: whoever opens it says the patient's date of birth first;
wrong dates are counted on the link and the last allowed one revokes it; every opening is in
the trail with its address; reopening a history revokes its old link."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from audit.actions import AuditAction
from audit.models import AuditEvent
from intake.models import Invitation
from intake.questions import STEPS
from intake.services import (
    BIRTH_DATE_ATTEMPTS,
    intake_reopen,
    intake_save_step,
    intake_submit,
)
from tests.intake.factories import new_link, open_link, post_data

WRONG = {"date_of_birth": "1901-01-01"}


def _opened(link, address: str = "203.0.113.7") -> Client:
    client = Client(REMOTE_ADDR=address)
    assert client.get(f"/p/{link.token}/")["Location"] == "/form/confirm/"
    return client


def test_no_page_of_the_form_opens_before_the_date_of_birth(link) -> None:
    client = _opened(link)
    for url in ("/form/", "/form/where/", "/form/review/", "/form/done/"):
        assert client.get(url)["Location"] == "/form/confirm/", url


def test_a_wrong_date_of_birth_is_refused_and_shows_no_answer(link, visit) -> None:
    intake_save_step(
        intake=visit, step=STEPS[0], values={"symptoms": {"side": "left"}}, complete=True
    )
    client = _opened(link)
    response = client.post("/form/confirm/", WRONG)
    assert response.status_code == 400
    assert "This date of birth does not match" in response.content.decode()
    assert client.get("/form/where/")["Location"] == "/form/confirm/"


def test_the_right_date_of_birth_opens_the_form(link) -> None:
    client = _opened(link)
    born = link.record.intake.patient.date_of_birth
    assert (
        client.post("/form/confirm/", {"date_of_birth": born.isoformat()})["Location"] == "/form/"
    )
    assert client.get("/form/where/").status_code == 200


def test_too_many_wrong_dates_revoke_the_link_with_the_plain_failure_page(link) -> None:
    client = _opened(link)
    for _ in range(BIRTH_DATE_ATTEMPTS - 1):
        assert client.post("/form/confirm/", WRONG).status_code == 400
    last = client.post("/form/confirm/", WRONG)
    assert last.status_code == 403
    assert "This link does not work" in last.content.decode()
    # The link is dead for everyone now, the right date of birth included.
    assert Invitation.objects.get(pk=link.record.pk).revoked_at is not None
    again = Client().get(f"/p/{link.token}/")
    assert "This link does not work" in again.content.decode()


def test_wrong_dates_from_several_browsers_count_on_the_same_link(link) -> None:
    for attempt in range(BIRTH_DATE_ATTEMPTS):
        _opened(link, address=f"198.51.100.{attempt}").post("/form/confirm/", WRONG)
    assert Invitation.objects.get(pk=link.record.pk).revoked_at is not None
    refusals = AuditEvent.objects.filter(action=AuditAction.BIRTH_DATE_REFUSED)
    assert refusals.count() == BIRTH_DATE_ATTEMPTS


def test_every_opening_of_a_link_is_recorded_with_its_address(link, visit) -> None:
    _opened(link, address="203.0.113.7")
    _opened(link, address="203.0.113.8")
    openings = AuditEvent.objects.filter(action=AuditAction.LINK_OPENED, intake=visit)
    assert sorted(openings.values_list("ip_address", flat=True)) == ["203.0.113.7", "203.0.113.8"]


def test_an_opening_of_a_revoked_link_is_recorded_too(link, visit) -> None:
    Invitation.objects.filter(pk=link.record.pk).update(revoked_at=timezone.now())
    Client(REMOTE_ADDR="203.0.113.9").get(f"/p/{link.token}/")
    opening = AuditEvent.objects.get(action=AuditAction.LINK_OPENED, intake=visit)
    assert (opening.ip_address, opening.detail) == ("203.0.113.9", "revoked link")


def test_reopening_a_history_revokes_its_old_link(visit, link) -> None:
    browser = Client()
    open_link(browser, link)
    for step in STEPS:
        intake_save_step(intake=visit, step=step, values={}, complete=True)
    intake_submit(intake=visit, now=timezone.now())

    intake_reopen(intake=visit, reason="Patient rang: wrong foot", actor=None)

    assert Invitation.objects.get(pk=link.record.pk).revoked_at is not None
    assert browser.get("/form/review/").status_code == 403  # the old session shows nothing
    forwarded = Client().get(f"/p/{link.token}/")
    assert "This link does not work" in forwarded.content.decode()
    # The desk hands out a new link, which opens the reopened form.
    fresh = Client()
    open_link(fresh, new_link(visit, now=timezone.now() + dt.timedelta(seconds=1)))
    assert fresh.get("/form/where/").status_code == 200


def test_the_step_pages_still_take_answers_after_confirming(patient_client) -> None:
    response = patient_client.post("/form/where/", post_data("where") | {"go": "next"})
    assert response["Location"] == "/form/when/"
