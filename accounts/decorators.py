"""View decorators that check the role: one per role, all built the same way. Anonymous users
go to the login page; signed-in users without the role get 403. Object checks are the gates in
each app's `access.py` (one per object kind)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.roles import is_administrator, is_clinician, is_front_desk, is_staff_member

View = Callable[..., HttpResponse]


def _role_required(check: Callable[..., bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


front_desk_required = _role_required(is_front_desk)
clinician_required = _role_required(is_clinician)
staff_required = _role_required(is_staff_member)
administrator_required = _role_required(is_administrator)
