"""A patient with a red flag submits the form on a phone (390 x 844): the last page tells them what
to do now, and a real Celery worker e-mails the on-call address a link to the case, without the
patient's name."""

from __future__ import annotations

import json
import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from intake.answers import answers_from_history
from intake.models import Intake
from intake.questions import STEP_SLUGS
from referrals.models import RedFlagAlert
from tests.e2e.patient_form import answer_the_back_page, confirm_birth_date
from tests.factories import IntakeFactory, PatientFactory
from tests.intake.factories import new_link
from tests.referrals.factories import URGENT, vignette

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CANARY = "Quillonbury"


def _wait_for_mail(seconds: float = 30) -> list:
    deadline = time.monotonic() + seconds
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.2)
    return mail.outbox


def test_a_red_flag_history_submitted_on_a_phone_ends_on_the_emergency_page_and_alerts_on_call(
    live_server, celery_worker, page, settings
) -> None:
    settings.ONCALL_ALERT_EMAILS = ["oncall@clinic.test"]
    settings.EMERGENCY_NUMBER = "999"
    history = json.loads(json.dumps(vignette(URGENT)))  # the back page is answered below
    intake = IntakeFactory(
        patient=PatientFactory(first_name="Petronella", last_name=CANARY),
        status=Intake.Status.IN_PROGRESS,
        answers=answers_from_history(history),
        steps_completed=[slug for slug in STEP_SLUGS if slug != "back"],
    )
    link = new_link(intake)

    page.goto(f"{live_server.url}/p/{link.token}/")
    confirm_birth_date(page, intake)
    page.goto(f"{live_server.url}/form/back/")
    # The red-flag step keeps its static warning.
    expect(page.get_by_role("note")).to_contain_text("do not wait for your appointment")
    answer_the_back_page(page, yes=("saddle_numbness",))  # URG-1
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/form/health/")
    page.goto(f"{live_server.url}/form/review/")
    page.get_by_role("button", name="Send my answers to the clinic").click()

    page.wait_for_url("**/form/done/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Please do not wait for your visit")
    expect(page.get_by_text("Possible cauda equina syndrome")).to_be_visible()
    expect(page.get_by_role("link", name="Emergency: call 999")).to_be_visible()
    assert "The clinician will read them before your visit" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")

    (message,) = _wait_for_mail()
    assert message.to == ["oncall@clinic.test"]
    assert f"/review/case/{intake.pk}/" in message.body
    whole = message.message().as_string()
    assert CANARY not in whole
    assert "Petronella" not in whole
    alert = RedFlagAlert.objects.get(intake=intake)
    assert alert.sends_done == 1
