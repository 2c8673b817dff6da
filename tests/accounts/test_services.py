"""The staff account services: second factor, invitations, deactivation, and their audit rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from accounts.models import StaffInvitation
from accounts.roles import ADMINISTRATOR, CLINICIAN, FRONT_DESK, is_administrator, is_clinician
from accounts.services import (
    RECOVERY_CODE_COUNT,
    StaffAccountError,
    second_factor_enrol,
    second_factor_enrolment_device,
    second_factor_reset,
    second_factor_verify,
    staff_deactivate,
    staff_invitation_accept,
    staff_invite,
)
from accounts.tokens import token_hash
from audit.actions import AuditAction
from audit.models import AuditEvent
from tests.accounts.totp import code_for_key
from tests.conftest import sign_in
from tests.factories import ClinicianFactory
from tests.referrals.factories import signed_referral

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def _enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = second_factor_enrolment_device(user=user)
    verification, codes = second_factor_enrol(
        user=user, code=code_for_key(device.bin_key), ip_address=None
    )
    assert verification.passed
    device.refresh_from_db()
    return device, codes


# Enrolment ----------------------------------------------------------------------------------


def test_enrolment_confirms_the_app_and_issues_ten_single_use_recovery_codes(clinician) -> None:
    device, codes = _enrolled(clinician)

    assert device.confirmed
    assert len(codes) == RECOVERY_CODE_COUNT == len(set(codes))
    assert StaticDevice.objects.get(user=clinician).token_set.count() == RECOVERY_CODE_COUNT
    assert AuditAction.SECOND_FACTOR_ENROLLED in _actions()


def test_the_enrolment_page_shows_the_same_secret_until_it_is_confirmed(clinician) -> None:
    first = second_factor_enrolment_device(user=clinician)

    assert second_factor_enrolment_device(user=clinician).pk == first.pk


def test_a_wrong_enrolment_code_confirms_nothing_and_is_recorded(clinician) -> None:
    verification, codes = second_factor_enrol(user=clinician, code="000000", ip_address=None)

    assert not verification.passed
    assert codes == []
    assert not TOTPDevice.objects.filter(user=clinician, confirmed=True).exists()
    assert _actions() == [AuditAction.SECOND_FACTOR_FAILED]


def test_an_enrolled_user_cannot_enrol_another_app_with_the_password_alone(clinician) -> None:
    _enrolled(clinician)

    with pytest.raises(StaffAccountError):
        second_factor_enrolment_device(user=clinician)


# Verification -------------------------------------------------------------------------------


def test_a_code_from_the_app_verifies(clinician) -> None:
    device, _ = _enrolled(clinician)

    verification = second_factor_verify(
        user=clinician, code=code_for_key(device.bin_key, steps_ahead=1), ip_address="10.0.0.9"
    )

    assert verification.device == device
    row = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_VERIFIED)
    assert (row.actor, row.detail, row.ip_address) == (clinician, "Authenticator app", "10.0.0.9")


def test_a_recovery_code_verifies_once(clinician) -> None:
    _, codes = _enrolled(clinician)

    assert second_factor_verify(user=clinician, code=codes[0], ip_address=None).passed
    with freeze_time(timezone.now() + dt.timedelta(minutes=5)):
        assert not second_factor_verify(user=clinician, code=codes[0], ip_address=None).passed
    row = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_VERIFIED)
    assert row.detail == f"Recovery code ({RECOVERY_CODE_COUNT - 1} left)"


def test_a_code_of_another_user_does_not_verify(clinician, other_clinician) -> None:
    device, _ = _enrolled(clinician)
    _enrolled(other_clinician)

    code = code_for_key(device.bin_key, steps_ahead=1)

    assert not second_factor_verify(user=other_clinician, code=code, ip_address=None).passed


def test_code_guesses_are_throttled_even_the_right_code_waits(clinician) -> None:
    device, _ = _enrolled(clinician)
    right = code_for_key(device.bin_key, steps_ahead=1)
    with freeze_time(timezone.now()):
        assert not second_factor_verify(user=clinician, code="123456", ip_address=None).passed
        verification = second_factor_verify(user=clinician, code=right, ip_address=None)

    assert not verification.passed
    assert verification.throttled
    assert _actions()[-2:] == [AuditAction.SECOND_FACTOR_FAILED] * 2


def test_each_wrong_guess_doubles_the_wait(clinician) -> None:
    _enrolled(clinician)
    start = timezone.now()
    for _ in range(4):
        with freeze_time(start):
            second_factor_verify(user=clinician, code="123456", ip_address=None)
    device = TOTPDevice.objects.get(user=clinician)

    assert device.throttling_failure_count == 1  # the later guesses came before the 1 s wait
    with freeze_time(start + dt.timedelta(seconds=2)):
        second_factor_verify(user=clinician, code="123456", ip_address=None)
    with freeze_time(start + dt.timedelta(seconds=3)):
        assert second_factor_verify(user=clinician, code="123456", ip_address=None).throttled


# Reset --------------------------------------------------------------------------------------


def test_an_administrator_resets_a_second_factor_and_the_owner_is_signed_out(
    clinician, administrator
) -> None:
    _enrolled(clinician)
    client = sign_in(Client(), clinician)

    second_factor_reset(user=clinician, by=administrator, ip_address=None)

    assert not TOTPDevice.objects.filter(user=clinician).exists()
    assert not StaticDevice.objects.filter(user=clinician).exists()
    assert client.get("/review/").status_code == 302
    row = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_RESET)
    assert (row.actor, row.object_id) == (administrator, str(clinician.pk))


# Invitations --------------------------------------------------------------------------------


def test_an_invitation_is_e_mailed_with_a_single_use_link(administrator, settings) -> None:
    settings.SITE_URL = "https://clinic.example.org"
    invitation = staff_invite(
        email="New.Doc@example.org", role=CLINICIAN, invited_by=administrator, now=NOW
    )

    assert invitation.email == "new.doc@example.org"
    assert invitation.expires_at == NOW + dt.timedelta(hours=72)
    (message,) = mail.outbox
    assert message.to == ["new.doc@example.org"]
    assert "https://clinic.example.org/accounts/invitation/" in message.body
    assert "as Clinician" in message.body
    assert _actions() == [AuditAction.STAFF_INVITED]


def test_the_invitation_lifetime_is_a_setting(administrator, settings) -> None:
    settings.STAFF_INVITATION_HOURS = 4
    invitation = staff_invite(
        email="desk@example.org", role=FRONT_DESK, invited_by=administrator, now=NOW
    )

    assert invitation.expires_at == NOW + dt.timedelta(hours=4)


def test_an_address_that_already_has_an_account_is_not_invited(administrator) -> None:
    ClinicianFactory(username="taken@example.org")

    with pytest.raises(StaffAccountError):
        staff_invite(email="taken@example.org", role=CLINICIAN, invited_by=administrator, now=NOW)
    assert mail.outbox == []


def _invitation(administrator, role: str = CLINICIAN, *, expires: dt.datetime | None = None):
    return StaffInvitation.objects.create(
        email="invited@example.org",
        role=role,
        token_hash=token_hash("t"),
        invited_by=administrator,
        created_at=NOW,
        expires_at=expires or NOW + dt.timedelta(hours=72),
    )


def _accept(invitation, *, now: dt.datetime = NOW):
    return staff_invitation_accept(
        invitation=invitation,
        first_name="Ada",
        last_name="Lovelace",
        password="a-very-long-passphrase-7",
        now=now,
    )


@pytest.mark.parametrize(
    ("role", "check"), [(CLINICIAN, is_clinician), (ADMINISTRATOR, is_administrator)]
)
def test_accepting_an_invitation_makes_an_account_with_its_role(administrator, role, check) -> None:
    user = _accept(_invitation(administrator, role))

    assert user.username == "invited@example.org"
    assert user.check_password("a-very-long-passphrase-7")
    assert check(user)
    assert _actions() == [AuditAction.STAFF_INVITATION_ACCEPTED]


def test_an_invitation_link_works_once(administrator) -> None:
    invitation = _invitation(administrator)
    _accept(invitation)

    with pytest.raises(StaffAccountError):
        _accept(invitation)
    assert get_user_model().objects.filter(username="invited@example.org").count() == 1


def test_an_expired_invitation_makes_no_account(administrator) -> None:
    invitation = _invitation(administrator, expires=NOW)

    with pytest.raises(StaffAccountError):
        _accept(invitation, now=NOW + dt.timedelta(seconds=1))
    assert not get_user_model().objects.filter(username="invited@example.org").exists()


# Deactivation -------------------------------------------------------------------------------


def test_deactivation_ends_every_session_of_the_member_at_once(clinician, administrator) -> None:
    phone, desktop = sign_in(Client(), clinician), sign_in(Client(), clinician)
    assert desktop.get("/review/").status_code == 200

    staff_deactivate(user=clinician, by=administrator)

    for client in (phone, desktop):
        response = client.get("/review/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_deactivated_member_keeps_their_audit_rows(clinician, administrator) -> None:
    _enrolled(clinician)

    staff_deactivate(user=clinician, by=administrator)

    clinician.refresh_from_db()
    assert not clinician.is_active
    assert AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_ENROLLED).actor == clinician
    row = AuditEvent.objects.get(action=AuditAction.STAFF_DEACTIVATED)
    assert (row.actor, row.object_id) == (administrator, str(clinician.pk))


def test_an_administrator_cannot_deactivate_themselves(administrator) -> None:
    with pytest.raises(StaffAccountError):
        staff_deactivate(user=administrator, by=administrator)


def test_deactivating_twice_is_refused(clinician, administrator) -> None:
    staff_deactivate(user=clinician, by=administrator)

    with pytest.raises(StaffAccountError):
        staff_deactivate(user=clinician, by=administrator)


def test_a_deactivated_clinicians_signed_referral_still_names_them(
    clinician, administrator
) -> None:
    referral = signed_referral(clinician=clinician)

    staff_deactivate(user=clinician, by=administrator)

    referral.refresh_from_db()
    assert referral.clinician == clinician
    assert AuditEvent.objects.get(action=AuditAction.REFERRAL_SIGNED).actor == clinician
