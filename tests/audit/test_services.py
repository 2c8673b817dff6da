"""Services write the trail: each review step leaves its row, by the clinician who took it."""

from __future__ import annotations

import pytest

from audit.actions import AuditAction
from audit.models import AuditEvent
from tests.referrals.factories import submitted_intake

pytestmark = pytest.mark.django_db


def test_every_review_action_leaves_a_row(clinician, clinician_client) -> None:
    intake = submitted_intake()
    base = f"/review/case/{intake.pk}"

    clinician_client.get(f"{base}/")
    clinician_client.post(
        f"{base}/review/",
        {"triage_record": intake.current_triage_id, "decision": "accepted", "notes": "One."},
    )
    clinician_client.post(f"{base}/notes/", {"notes": "Two."})
    clinician_client.post(f"{base}/reopen/")

    actions = list(
        AuditEvent.objects.filter(intake=intake)
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == [
        AuditAction.CASE_VIEWED,
        AuditAction.REVIEW_ACCEPTED,
        AuditAction.REVIEW_NOTE,
        AuditAction.FOLLOW_UP_SCHEDULED,  # a self-help case
        AuditAction.REVIEW_NOTE,
        AuditAction.REVIEW_REOPENED,
        AuditAction.FOLLOW_UP_CANCELLED,  # with the review it came from
    ]
    assert set(AuditEvent.objects.filter(intake=intake).values_list("actor", flat=True)) == {
        clinician.pk
    }
