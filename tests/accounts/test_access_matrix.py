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
    MatrixTests,
    answers,
    form_rows,
)

TOKEN = "m" * 43  # the shape of a real token


def second_factor_page(**unverified: int) -> dict[str, int | str]:
    """Signed-in and verified: sent on (302); anonymous: the login page; the sessions that owe a
    second factor: this page (200) or the other one of the pair (302)."""
    return answers(STAFF_PERSONAS, 302) | {"anonymous": LOGIN} | unverified


# The pair of second-factor pages: each serves the sessions that owe that step, and sends the
# others on to the other page.
VERIFY_PAGE = second_factor_page(
    unverified_clinician=200, unverified_administrator=200, unenrolled_clinician=302
)
ENROL_PAGE = second_factor_page(
    unverified_clinician=302, unverified_administrator=302, unenrolled_clinician=200
)


def administrators(ok: int) -> dict[str, int | str]:
    return (
        answers(STAFF_PERSONAS, 403)
        | {"administrator": ok, "anonymous": LOGIN}
        | answers(UNVERIFIED, VERIFY)
    )


def open_page(ok: int) -> dict[str, int | str]:
    return answers((*STAFF_PERSONAS, *SIGNED_OUT), ok) | answers(UNVERIFIED, VERIFY)


ENDPOINTS = (
    *form_rows(
        "accounts:verify",
        "/accounts/two-factor/",
        answers=(VERIFY_PAGE, VERIFY_PAGE),
        data={"code": "000000"},
        wrong_method="delete",
    ),
    *form_rows(
        "accounts:enrol",
        "/accounts/two-factor/enrol/",
        answers=(ENROL_PAGE, ENROL_PAGE),
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
    *form_rows(
        "accounts:invitation",
        f"/accounts/invitation/{TOKEN}/",
        answers=(open_page(200), open_page(200)),
        data={"first_name": "A"},
        wrong_method="delete",
    ),
    *form_rows(
        "accounts:password_reset",
        "/accounts/password-reset/",
        answers=(open_page(200), open_page(302)),
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


class TestTheStaffAccountUrls(MatrixTests):
    ENDPOINTS = ENDPOINTS
