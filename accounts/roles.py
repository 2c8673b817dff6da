"""The staff roles. A role is a Django group (created by intake's 0002 data migration);
administrators (superusers) hold every role."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

FRONT_DESK = "Front desk"
CLINICIAN = "Clinician"
# Not a group: an administrator is a superuser (and so holds every role).
ADMINISTRATOR = "Administrator"
# What an invitation may grant, in the order the invitation form offers them.
INVITABLE_ROLES = (FRONT_DESK, CLINICIAN, ADMINISTRATOR)

User = AbstractBaseUser | AnonymousUser


def _in_group(user: User, group: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # One query per user object for all its groups: a request asks several times (the view's
    # gate, the second-factor middleware, the navigation), and request.user lives one request.
    names = getattr(user, "_role_group_names", None)
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True))
        user._role_group_names = names
    return group in names


def is_front_desk(user: User) -> bool:
    return _in_group(user, FRONT_DESK)


def is_clinician(user: User) -> bool:
    return _in_group(user, CLINICIAN)


def is_administrator(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def is_staff_member(user: User) -> bool:
    """Front desk or clinician (or administrator): anyone who works in the clinic."""
    return is_front_desk(user) or is_clinician(user)


def needs_second_factor(user: User) -> bool:
    """Whoever can reach patient records beyond the desk signs in with a second factor:
    clinicians and administrators always, the front desk when TWO_FACTOR_FOR_FRONT_DESK is set."""
    if is_clinician(user):
        return True
    return settings.TWO_FACTOR_FOR_FRONT_DESK and is_front_desk(user)


def role_of(user: User) -> str:
    """The one role a staff list shows for this user ("" for none)."""
    if is_administrator(user):
        return ADMINISTRATOR
    if is_clinician(user):
        return CLINICIAN
    if is_front_desk(user):
        return FRONT_DESK
    return ""
