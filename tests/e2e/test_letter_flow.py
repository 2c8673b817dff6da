"""A clinician prepares and signs an X-ray referral in a real browser, watches the letter become
ready (rendered by a real Celery worker), downloads it, and page 1 of the PDF is not blank."""

from __future__ import annotations

import subprocess

import pytest
from PIL import Image, ImageStat
from playwright.sync_api import expect

from referrals.models import Letter, Referral
from tests.e2e.browser import settle
from tests.e2e.sign_in import sign_in_with_app
from tests.factories import ClinicianFactory
from tests.referrals.factories import DestinationFactory, reviewed_case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_clinician_signs_an_x_ray_referral_and_downloads_its_letter(
    live_server, celery_worker, desktop_page, tmp_path
) -> None:
    clinician = ClinicianFactory(username="doc", first_name="Dr Ada", last_name="Okafor")
    review = reviewed_case(clinician=clinician, first_name="Hana", last_name="Sato")
    DestinationFactory(destination_type="xray", name="Riverside Radiology")
    page = desktop_page

    sign_in_with_app(page, live_server.url, clinician)
    page.wait_for_url(f"{live_server.url}/review/")

    page.goto(f"{live_server.url}/review/case/{review.intake_id}/")
    panel = page.locator("#case-letters")
    panel.get_by_label("Inserts / orthoses").uncheck()  # the panel loads itself after the page
    panel.get_by_role("button", name="Prepare draft referrals").click()
    page.wait_for_url(f"{live_server.url}/review/referrals/*/")
    assert page.get_by_label("Destination").input_value() != ""
    page.get_by_label("Clinical question / reason for referral").fill(
        "Stress fracture of the third metatarsal?"
    )
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_label("I have read the letter preview and sign this referral.").check()
    page.get_by_role("button", name="Sign the referral").click()

    expect(page.get_by_text("Referral signed.")).to_be_visible()
    page.get_by_text("Letter ready", exact=True).wait_for(timeout=60_000)  # htmx polling
    expect(page.get_by_text("queued")).to_have_count(0)  # nothing left saying otherwise
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    pdf_path = tmp_path / "letter.pdf"
    download_info.value.save_as(pdf_path)
    settle(page)

    referral = Referral.objects.get(intake=review.intake)
    assert (referral.destination_type, referral.status) == ("xray", Referral.Status.READY)
    assert Letter.objects.get(referral=referral).status == Letter.Status.READY
    assert pdf_path.read_bytes().startswith(b"%PDF")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf_path), str(tmp_path / "p")],
        check=True,
    )
    (png,) = tmp_path.glob("p-*.png")
    gray = Image.open(png).convert("L")
    dark_pixels = sum(gray.histogram()[:200])
    assert dark_pixels > 0.01 * gray.width * gray.height  # text, logo and foot map, not blank
    assert ImageStat.Stat(gray).stddev[0] > 10
