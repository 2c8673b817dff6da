"""The clinician's side of the self-help loop: send the handout to the patient, move or cancel
the follow-up check-in. Clinicians and administrators; the case through `case_for_user`."""

from __future__ import annotations

import smtplib

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.decorators import clinician_required
from audit.request import client_ip
from referrals.access import case_for_user
from referrals.forms.selfhelp import FollowUpScheduleForm
from referrals.services import follow_ups
from referrals.services import selfhelp as services


@require_POST
@clinician_required
def handout_send(request: HttpRequest, intake_id: int) -> HttpResponse:
    intake = case_for_user(request.user, intake_id)
    try:
        services.handout_send(
            intake=intake, user=request.user, now=timezone.now(), ip_address=client_ip(request)
        )
    except services.SelfHelpError as error:
        messages.error(request, error.message)
    except (OSError, smtplib.SMTPException):
        messages.error(request, "The e-mail could not be sent. Try again in a few minutes.")
    else:
        messages.success(request, "The self-help handout was sent to the patient by e-mail.")
    return redirect("referrals:case", intake_id=intake.pk)


@require_POST
@clinician_required
def follow_up_schedule(request: HttpRequest, intake_id: int) -> HttpResponse:
    intake = case_for_user(request.user, intake_id)
    form = FollowUpScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the weeks (1 to 52), or tick no follow-up.")
    elif form.cleaned_data["cancel"]:
        follow_ups.follow_up_cancel(
            intake=intake, actor=request.user, now=timezone.now(), ip_address=client_ip(request)
        )
        messages.success(request, "The follow-up was cancelled.")
    else:
        follow_ups.follow_up_schedule(
            intake=intake,
            weeks=form.cleaned_data["weeks"],
            actor=request.user,
            now=timezone.now(),
            ip_address=client_ip(request),
        )
        messages.success(request, "The follow-up was scheduled.")
    return redirect("referrals:case", intake_id=intake.pk)
