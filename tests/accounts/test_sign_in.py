"""Signing in through the pages: the password, then the code (or the enrolment on the first
sign-in), each outcome in the trail; throttling of passwords (axes) and of codes."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.actions import AuditAction
from audit.models import AuditEvent
from tests.accounts.totp import code_for_key, code_for_secret
from tests.factories import PASSWORD, ClinicianFactory


def _password(client: Client, user, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": user.username, "password": password})


@pytest.fixture
def enrolled(clinician) -> TOTPDevice:
    return TOTPDevice.objects.create(user=clinician, name="Phone", confirmed=True)


def test_a_clinician_with_the_password_alone_is_asked_for_a_code(clinician, enrolled) -> None:
    client = Client()
    response = _password(client, clinician)

    assert response["Location"] == "/"
    response = client.get("/review/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/?next=%2Freview%2F"


@pytest.mark.parametrize(
    ("asked_for", "sent_to"),
    [
        pytest.param("/review/", "/review/", id="the-page-first-asked-for"),
        pytest.param("https://evil.example/", "/", id="nowhere-outside-the-site"),
    ],
)
def test_the_code_opens_the_page_first_asked_for_and_nothing_outside_the_site(
    clinician, enrolled, asked_for: str, sent_to: str
) -> None:
    client = Client()
    _password(client, clinician)

    response = client.post(
        f"/accounts/two-factor/?next={asked_for}", {"code": code_for_key(enrolled.bin_key)}
    )

    assert response["Location"] == sent_to
    assert client.get("/review/").status_code == 200


def test_a_wrong_code_is_refused_and_recorded(clinician, enrolled) -> None:
    client = Client()
    _password(client, clinician)

    response = client.post("/accounts/two-factor/", {"code": "000000"})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get("/review/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_FAILED).count() == 1


def test_after_a_wrong_code_even_the_right_one_must_wait(clinician, enrolled) -> None:
    client = Client()
    _password(client, clinician)
    client.post("/accounts/two-factor/", {"code": "000000"})

    response = client.post("/accounts/two-factor/", {"code": code_for_key(enrolled.bin_key)})

    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/review/").status_code == 302


def test_password_sign_ins_and_failures_are_recorded_without_the_password(clinician) -> None:
    _password(Client(), clinician, "not-the-password")
    _password(Client(), clinician)

    failed, signed_in = AuditEvent.objects.order_by("id")
    assert failed.action == AuditAction.SIGN_IN_FAILED
    assert failed.detail == "Username 'doc'"
    assert "not-the-password" not in failed.detail
    assert (signed_in.action, signed_in.actor) == (AuditAction.SIGNED_IN, clinician)


def test_the_front_desk_signs_in_with_a_password_alone_by_default(front_desk) -> None:
    client = Client()
    _password(client, front_desk)

    assert client.get("/desk/").status_code == 200


def test_a_setting_makes_the_front_desk_give_a_second_factor_too(front_desk, settings) -> None:
    settings.TWO_FACTOR_FOR_FRONT_DESK = True
    client = Client()
    _password(client, front_desk)

    response = client.get("/desk/", follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/two-factor/enrol/?next=%2Fdesk%2F"


def test_the_admin_needs_the_second_factor_too(administrator) -> None:
    TOTPDevice.objects.create(user=administrator, name="Phone", confirmed=True)
    client = Client()
    _password(client, administrator)

    response = client.get("/admin/")

    assert response["Location"].startswith("/accounts/two-factor/?next=")


def test_the_admins_own_sign_in_page_sends_to_the_recorded_one(anonymous_client) -> None:
    response = anonymous_client.get("/admin/login/?next=/admin/")

    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_a_background_request_without_the_second_factor_is_sent_to_verify(
    unverified_clinician_client,
) -> None:
    response = unverified_clinician_client.get("/review/", HTTP_HX_REQUEST="true")

    assert response.status_code == 401
    assert response["HX-Redirect"].startswith("/accounts/two-factor/?next=")


def test_the_first_sign_in_enrols_an_app_and_shows_ten_recovery_codes(db) -> None:
    user = ClinicianFactory(username="newdoc")
    client = Client()
    _password(client, user)

    page = client.get("/accounts/two-factor/enrol/").content.decode()
    assert 'src="data:image/svg+xml' in page
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7]+)<', page).group(1)
    response = client.post("/accounts/two-factor/enrol/", {"code": code_for_secret(secret)})

    codes = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert len(codes) == 10
    assert client.get("/review/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_ENROLLED).count() == 1


def test_the_password_lockout_still_holds_for_a_clinician(clinician) -> None:
    client = Client()
    for _ in range(5):
        _password(client, clinician, "wrong-password")

    response = _password(client, clinician)

    assert response.status_code == 429
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == 6
