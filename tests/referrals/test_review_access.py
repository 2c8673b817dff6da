"""Who may open each URL of the review dashboard (role by URL), and which methods each takes.

Any clinician (or administrator) opens the queue and a case, records a review, acknowledges a
red-flag alert, records a contact with the patient and a follow-up's review; changing a review's notes or reopening it
is for its author or an administrator. The audit export (the audit app's, served under /review/
where it always was) is for administrators only.
"""

from __future__ import annotations

import pytest

from tests.matrix import Endpoint, MatrixTests, answers, clinicians
from tests.referrals.factories import CaseReviewFactory, submitted_intake


def the_reviews_author(ok: int) -> dict[str, int | str]:
    """`clinician` made the review; an administrator may step in."""
    return clinicians(ok) | {"other_clinician": 403}


def administrators(ok: int) -> dict[str, int | str]:
    return clinicians(ok) | answers(("clinician", "other_clinician"), 403)


# {waiting} is an unreviewed case, {reviewed} one that `clinician` reviewed.
ENDPOINTS = (
    Endpoint("referrals:queue", "get", "/review/", clinicians(200)),
    Endpoint("referrals:queue_updates", "get", "/review/updates/", clinicians(200)),
    Endpoint("referrals:case", "get", "/review/case/{waiting}/", clinicians(200)),
    Endpoint(
        "referrals:review",
        "post",
        "/review/case/{waiting}/review/",
        clinicians(302),
        data={"decision": "accepted", "triage_record": "{triage_record}"},
    ),
    Endpoint(
        "referrals:review_notes",
        "post",
        "/review/case/{reviewed}/notes/",
        the_reviews_author(302),
        data={"notes": "Seen."},
    ),
    Endpoint(
        "referrals:review_reopen",
        "post",
        "/review/case/{reviewed}/reopen/",
        the_reviews_author(302),
    ),
    Endpoint(
        "referrals:follow_up_reviewed",
        "post",
        "/review/case/{reviewed}/follow-up/reviewed/",
        clinicians(302),
        data={"note": "Carry on."},
    ),
    Endpoint(
        "referrals:alert_acknowledge",
        "post",
        "/review/case/{waiting}/alert/acknowledge/",
        clinicians(302),
    ),
    Endpoint(
        "referrals:contact_record",
        "post",
        "/review/case/{waiting}/contacts/",
        clinicians(302),
        data={
            "contacted_at": "2026-01-05T09:30",
            "method": "phone",
            "outcome": "no_answer",
            "note": "",
        },
    ),
    Endpoint(
        "audit:export",
        "get",
        "/review/audit/export/",
        administrators(200),
        data={"start": "2026-01-01", "end": "2026-12-31"},
    ),
)


@pytest.fixture
def objects(db, clinician) -> dict[str, object]:
    waiting = submitted_intake()
    reviewed = CaseReviewFactory(reviewed_by=clinician).intake
    return {
        "waiting": waiting.pk,
        "reviewed": reviewed.pk,
        "triage_record": waiting.current_triage_id,
    }


class TestTheReviewDashboardsUrls(MatrixTests):
    ENDPOINTS = ENDPOINTS


@pytest.mark.parametrize("path", ["/review/case/{pk}/", "/review/case/{pk}/review/"])
def test_a_case_that_does_not_exist_is_not_found(clinician_client, path: str) -> None:
    method = clinician_client.get if path.endswith("{pk}/") else clinician_client.post

    assert method(path.format(pk=987654)).status_code == 404
