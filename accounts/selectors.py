"""Reads for the staff pages: who is on the staff, and which invitation a link belongs to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import StaffInvitation
from accounts.roles import CLINICIAN, FRONT_DESK, needs_second_factor, role_of
from accounts.tokens import token_hash, token_is_well_formed


@dataclass(frozen=True)
class StaffRow:
    user: AbstractBaseUser
    role: str
    enrolled: bool
    needs_second_factor: bool


def staff_list() -> list[StaffRow]:
    """Every account with a role, active first, with its role and second-factor state."""
    users = (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(groups__name__in=[FRONT_DESK, CLINICIAN]))
        .distinct()
        .annotate(enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .prefetch_related("groups")
        .order_by("-is_active", "last_name", "first_name", "username")
    )
    return [
        StaffRow(
            user=user,
            role=role_of(user) or "(deactivated)",
            enrolled=user.enrolled,
            needs_second_factor=needs_second_factor(user),
        )
        for user in users
    ]


def invitations_open(*, now: dt.datetime) -> list[StaffInvitation]:
    return list(
        StaffInvitation.objects.filter(accepted_at__isnull=True, expires_at__gt=now)
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitation_for_token(*, token: str, now: dt.datetime) -> StaffInvitation | None:
    """The open invitation this link's token belongs to, or None (unknown, used or expired)."""
    if not token_is_well_formed(token):
        return None
    return StaffInvitation.objects.filter(
        token_hash=token_hash(token), accepted_at__isnull=True, expires_at__gt=now
    ).first()
