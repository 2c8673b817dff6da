"""The administrator's staff page (invite, reset a second factor, deactivate) and the invited
person's page."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import is_clinician
from audit.actions import AuditAction
from audit.models import AuditEvent

GOOD_PASSWORD = "correct-horse-battery-staple-9"


def _invite(admin_client_, email: str = "new.doc@example.org", role: str = "Clinician"):
    return admin_client_.post("/accounts/staff/invite/", {"email": email, "role": role})


def _link() -> str:
    (message,) = mail.outbox
    return re.search(r"http://\S+(/accounts/invitation/\S+/)", message.body).group(1)


def _accept(client: Client, link: str, password: str = GOOD_PASSWORD, again: str | None = None):
    return client.post(
        link,
        {
            "first_name": "Grace",
            "last_name": "Hopper",
            "password1": password,
            "password2": again or password,
        },
    )


def test_the_staff_page_lists_each_member_with_role_and_second_factor(
    admin_client_, clinician, front_desk
) -> None:
    page = admin_client_.get("/accounts/staff/").content.decode()

    assert "doc" in page
    assert "Clinician" in page
    assert "Not yet (at next sign-in)" in page
    assert "Not required" in page


def test_an_administrator_invites_by_e_mail_with_a_role(admin_client_) -> None:
    response = _invite(admin_client_)

    assert response["Location"] == "/accounts/staff/"
    assert mail.outbox[0].to == ["new.doc@example.org"]
    assert (
        "new.doc@example.org as Clinician" in admin_client_.get("/accounts/staff/").content.decode()
    )


def test_an_address_with_an_account_is_not_invited_again(admin_client_, clinician) -> None:
    response = _invite(admin_client_, email=clinician.email.upper())

    assert response.status_code == 400
    assert "exists already" in response.content.decode()
    assert mail.outbox == []


def test_the_invitation_leads_to_a_password_and_then_the_enrolment(admin_client_) -> None:
    _invite(admin_client_)
    client = Client()

    response = _accept(client, _link())

    assert response["Location"] == "/accounts/two-factor/enrol/"
    user = get_user_model().objects.get(username="new.doc@example.org")
    assert is_clinician(user)
    assert client.get("/review/")["Location"].startswith("/accounts/two-factor/?next=")
    assert AuditEvent.objects.filter(action=AuditAction.STAFF_INVITATION_ACCEPTED).count() == 1


def test_an_invitation_link_is_refused_once_used(admin_client_) -> None:
    _invite(admin_client_)
    link = _link()
    _accept(Client(), link)

    response = Client().get(link)

    assert response.status_code == 404
    assert "does not work" in response.content.decode()


def test_a_short_password_is_refused(admin_client_) -> None:
    _invite(admin_client_)

    response = _accept(Client(), _link(), "Short-pw-1")

    assert "at least 12 characters" in response.content.decode()
    assert not get_user_model().objects.filter(username="new.doc@example.org").exists()


def test_a_common_password_is_refused_however_long(admin_client_) -> None:
    _invite(admin_client_)

    response = _accept(Client(), _link(), "administrator")

    assert "too common" in response.content.decode()


def test_an_administrator_resets_a_second_factor_from_the_staff_page(
    admin_client_, clinician
) -> None:
    TOTPDevice.objects.create(user=clinician, name="Phone", confirmed=True)

    response = admin_client_.post(f"/accounts/staff/{clinician.pk}/second-factor/reset/")

    assert response["Location"] == "/accounts/staff/"
    assert not TOTPDevice.objects.filter(user=clinician).exists()


def test_an_administrator_deactivates_from_the_staff_page(admin_client_, clinician) -> None:
    admin_client_.post(f"/accounts/staff/{clinician.pk}/deactivate/")

    clinician.refresh_from_db()
    assert not clinician.is_active
    assert "Deactivated" in admin_client_.get("/accounts/staff/").content.decode()


def test_an_administrator_is_told_they_cannot_deactivate_themselves(
    admin_client_, administrator
) -> None:
    response = admin_client_.post(f"/accounts/staff/{administrator.pk}/deactivate/", follow=True)

    assert "cannot deactivate your own account" in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.is_active
