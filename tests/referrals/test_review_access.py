"""Who may open each URL of the review dashboard (role by URL), and which methods each takes.

Personas (tests/conftest.py): front desk, clinician (who reviewed the reviewed case), another
clinician, administrator, a signed-in stranger without a role, and an anonymous visitor.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.referrals.factories import CaseReviewFactory, submitted_intake

LOGIN = "login"
PERSONAS = (
    "front_desk",
    "clinician",
    "other_clinician",
    "administrator",
    "stranger",
    "anonymous",
)
CLIENTS = {
    "front_desk": "front_desk_client",
    "clinician": "clinician_client",
    "other_clinician": "other_clinician_client",
    "administrator": "admin_client_",
    "stranger": "stranger_client",
    "anonymous": "anonymous_client",
}


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str  # {waiting} is an unreviewed case, {reviewed} one the clinician reviewed
    data: dict
    expected: dict[str, int | str]  # persona -> status code, or LOGIN


OK_FOR_CLINICIANS = {
    "front_desk": 403,
    "clinician": 200,
    "other_clinician": 200,
    "administrator": 200,
    "stranger": 403,
    "anonymous": LOGIN,
}
CHANGES_FOR_CLINICIANS = {
    persona: 302 if code == 200 else code for persona, code in OK_FOR_CLINICIANS.items()
}
CHANGES_FOR_THE_AUTHOR = CHANGES_FOR_CLINICIANS | {"other_clinician": 403}
ADMINISTRATORS_ONLY = OK_FOR_CLINICIANS | {"clinician": 403, "other_clinician": 403}

ENDPOINTS = (
    Endpoint("queue", "get", "/review/", {}, OK_FOR_CLINICIANS),
    Endpoint("queue_updates", "get", "/review/updates/", {}, OK_FOR_CLINICIANS),
    Endpoint("case", "get", "/review/case/{waiting}/", {}, OK_FOR_CLINICIANS),
    Endpoint(
        "review",
        "post",
        "/review/case/{waiting}/review/",
        {"decision": "accepted"},
        CHANGES_FOR_CLINICIANS,
    ),
    Endpoint(
        "review_notes",
        "post",
        "/review/case/{reviewed}/notes/",
        {"notes": "Seen."},
        CHANGES_FOR_THE_AUTHOR,
    ),
    Endpoint(
        "review_reopen", "post", "/review/case/{reviewed}/reopen/", {}, CHANGES_FOR_THE_AUTHOR
    ),
    Endpoint(
        "audit_export",
        "get",
        "/review/audit/export/",
        {"start": "2026-01-01", "end": "2026-12-31"},
        ADMINISTRATORS_ONLY,
    ),
)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_each_role_gets_what_it_may_at_each_url(
    db, request, clinician, endpoint: Endpoint, persona: str
) -> None:
    waiting = submitted_intake()
    reviewed = CaseReviewFactory(reviewed_by=clinician).intake
    client = request.getfixturevalue(CLIENTS[persona])
    path = endpoint.path.format(waiting=waiting.pk, reviewed=reviewed.pk)
    data = dict(endpoint.data)
    if endpoint.name == "review":
        data["triage_record"] = waiting.current_triage_id

    response = getattr(client, endpoint.method)(path, data)

    expected = endpoint.expected[persona]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == expected, response.content[:300]


def test_the_matrix_covers_every_url_of_the_review_dashboard() -> None:
    from referrals.urls import review_urlpatterns

    assert {p.name for p in review_urlpatterns} == {e.name for e in ENDPOINTS}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_each_url_refuses_the_wrong_method(db, clinician, admin_client_, endpoint) -> None:
    waiting = submitted_intake()
    reviewed = CaseReviewFactory(reviewed_by=clinician).intake
    path = endpoint.path.format(waiting=waiting.pk, reviewed=reviewed.pk)
    wrong = "post" if endpoint.method == "get" else "get"

    response = getattr(admin_client_, wrong)(path)

    assert response.status_code == 405


@pytest.mark.parametrize("path", ["/review/case/{pk}/", "/review/case/{pk}/review/"])
def test_a_case_that_does_not_exist_is_not_found(clinician_client, path: str) -> None:
    method = clinician_client.get if path.endswith("{pk}/") else clinician_client.post

    assert method(path.format(pk=987654)).status_code == 404
