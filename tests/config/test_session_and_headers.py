"""A staff session ends at a fixed time after sign-in, however busy; every response says which
device features it may use; no staff page that shows patient data may be cached."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from freezegun import freeze_time

from tests.factories import PASSWORD


def _expiry(client: Client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_staff_session_expiry_does_not_move_forward_with_each_request(
    settings, front_desk
) -> None:
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    client = Client()
    with freeze_time(start) as clock:
        client.post("/accounts/login/", {"username": "desk", "password": PASSWORD})
        client.get("/desk/")
        first = _expiry(client)
        for _ in range(3):
            clock.tick(dt.timedelta(minutes=10))
            assert client.get("/desk/").status_code == 200

        assert _expiry(client) == first
    assert first == start + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_a_busy_staff_session_ends_at_its_absolute_lifetime(settings, front_desk) -> None:
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    client = Client()
    with freeze_time(start) as clock:
        client.post("/accounts/login/", {"username": "desk", "password": PASSWORD})
        # A request every ten minutes: never idle, so only the absolute lifetime can end it.
        for _ in range(settings.SESSION_COOKIE_AGE // 600):
            clock.tick(dt.timedelta(minutes=10))
            client.get("/desk/")
        clock.tick(dt.timedelta(minutes=10))

        response = client.get("/desk/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_every_response_carries_a_permissions_policy(anonymous_client) -> None:
    response = anonymous_client.get("/accounts/login/")
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_the_desk_and_its_patient_page_are_never_cached(front_desk_client) -> None:
    from tests.factories import PatientFactory

    patient = PatientFactory()
    for url in ("/desk/", "/desk/?q=Runner", f"/desk/patients/{patient.pk}/"):
        response = front_desk_client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_the_review_queue_is_never_cached(clinician_client) -> None:
    response = clinician_client.get("/review/")
    assert "no-store" in response["Cache-Control"]
