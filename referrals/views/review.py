"""The clinician's review dashboard: the queue (with background refresh), one case, the review
decision, notes and reopening, and acting on a red flag from the case page (acknowledging the
on-call alert, recording a contact with the patient). (The audit export is the audit app's.)

Access: `clinician_required` (clinicians and administrators; front desk 403, anonymous to the
login page) on every view, then a gate of referrals/access.py for the object: `case_for_user`;
changing a review's notes or reopening it is for its author or an administrator
(`own_review_for_user`).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import clinician_required
from audit.request import client_ip
from intake.models import Intake
from referrals.access import case_for_user, may_change_review, own_review_for_user
from referrals.forms.review import CaseReviewForm, QueueFilterForm, ReviewNotesForm
from referrals.forms.selfhelp import FollowUpScheduleForm
from referrals.forms.urgent import PatientContactForm
from referrals.selectors.review import case_detail, queue_for_clinician, urgent_arrivals
from referrals.selectors.selfhelp import case_self_help
from referrals.selectors.urgent import case_urgent
from referrals.services.review import (
    ReviewError,
    case_follow_up_review_record,
    case_review_notes_update,
    case_review_record,
    case_review_reopen,
    case_view_record,
    queue_view_record,
)
from referrals.services.urgent import patient_contact_record, red_flag_alert_acknowledge
from referrals.views.outcome import attempt

POLL_SECONDS = 15


def _queue_context(request: HttpRequest, form: QueueFilterForm) -> dict[str, object]:
    now = timezone.now()
    page = queue_for_clinician(filters=form.filters(), today=timezone.localdate(now))
    query = form.query_string()
    poll = urlencode({"page": page.page.number, "since": now.isoformat(), "seen": page.fingerprint})
    poll_query = f"{query}&{poll}" if query else poll
    return {
        "form": form,
        "queue": page,
        "filter_query": query,
        "poll_url": f"{reverse('referrals:queue_updates')}?{poll_query}",
        "poll_seconds": POLL_SECONDS,
    }


@never_cache
@require_GET
@clinician_required
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET)
    context = _queue_context(request, form)
    queue_view_record(
        actor=request.user,
        cases=context["queue"].page.paginator.count,
        searched=bool(form.filters().q),
        ip_address=client_ip(request),
    )
    return render(request, "referrals/queue.html", context)


def _parse_since(value: str) -> dt.datetime | None:
    try:
        since = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return since if timezone.is_aware(since) else None


@never_cache
@require_GET
@clinician_required
def queue_updates(request: HttpRequest) -> HttpResponse:
    """The queue's background refresh (htmx, every POLL_SECONDS, sent with X-Background-Poll so
    it does not keep an idle session alive). 204 when nothing changed, so the page (and the
    clinician's focus in it) stays as it is; otherwise the fresh results and, in the page's live
    region, any red-flag case that arrived since the last refresh."""
    form = QueueFilterForm(request.GET)
    context = _queue_context(request, form)
    since = _parse_since(request.GET.get("since", ""))
    arrivals = urgent_arrivals(since=since, until=timezone.now()) if since else []
    if not arrivals and request.GET.get("seen") == context["queue"].fingerprint:
        return HttpResponse(status=204)
    context["arrivals"] = arrivals
    context["poll_refresh"] = True
    return render(request, "referrals/_queue_results.html", context)


def _render_case(
    request: HttpRequest,
    intake: Intake,
    *,
    form: CaseReviewForm | None = None,
    notes_form: ReviewNotesForm | None = None,
    contact_form: PatientContactForm | None = None,
    status: int = 200,
) -> HttpResponse:
    detail = case_detail(intake=intake, today=timezone.localdate())
    review = detail.review
    context = {
        "case": detail,
        "form": form or CaseReviewForm(triage=intake.current_triage),
        "notes_form": notes_form
        or ReviewNotesForm(initial={"notes": review.notes if review else ""}),
        "can_change_review": review is not None and may_change_review(request.user, review),
        "urgent": case_urgent(intake=intake),
        "contact_form": contact_form or PatientContactForm(now=timezone.now()),
        "ack_minutes": settings.RED_FLAG_ALERT_ACK_MINUTES,
        "max_alert_sends": settings.RED_FLAG_ALERT_MAX_SENDS,
        "self_help": case_self_help(intake=intake),
        "follow_up_form": FollowUpScheduleForm(),
    }
    return render(request, "referrals/case.html", context, status=status)


@never_cache
@require_GET
@clinician_required
def case(request: HttpRequest, intake_id: int) -> HttpResponse:
    intake = case_for_user(request.user, intake_id)
    case_view_record(intake=intake, actor=request.user, ip_address=client_ip(request))
    return _render_case(request, intake)


@require_POST
@clinician_required
def review(request: HttpRequest, intake_id: int) -> HttpResponse:
    intake = case_for_user(request.user, intake_id)
    form = CaseReviewForm(request.POST, triage=intake.current_triage)
    if form.is_valid():
        data = form.cleaned_data
        try:
            case_review_record(
                intake=intake,
                loaded_triage_id=data["triage_record"],
                decision=data["decision"],
                disposition=data["disposition"],
                actions=data["actions"],
                override_reason=data["override_reason"],
                notes=data["notes"],
                follow_up=not data["no_follow_up"],
                follow_up_weeks=data["follow_up_weeks"],
                actor=request.user,
                now=timezone.now(),
                ip_address=client_ip(request),
            )
        except ReviewError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Review saved.")
            return redirect("referrals:case", intake_id=intake.pk)
    # Reload: a refused review may be refused because the case changed under the clinician.
    return _render_case(request, case_for_user(request.user, intake_id), form=form, status=400)


@require_POST
@clinician_required
def review_notes(request: HttpRequest, intake_id: int) -> HttpResponse:
    review = own_review_for_user(request.user, intake_id)
    intake = review.intake
    form = ReviewNotesForm(request.POST)
    if not form.is_valid():
        return _render_case(request, intake, notes_form=form, status=400)
    case_review_notes_update(
        review=review,
        notes=form.cleaned_data["notes"],
        actor=request.user,
        ip_address=client_ip(request),
    )
    messages.success(request, "Notes saved.")
    return redirect("referrals:case", intake_id=intake.pk)


@require_POST
@clinician_required
def review_reopen(request: HttpRequest, intake_id: int) -> HttpResponse:
    review = own_review_for_user(request.user, intake_id)
    intake = review.intake
    attempt(
        request,
        lambda: case_review_reopen(
            review=review, actor=request.user, ip_address=client_ip(request)
        ),
        "Review reopened: the case is awaiting review again.",
        refusal=ReviewError,
    )
    return redirect("referrals:case", intake_id=intake.pk)


@require_POST
@clinician_required
def follow_up_reviewed(request: HttpRequest, intake_id: int) -> HttpResponse:
    intake = case_for_user(request.user, intake_id)
    attempt(
        request,
        lambda: case_follow_up_review_record(
            intake=intake,
            note=request.POST.get("note", ""),
            actor=request.user,
            now=timezone.now(),
            ip_address=client_ip(request),
        ),
        "Follow-up reviewed: the case has left the queue.",
        refusal=ReviewError,
    )
    return redirect("referrals:case", intake_id=intake.pk)


def _back_to_contact(intake: Intake) -> HttpResponse:
    """The case page, scrolled to its contact panel (where the clinician just acted)."""
    return redirect(f"{reverse('referrals:case', args=[intake.pk])}#contact")


@require_POST
@clinician_required
def alert_acknowledge(request: HttpRequest, intake_id: int) -> HttpResponse:
    intake = case_for_user(request.user, intake_id)
    acknowledged = red_flag_alert_acknowledge(
        intake=intake, actor=request.user, now=timezone.now(), ip_address=client_ip(request)
    )
    if acknowledged:
        messages.success(request, "Alert acknowledged: it will not be sent again.")
    else:
        messages.info(request, "This case has no open alert (someone may have acknowledged it).")
    return _back_to_contact(intake)


@require_POST
@clinician_required
def contact_record(request: HttpRequest, intake_id: int) -> HttpResponse:
    intake = case_for_user(request.user, intake_id)
    now = timezone.now()
    form = PatientContactForm(request.POST, now=now)
    if not form.is_valid():
        return _render_case(request, intake, contact_form=form, status=400)
    patient_contact_record(
        intake=intake,
        actor=request.user,
        now=now,
        ip_address=client_ip(request),
        **form.cleaned_data,
    )
    messages.success(request, "Contact recorded.")
    return _back_to_contact(intake)
