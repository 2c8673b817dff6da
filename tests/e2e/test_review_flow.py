"""A clinician opens the top case of the queue, overrides the triage with a reason, and sees the
override in the case's audit trail (a real browser on the live server)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from audit.models import AuditEvent
from referrals.models import CaseReview
from tests.e2e.sign_in import sign_in_with_app
from tests.factories import ClinicianFactory, PatientFactory
from tests.referrals.factories import INSERTS, URGENT, submitted_intake

# The live server reads committed rows; the serialized rollback restores the staff groups.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_clinician_overrides_the_top_case_with_a_reason_and_sees_it_audited(
    live_server, desktop_page
) -> None:
    clinician = ClinicianFactory(username="doc", first_name="Dr Ada", last_name="Okafor")
    submitted_intake(history=INSERTS, submitted_at=timezone.now() - dt.timedelta(hours=5))
    urgent = submitted_intake(
        history=URGENT,
        patient=PatientFactory(first_name="Bo", last_name="Strider"),
        submitted_at=timezone.now() - dt.timedelta(minutes=10),
    )
    page = desktop_page

    sign_in_with_app(page, live_server.url, clinician)
    page.wait_for_url(f"{live_server.url}/review/")

    top = page.locator("tbody tr").first
    assert "Urgent" in top.inner_text()
    top.get_by_role("link", name="Bo Strider").click()
    page.wait_for_url(f"{live_server.url}/review/case/{urgent.pk}/")

    override_reason = page.get_by_label("Reason for the override")
    assert override_reason.is_disabled()  # enabled only once "Override" is chosen
    page.get_by_label("Override the disposition and/or actions").check()
    page.get_by_label("Disposition", exact=True).select_option("spine_review")
    page.get_by_role("checkbox", name="Urgent").uncheck()
    override_reason.fill("Saddle symptoms were from a cycling saddle; no deficit on examination.")
    page.get_by_role("button", name="Save review").click()

    page.wait_for_url(f"{live_server.url}/review/case/{urgent.pk}/")
    expect(page.get_by_role("status").filter(has_text="Review saved.")).to_be_visible()
    trail = page.locator(".audit-table tbody")
    override_row = trail.locator("tr", has_text="Overrode the triage")
    expect(override_row).to_be_visible()
    assert "Saddle symptoms were from a cycling saddle" in override_row.inner_text()
    assert "Dr Ada Okafor" in override_row.inner_text()

    review = CaseReview.objects.get(intake=urgent)
    assert review.disposition == "spine_review"
    assert review.actions == ["spine_review"]
    assert AuditEvent.objects.filter(intake=urgent, action="review.overridden").count() == 1
