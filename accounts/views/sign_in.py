"""Signing in: the password (Django's LoginView, recording each outcome), then the second
factor: verification with a code, or enrolment of an authenticator app on the first sign-in.

Access: the password page is open; the second-factor pages need a signed-in user and are the
only pages a session that owes its second factor may reach (accounts/middleware.py)."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from accounts.forms import CodeForm, EnrolForm
from accounts.roles import needs_second_factor
from accounts.services import (
    second_factor_enrol,
    second_factor_enrolled,
    second_factor_enrolment_device,
    second_factor_verify,
    staff_sign_in_failed_record,
    staff_sign_in_record,
)
from audit.request import client_ip

WRONG_CODE = "That code is not right. Check the app's current code and try again."
THROTTLED = "Too many wrong codes: wait a minute, then try again."


class StaffLoginView(LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        staff_sign_in_record(user=form.get_user(), ip_address=client_ip(self.request))
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        staff_sign_in_failed_record(
            username=str(form.data.get("username", "")), ip_address=client_ip(self.request)
        )
        return super().form_invalid(form)


def _next(request: HttpRequest) -> str:
    """Where to go once the second factor is given: the page first asked for, if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url("home")


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{resolve_url(name)}?{request.GET.urlencode()}" if request.GET else resolve_url(name)


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect(_next(request))
    if not second_factor_enrolled(user=request.user):
        return redirect(_with_next("accounts:enrol", request))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        verification = second_factor_verify(
            user=request.user, code=form.cleaned_data["code"], ip_address=client_ip(request)
        )
        if verification.passed:
            otp_login(request, verification.device)
            return redirect(_next(request))
        form.add_error("code", THROTTLED if verification.throttled else WRONG_CODE)
    return render(request, "accounts/verify.html", {"form": form, "next": _next(request)})


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    if second_factor_enrolled(user=request.user):
        return redirect(_with_next("accounts:verify", request))
    if not needs_second_factor(request.user):
        return redirect("home")
    form = EnrolForm(request.POST or None)
    if form.is_valid():
        verification, codes = second_factor_enrol(
            user=request.user, code=form.cleaned_data["code"], ip_address=client_ip(request)
        )
        if verification.passed:
            otp_login(request, verification.device)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)}
            )
        form.add_error("code", THROTTLED if verification.throttled else WRONG_CODE)
    device = second_factor_enrolment_device(user=request.user)
    context = {
        "form": form,
        "next": _next(request),
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5),
        "secret": b32encode(device.bin_key).decode(),
    }
    return render(request, "accounts/enrol.html", context)
