"""The administrator's staff page: invite, reset a second factor, deactivate; and the invited
person's page that turns the link into an account.

Access: `administrator_required` on the staff page and its actions, then the gate
`staff_member_for_user` for an account in the URL. The invitation page is open: its token is the
access (unknown, used and expired links all get the same refusal). State changes are POST only.
"""

from __future__ import annotations

import smtplib

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import staff_member_for_user
from accounts.decorators import administrator_required
from accounts.forms import InvitationAcceptForm, InvitationForm
from accounts.selectors import invitation_for_token, invitations_open, staff_list
from accounts.services import (
    StaffAccountError,
    second_factor_reset,
    staff_deactivate,
    staff_invitation_accept,
    staff_invite,
)
from audit.request import client_ip

_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _staff_page(request: HttpRequest, form: InvitationForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "staff": staff_list(),
        "invitations": invitations_open(now=timezone.now()),
    }
    return render(request, "accounts/staff.html", context, status=status)


@require_GET
@administrator_required
def staff(request: HttpRequest) -> HttpResponse:
    return _staff_page(request, InvitationForm())


@require_POST
@administrator_required
def invite(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, form, status=400)
    try:
        staff_invite(
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
            now=timezone.now(),
            ip_address=client_ip(request),
        )
    except StaffAccountError as error:
        form.add_error("email", str(error))
        return _staff_page(request, form, status=400)
    except (OSError, smtplib.SMTPException):
        messages.error(request, "The invitation e-mail could not be sent; nothing was saved.")
        return redirect("accounts:staff")
    messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
    return redirect("accounts:staff")


@require_POST
@administrator_required
def second_factor_reset_view(request: HttpRequest, pk: int) -> HttpResponse:
    member = staff_member_for_user(request.user, pk)
    second_factor_reset(user=member, by=request.user, ip_address=client_ip(request))
    messages.success(
        request, f"{member.get_username()} will set up an authenticator app at next sign-in."
    )
    return redirect("accounts:staff")


@require_POST
@administrator_required
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    member = staff_member_for_user(request.user, pk)
    try:
        staff_deactivate(user=member, by=request.user, ip_address=client_ip(request))
    except StaffAccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{member.get_username()} is deactivated and signed out.")
    return redirect("accounts:staff")


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    now = timezone.now()
    found = invitation_for_token(token=token, now=now)
    if found is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = InvitationAcceptForm(request.POST or None, email=found.email)
    if form.is_valid():
        try:
            user = staff_invitation_accept(
                invitation=found,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
                now=now,
                ip_address=client_ip(request),
            )
        except StaffAccountError:
            return render(request, "accounts/invitation_invalid.html", status=404)
        login(request, user, backend=_BACKEND)
        return redirect("accounts:enrol")
    return render(request, "accounts/invitation.html", {"form": form, "invitation": found})
