"""Password reset by e-mail with Django's views in the app's look."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from audit.actions import AuditAction
from audit.models import AuditEvent


def _ask(client: Client, email: str):
    return client.post("/accounts/password-reset/", {"email": email})


def test_the_reset_page_is_in_the_apps_look(anonymous_client, db) -> None:
    body = anonymous_client.get("/accounts/password-reset/").content.decode()

    assert "/static/vendor/bootstrap.min.css" in body
    assert "Reset your password" in body


def test_a_known_and_an_unknown_address_get_the_same_answer(anonymous_client, clinician) -> None:
    known = _ask(anonymous_client, clinician.email)
    unknown = _ask(Client(), "nobody-here@example.org")

    assert known["Location"] == unknown["Location"] == "/accounts/password-reset/sent/"
    assert [message.to for message in mail.outbox] == [[clinician.email]]
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET_REQUESTED).count() == 2


def test_the_link_is_on_the_site_url_and_sets_a_valid_password(
    anonymous_client, clinician, settings
) -> None:
    settings.SITE_URL = "https://clinic.example.org"
    _ask(anonymous_client, clinician.email)
    path = re.search(r"https://clinic\.example\.org(/\S+/)", mail.outbox[0].body).group(1)
    form_url = anonymous_client.get(path)["Location"]

    refused = anonymous_client.post(
        form_url, {"new_password1": "password123", "new_password2": "password123"}
    )
    done = anonymous_client.post(
        form_url,
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )

    assert "too common" in refused.content.decode()
    assert done["Location"] == "/accounts/password-reset/done/"
    clinician.refresh_from_db()
    assert clinician.check_password("a-brand-new-passphrase")
    row = AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET_DONE)
    assert row.actor == clinician


def test_a_new_password_does_not_skip_the_second_factor(anonymous_client, clinician) -> None:
    _ask(anonymous_client, clinician.email)
    path = re.search(r"http://\S+?(/accounts/\S+/)", mail.outbox[0].body).group(1)
    form_url = anonymous_client.get(path)["Location"]
    anonymous_client.post(
        form_url,
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )

    anonymous_client.post(
        "/accounts/login/", {"username": "doc", "password": "a-brand-new-passphrase"}
    )

    assert anonymous_client.get("/review/")["Location"].startswith("/accounts/two-factor/")
