"""The two staff roles. Administrators (superusers) may act in both."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

FRONT_DESK = "Front desk"
CLINICIAN = "Clinician"


def _in_group(user: AbstractBaseUser | AnonymousUser, group: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=group).exists()


def is_front_desk(user: AbstractBaseUser | AnonymousUser) -> bool:
    return _in_group(user, FRONT_DESK)


def is_clinician(user: AbstractBaseUser | AnonymousUser) -> bool:
    return _in_group(user, CLINICIAN)
