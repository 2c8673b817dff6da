"""The second-factor gate: a signed-in user who owes a second factor and has not given it in
this session reaches only the pages that let them give it (or sign out)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.roles import needs_second_factor

# The only URLs a session that owes its second factor may use.
BEFORE_SECOND_FACTOR = frozenset({"accounts:verify", "accounts:enrol", "logout"})


def owes_second_factor(request: HttpRequest) -> bool:
    """Signed in, required to give a second factor, and not yet given it in this session
    (django-otp's OTPMiddleware, earlier in the chain, sets `is_verified`)."""
    user = request.user
    if not user.is_authenticated:
        return False
    if user.is_verified():
        return False
    return needs_second_factor(user)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, _view: object, _args: object, _kwargs: object
    ) -> HttpResponse | None:
        if request.resolver_match.view_name in BEFORE_SECOND_FACTOR:
            return None
        if not owes_second_factor(request):
            return None
        target = f"{reverse('accounts:verify')}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=401)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
