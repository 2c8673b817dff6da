"""The staff account URLs walked by every staff persona and by the sessions that owe a second
factor: those reach the verification or enrolment page and nothing else (every other table's
rows are walked with them in tests/config/test_access_matrix.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import StaffInvitation
from accounts.tokens import token_hash
from tests.factories import ClinicianFactory, UserFactory
from tests.matrix import (
    LOGIN,
    SIGNED_OUT,
    STAFF_PERSONAS,
    UNVERIFIED,
    VERIFY,
    Endpoint,
    answers,
    check_endpoint,
    check_wrong_method,
    rows,
    rows_by_persona,
)

SIGNED_IN = (*STAFF_PERSONAS, *UNVERIFIED)
EVERYONE = (*SIGNED_IN, *SIGNED_OUT)
TOKEN = "m" * 43  # the shape of a real token


def second_factor_page(**unverified: int) -> dict[str, int | str]:
    """Signed-in and verified: sent on (302); anonymous: the login page; the sessions that owe a
    second factor: this page (200) or the other one of the pair (302)."""
    return answers(STAFF_PERSONAS, 302) | {"anonymous": LOGIN} | unverified


def administrators(ok: int) -> dict[str, int | str]:
    return (
        answers(STAFF_PERSONAS, 403)
        | {"administrator": ok, "anonymous": LOGIN}
        | answers(UNVERIFIED, VERIFY)
    )


def open_page(ok: int) -> dict[str, int | str]:
    return answers((*STAFF_PERSONAS, *SIGNED_OUT), ok) | answers(UNVERIFIED, VERIFY)


ENDPOINTS = (
    Endpoint(
        "accounts:verify",
        "get",
        "/accounts/two-factor/",
        second_factor_page(
            unverified_clinician=200, unverified_administrator=200, unenrolled_clinician=302
        ),
        wrong_method="delete",
    ),
    Endpoint(
        "accounts:verify",
        "post",
        "/accounts/two-factor/",
        second_factor_page(
            unverified_clinician=200, unverified_administrator=200, unenrolled_clinician=302
        ),
        data={"code": "000000"},
        wrong_method="delete",
    ),
    Endpoint(
        "accounts:enrol",
        "get",
        "/accounts/two-factor/enrol/",
        second_factor_page(
            unverified_clinician=302, unverified_administrator=302, unenrolled_clinician=200
        ),
        wrong_method="delete",
    ),
    Endpoint(
        "accounts:enrol",
        "post",
        "/accounts/two-factor/enrol/",
        second_factor_page(
            unverified_clinician=302, unverified_administrator=302, unenrolled_clinician=200
        ),
        data={"code": "000000"},
        wrong_method="delete",
    ),
    Endpoint("accounts:staff", "get", "/accounts/staff/", administrators(200)),
    Endpoint(
        "accounts:invite",
        "post",
        "/accounts/staff/invite/",
        administrators(302),
        data={"email": "new.doctor@example.org", "role": "Clinician"},
    ),
    Endpoint(
        "accounts:second_factor_reset",
        "post",
        "/accounts/staff/{member}/second-factor/reset/",
        administrators(302),
    ),
    Endpoint(
        "accounts:deactivate", "post", "/accounts/staff/{member}/deactivate/", administrators(302)
    ),
    Endpoint(
        "accounts:invitation",
        "get",
        f"/accounts/invitation/{TOKEN}/",
        open_page(200),
        wrong_method="delete",
    ),
    Endpoint(
        "accounts:invitation",
        "post",
        f"/accounts/invitation/{TOKEN}/",
        open_page(200),
        data={"first_name": "A"},
        wrong_method="delete",
    ),
    Endpoint(
        "accounts:password_reset",
        "get",
        "/accounts/password-reset/",
        open_page(200),
        wrong_method="delete",
    ),
    Endpoint(
        "accounts:password_reset",
        "post",
        "/accounts/password-reset/",
        open_page(302),
        data={"email": "someone@example.org"},
        wrong_method="delete",
    ),
    Endpoint(
        "accounts:password_reset_done", "get", "/accounts/password-reset/sent/", open_page(200)
    ),
    Endpoint(
        "accounts:password_reset_confirm",
        "get",
        "/accounts/password-reset/{uid}/{reset_token}/",
        open_page(302),
        wrong_method="delete",
    ),
    Endpoint(
        "accounts:password_reset_complete", "get", "/accounts/password-reset/done/", open_page(200)
    ),
)


@pytest.fixture
def objects(db) -> dict[str, object]:
    member = ClinicianFactory(username="member")
    forgetful = UserFactory(username="forgetful")
    now = timezone.now()
    StaffInvitation.objects.create(
        email="invited@example.org",
        role="Clinician",
        token_hash=token_hash(TOKEN),
        invited_by=UserFactory(username="inviter", is_superuser=True),
        created_at=now,
        expires_at=now + dt.timedelta(hours=1),
    )
    return {
        "member": member.pk,
        "uid": urlsafe_base64_encode(force_bytes(forgetful.pk)),
        "reset_token": default_token_generator.make_token(forgetful),
    }


@pytest.mark.parametrize(("endpoint", "persona"), rows_by_persona(ENDPOINTS))
def test_each_persona_gets_what_it_may_at_the_staff_account_urls(
    request, objects, endpoint, persona
) -> None:
    check_endpoint(request, endpoint, persona, objects)


@pytest.mark.parametrize("endpoint", rows(ENDPOINTS))
def test_the_staff_account_urls_refuse_the_wrong_method(request, objects, endpoint) -> None:
    check_wrong_method(request, endpoint, objects)
