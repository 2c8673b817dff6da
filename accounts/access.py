"""The gate for a staff account named in a URL: only administrators act on other accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.roles import User, is_administrator


def staff_member_for_user(user: User, member_id: int) -> AbstractBaseUser:
    """The account `member_id`, for an administrator; else PermissionDenied (or Http404)."""
    if not is_administrator(user):
        raise PermissionDenied
    return get_object_or_404(get_user_model(), pk=member_id)
