"""Who may open each URL of the review dashboard (role by URL), and which methods each takes.

Any clinician (or administrator) opens the queue and a case, records a review, acknowledges a
red-flag alert and records a contact with the patient; changing a review's notes or reopening it
is for its author or an administrator. The audit export (the audit app's, served under /review/
where it always was) is for administrators only.
"""

from __future__ import annotations

import pytest

from tests.matrix import (
    LOGIN,
    Endpoint,
    answers,
    check_endpoint,
    check_wrong_method,
    rows,
    rows_by_persona,
)
from tests.referrals.factories import CaseReviewFactory, submitted_intake


def clinicians(ok: int) -> dict[str, int | str]:
    return {
        "front_desk": 403,
        "clinician": ok,
        "other_clinician": ok,
        "administrator": ok,
        "stranger": 403,
        "anonymous": LOGIN,
    }


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


@pytest.mark.parametrize(("endpoint", "persona"), rows_by_persona(ENDPOINTS))
def test_each_role_gets_what_it_may_at_each_url(request, objects, endpoint, persona) -> None:
    check_endpoint(request, endpoint, persona, objects)


@pytest.mark.parametrize("endpoint", rows(ENDPOINTS))
def test_each_url_refuses_the_wrong_method(request, objects, endpoint) -> None:
    check_wrong_method(request, endpoint, objects)


@pytest.mark.parametrize("path", ["/review/case/{pk}/", "/review/case/{pk}/review/"])
def test_a_case_that_does_not_exist_is_not_found(clinician_client, path: str) -> None:
    method = clinician_client.get if path.endswith("{pk}/") else clinician_client.post

    assert method(path.format(pk=987654)).status_code == 404
