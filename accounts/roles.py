"""The staff roles. A role is a Django group (created by intake's 0002 data migration);
administrators (superusers) hold every role."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

FRONT_DESK = "Front desk"
CLINICIAN = "Clinician"

User = AbstractBaseUser | AnonymousUser


def _in_group(user: User, group: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=group).exists()


def is_front_desk(user: User) -> bool:
    return _in_group(user, FRONT_DESK)


def is_clinician(user: User) -> bool:
    return _in_group(user, CLINICIAN)


def is_administrator(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def is_staff_member(user: User) -> bool:
    """Front desk or clinician (or administrator): anyone who works in the clinic."""
    return is_front_desk(user) or is_clinician(user)
