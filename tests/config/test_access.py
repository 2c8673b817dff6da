"""Signing in, landing in the right workspace, throttling and the idle timeout."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import needs_second_factor
from tests.accounts.totp import code_for_key
from tests.factories import PASSWORD


@pytest.mark.parametrize("url", ["/", "/desk/", "/review/"])
def test_anonymous_users_are_sent_to_the_login_page(anonymous_client, url: str) -> None:
    response = anonymous_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_login_page_renders_with_local_assets_only(anonymous_client, db) -> None:
    response = anonymous_client.get("/accounts/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Staff sign in" in body
    assert "/static/vendor/bootstrap.min.css" in body
    assert "http://" not in body.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("persona", "landing"),
    [("front_desk", "/desk/"), ("clinician", "/review/"), ("administrator", "/admin/")],
)
def test_each_role_lands_in_its_workspace(db, request, persona: str, landing: str) -> None:
    user = request.getfixturevalue(persona)
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": PASSWORD}, follow=True
    )
    if needs_second_factor(user):
        assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/?next=")
        response = client.post(
            response.redirect_chain[-1][0], {"code": code_for_key(device.bin_key)}, follow=True
        )
    assert response.redirect_chain[-1][0] == landing
    assert response.status_code == 200


def test_a_user_without_a_role_is_told_so(stranger_client) -> None:
    response = stranger_client.get("/")
    assert response.status_code == 403
    assert "no role yet" in response.content.decode()


def test_login_is_locked_after_five_failures_even_with_the_right_password(front_desk) -> None:
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "desk", "password": "wrong-password"})
    response = client.post("/accounts/login/", {"username": "desk", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_are_signed_out_after_fifteen_idle_minutes(front_desk_client) -> None:
    assert front_desk_client.get("/desk/").status_code == 200
    session = front_desk_client.session
    session["staff_last_activity"] = time.time() - 16 * 60
    session.save()
    response = front_desk_client.get("/desk/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert front_desk_client.get("/desk/").status_code == 302


def test_background_polling_does_not_keep_a_session_alive(front_desk_client) -> None:
    front_desk_client.get("/desk/")
    session = front_desk_client.session
    session["staff_last_activity"] = time.time() - 14 * 60
    session.save()
    assert front_desk_client.get("/desk/", HTTP_X_BACKGROUND_POLL="1").status_code == 200
    session = front_desk_client.session
    session["staff_last_activity"] -= 2 * 60  # another two idle minutes pass
    session.save()
    assert front_desk_client.get("/desk/", HTTP_X_BACKGROUND_POLL="1").status_code == 302


def test_logout_is_post_only(front_desk_client) -> None:
    assert front_desk_client.get("/accounts/logout/").status_code == 405
    assert front_desk_client.post("/accounts/logout/").status_code == 302
