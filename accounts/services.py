"""Writes of the staff account life cycle: invitations, the second factor, sign-in records,
password resets and deactivation. Each service records its audit row (audit.services)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.sessions.models import Session
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import StaffInvitation
from accounts.roles import ADMINISTRATOR
from accounts.tokens import token_hash, token_new
from audit.actions import AuditAction
from audit.services import audit_record

RECOVERY_CODE_COUNT = 10
TOTP_DIGITS = 6  # an app's code; recovery codes are eight letters and digits


class StaffAccountError(ValueError):
    """A staff account change the current state does not allow; the message says why."""


# Sign-in ------------------------------------------------------------------------------------


def staff_sign_in_record(*, user: AbstractBaseUser, ip_address: str | None) -> None:
    """The password step passed (the second factor, when owed, is its own row)."""
    _own_account_record(user, AuditAction.SIGNED_IN, ip_address=ip_address)


def _own_account_record(
    user: AbstractBaseUser, action: AuditAction, *, detail: str = "", ip_address: str | None
) -> None:
    """One row about a step a staff member took on their own account (signing in, the second
    factor, a new password): they are both its actor and its record."""
    audit_record(actor=user, action=action, obj=user, detail=detail, ip_address=ip_address)


def staff_sign_in_failed_record(*, username: str, ip_address: str | None) -> None:
    """A refused password (or a locked account): the name typed, never the password."""
    audit_record(
        actor=None,
        action=AuditAction.SIGN_IN_FAILED,
        detail=f"Username {username[:150]!r}",
        ip_address=ip_address,
    )


# Second factor ------------------------------------------------------------------------------


def second_factor_enrolled(*, user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_enrolment_device(*, user: AbstractBaseUser) -> TOTPDevice:
    """The not yet confirmed authenticator whose secret the enrolment page shows: made on the
    first visit, the same one on a reload (so a scanned QR code stays good)."""
    if second_factor_enrolled(user=user):
        raise StaffAccountError("An authenticator app is already enrolled.")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@dataclass(frozen=True)
class Verification:
    """What checking a code found: the device that accepted it, or why none did."""

    device: Device | None
    throttled: bool = False

    @property
    def passed(self) -> bool:
        return self.device is not None


def second_factor_enrol(
    *, user: AbstractBaseUser, code: str, ip_address: str | None
) -> tuple[Verification, list[str]]:
    """Confirm the enrolment device with a code from the app, and issue ten single-use recovery
    codes (shown once; only a new enrolment makes new ones). Returns the check and the codes."""
    device = second_factor_enrolment_device(user=user)
    verification = _check(devices=[device], code=code)
    if not verification.passed:
        _record_failure(user=user, verification=verification, ip_address=ip_address)
        return verification, []
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        StaticDevice.objects.filter(user=user).delete()
        recovery = StaticDevice.objects.create(user=user, name="Recovery codes")
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
        _own_account_record(user, AuditAction.SECOND_FACTOR_ENROLLED, ip_address=ip_address)
    device.refresh_from_db()
    return verification, codes


def second_factor_verify(
    *, user: AbstractBaseUser, code: str, ip_address: str | None
) -> Verification:
    """Check a sign-in code: six digits against the authenticator app, anything else against the
    recovery codes (a recovery code is used up). Every device throttles its own wrong guesses:
    each doubles the wait before the next is checked."""
    code = "".join(code.split()).lower()
    model = TOTPDevice if len(code) == TOTP_DIGITS and code.isdigit() else StaticDevice
    with transaction.atomic():
        # Locked rows: two requests with the same recovery code cannot both use it.
        devices = list(model.objects.devices_for_user(user, confirmed=True).select_for_update())
        verification = _check(devices=devices, code=code)
    if not verification.passed:
        _record_failure(user=user, verification=verification, ip_address=ip_address)
        return verification
    detail = "Authenticator app"
    if isinstance(verification.device, StaticDevice):
        left = verification.device.token_set.count()
        detail = f"Recovery code ({left} left)"
    _own_account_record(
        user, AuditAction.SECOND_FACTOR_VERIFIED, detail=detail, ip_address=ip_address
    )
    return verification


def _check(*, devices: list[Device], code: str) -> Verification:
    throttled = False
    for device in devices:
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            throttled = True
            continue
        if device.verify_token(code):
            return Verification(device=device)
    return Verification(device=None, throttled=throttled)


def _record_failure(
    *, user: AbstractBaseUser, verification: Verification, ip_address: str | None
) -> None:
    _own_account_record(
        user,
        AuditAction.SECOND_FACTOR_FAILED,
        detail="Refused unchecked: too many wrong codes" if verification.throttled else "",
        ip_address=ip_address,
    )


def second_factor_reset(
    *, user: AbstractBaseUser, by: AbstractBaseUser, ip_address: str | None
) -> None:
    """An administrator removes a staff member's authenticator and recovery codes (a lost
    phone): their sessions end, and their next sign-in enrols a new app."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        _end_sessions(user=user)
        audit_record(
            actor=by, action=AuditAction.SECOND_FACTOR_RESET, obj=user, ip_address=ip_address
        )


# Invitations --------------------------------------------------------------------------------


def staff_invite(
    *,
    email: str,
    role: str,
    invited_by: AbstractBaseUser,
    now: dt.datetime,
    ip_address: str | None = None,
) -> StaffInvitation:
    """Invite someone to the staff by e-mail with one role. The e-mailed link works once and
    expires after STAFF_INVITATION_HOURS; on a mail failure nothing is kept and the error rises."""
    email = email.strip().lower()
    User = get_user_model()
    if User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
        raise StaffAccountError("A staff account with this e-mail address exists already.")
    token = token_new()
    with transaction.atomic():
        invitation = StaffInvitation.objects.create(
            email=email,
            role=role,
            token_hash=token_hash(token),
            invited_by=invited_by,
            created_at=now,
            expires_at=now + dt.timedelta(hours=settings.STAFF_INVITATION_HOURS),
        )
        _invitation_record(
            invitation, AuditAction.STAFF_INVITED, actor=invited_by, ip_address=ip_address
        )
        context = {
            "url": settings.SITE_URL.rstrip("/") + reverse("accounts:invitation", args=[token]),
            "role": role,
            "expires_at": invitation.expires_at,
            "clinic_name": settings.CLINIC_NAME,
            "invited_by": invited_by.get_full_name() or invited_by.get_username(),
        }
        subject = " ".join(render_to_string("emails/staff_invitation_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("emails/staff_invitation.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email],
        )
        message.attach_alternative(
            render_to_string("emails/staff_invitation.html", context), "text/html"
        )
        message.send()
    return invitation


def staff_invitation_accept(
    *,
    invitation: StaffInvitation,
    first_name: str,
    last_name: str,
    password: str,
    now: dt.datetime,
    ip_address: str | None = None,
) -> AbstractBaseUser:
    """Turn an open invitation into a staff account with its role and the chosen password
    (validated by the form). Claimed with a conditional UPDATE: of two submissions of the same
    link exactly one makes an account, and an expired link makes none."""
    User = get_user_model()
    with transaction.atomic():
        claimed = StaffInvitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, expires_at__gt=now
        ).update(accepted_at=now)
        if claimed != 1:
            raise StaffAccountError("This invitation link has been used or has expired.")
        administrator = invitation.role == ADMINISTRATOR
        user = User.objects.create_user(
            username=invitation.email,
            email=invitation.email,
            password=password,
            first_name=first_name,
            last_name=last_name,
            is_staff=administrator,
            is_superuser=administrator,
        )
        if not administrator:
            user.groups.add(Group.objects.get(name=invitation.role))
        StaffInvitation.objects.filter(pk=invitation.pk).update(user=user)
        _invitation_record(
            invitation, AuditAction.STAFF_INVITATION_ACCEPTED, actor=user, ip_address=ip_address
        )
    return user


def _invitation_record(
    invitation: StaffInvitation,
    action: AuditAction,
    *,
    actor: AbstractBaseUser,
    ip_address: str | None,
) -> None:
    """One row about a staff invitation, naming whom it invites and to which role."""
    audit_record(
        actor=actor,
        action=action,
        obj=invitation,
        detail=f"{invitation.email} as {invitation.role}",
        ip_address=ip_address,
    )


# Password reset -----------------------------------------------------------------------------


def password_reset_requested_record(*, email: str, ip_address: str | None) -> None:
    """Someone asked for a reset link for this address (whether or not it is a staff member's:
    the page says nothing either way, the trail keeps what was typed)."""
    audit_record(
        actor=None,
        action=AuditAction.PASSWORD_RESET_REQUESTED,
        detail=f"For {email[:254]!r}",
        ip_address=ip_address,
    )


def password_reset_done_record(*, user: AbstractBaseUser, ip_address: str | None) -> None:
    _own_account_record(user, AuditAction.PASSWORD_RESET_DONE, ip_address=ip_address)


# Deactivation -------------------------------------------------------------------------------


def staff_deactivate(
    *, user: AbstractBaseUser, by: AbstractBaseUser, ip_address: str | None = None
) -> None:
    """An administrator deactivates a staff member: they can no longer sign in and every session
    of theirs ends now. The account stays, so the letters they signed and the trail's rows stay
    attributed to them."""
    if user.pk == by.pk:
        raise StaffAccountError("You cannot deactivate your own account.")
    User = get_user_model()
    with transaction.atomic():
        changed = User.objects.filter(pk=user.pk, is_active=True).update(is_active=False)
        if changed != 1:
            raise StaffAccountError("This account is deactivated already.")
        _end_sessions(user=user)
        audit_record(
            actor=by, action=AuditAction.STAFF_DEACTIVATED, obj=user, ip_address=ip_address
        )


def _end_sessions(*, user: AbstractBaseUser) -> None:
    """Delete every stored session signed in as this user (database sessions: the project's
    engine). A clinic has few live sessions, so reading each is cheap."""
    key = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == key:
            session.delete()
