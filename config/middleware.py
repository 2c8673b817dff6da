"""Cross-cutting HTTP policies: the staff session's idle timeout and absolute lifetime, the
security headers (Content-Security-Policy, Permissions-Policy) and no caching of staff pages."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.cache import patch_cache_control

from audit.request import is_background_poll

_LAST_ACTIVITY_KEY = "staff_last_activity"


class StaffIdleTimeoutMiddleware:
    """Log staff out after STAFF_IDLE_MINUTES without a request they made themselves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(_LAST_ACTIVITY_KEY, now)
            if now - last > settings.STAFF_IDLE_MINUTES * 60:
                logout(request)
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=401)
                    response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
                    return response
                messages.info(request, "You were signed out after a period of inactivity.")
                return redirect_to_login(request.get_full_path())
            if not is_background_poll(request):
                request.session[_LAST_ACTIVITY_KEY] = now
            _fix_session_expiry(request)
        return self.get_response(request)


def _fix_session_expiry(request: HttpRequest) -> None:
    """Pin the session's end to SESSION_COOKIE_AGE after its first signed-in request.

    Django counts a relative age from the last save, and the idle timestamp above saves the
    session on every request: the "12-hour" session never ended. An absolute expiry date does
    not move; the session (and its cookie) end then, however busy the workstation is.
    """
    if request.session.get("_session_expiry") is None:
        request.session.set_expiry(
            timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        )


class ContentSecurityPolicyMiddleware:
    """The security headers every response carries, and no-store on every staff response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if request.user.is_authenticated:
            # Staff pages show patient data: no copy may stay in a shared browser's cache or a
            # proxy's, whatever the view says.
            patch_cache_control(response, no_store=True, private=True)
        return response
