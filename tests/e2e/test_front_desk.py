"""The front desk in a real browser: register a patient, add a visit, hand over the link, watch
its state; and the clinic tablet handed to a patient and back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from intake.models import Intake, Patient
from tests.e2e.browser import PHONE, fresh_page, settle, sign_in
from tests.factories import FrontDeskFactory, IntakeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_desk_registers_a_patient_and_hands_over_a_link_that_opens(
    live_server, desktop_page, browser, settings
) -> None:
    settings.SITE_URL = live_server.url
    FrontDeskFactory(username="desk")
    page = desktop_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, live_server.url, "desk", lands_on="/desk/")

    page.get_by_role("link", name="Register a patient").click()
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Quinn")
    page.get_by_label("Date of birth").fill("1988-02-29")
    page.get_by_label("Clinic number (MRN)").fill("MRN555")
    page.get_by_label("E-mail").fill("ada@example.org")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/desk/patients/*/")
    assert "Ada Quinn is registered." in page.content()

    page.get_by_role("link", name="Correct the details").click()
    page.get_by_label("E-mail").fill("ada.quinn@example.org")
    page.get_by_role("button", name="Save the details").click()
    page.wait_for_url("**/desk/patients/*/")
    assert "Details corrected." in page.content()
    assert "ada.quinn@example.org" in page.content()

    visit_day = timezone.localdate() + dt.timedelta(days=1)
    page.get_by_label("Visit date").fill(visit_day.isoformat())
    page.get_by_role("button", name="Add visit").click()
    assert page.locator("[data-state]").first.inner_text() == "Not sent"

    page.get_by_role("button", name="Copy the link").click()
    page.get_by_role("button", name="Copy link").click()
    # The clipboard write is asynchronous: expect() waits for the message, a read would race it.
    expect(page.locator("[data-copy-status]")).to_contain_text("Link copied")
    url = page.evaluate("navigator.clipboard.readText()")
    assert url == page.locator("#patient-link").input_value()
    assert url.startswith(f"{live_server.url}/p/")

    with fresh_page(browser, PHONE) as patient_page:
        patient_page.goto(url)
        # The link asks the patient's date of birth before anything else.
        assert patient_page.url == f"{live_server.url}/form/confirm/"
        assert "Before your visit" in patient_page.content()

    page.get_by_role("link", name="Done").click()
    expect(page.locator("[data-state]").first).to_have_text("Opened")
    page.goto(f"{live_server.url}/desk/?q=quinn")
    assert page.locator("td [data-state]").first.inner_text() == "Opened"

    page.goto(f"{live_server.url}/desk/patients/{Patient.objects.get().pk}/")
    page.get_by_role("button", name="Print a slip with QR code").click()
    qr = page.locator("img.slip__qr")
    expect(qr).to_be_visible()
    assert page.evaluate("document.querySelector('img.slip__qr').naturalWidth") > 0
    settle(page)


def test_the_tablet_goes_from_the_desk_to_the_patient_and_back_to_a_neutral_screen(
    live_server, page
) -> None:
    FrontDeskFactory(username="desk")
    intake = IntakeFactory(patient__first_name="Zed", patient__last_name="Zebedee")
    sign_in(page, live_server.url, "desk", lands_on="/desk/")
    page.goto(f"{live_server.url}/desk/patients/{intake.patient_id}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Open on this tablet").click()
    page.wait_for_url(f"{live_server.url}/form/confirm/")  # the patient says their birth date
    assert page.get_by_role("link", name="Front desk").count() == 0  # the staff navbar is gone
    page.get_by_role("button", name="Stop for now and hand the tablet back").click()
    page.wait_for_url(f"{live_server.url}/tablet/")
    text = page.locator("main").inner_text()
    assert "hand this tablet back" in text
    assert "Zed" not in text
    assert "Zebedee" not in text
    page.go_back()
    assert "This link does not work" in page.content()  # nothing of the patient is left
    page.goto(f"{live_server.url}/desk/")
    assert "/accounts/login/" in page.url
    settle(page)
    intake.refresh_from_db()
    assert intake.status == Intake.Status.OPENED
