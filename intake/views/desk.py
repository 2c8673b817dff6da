"""The front desk: patients, visits, and the links that reach the patient's form.

The desk sees where each form stands, never the answers or the triage.
"""

from __future__ import annotations

import smtplib
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import front_desk_required, staff_required
from accounts.roles import is_front_desk
from audit.request import client_ip
from intake.access import intake_for_user, patient_for_user
from intake.forms import (
    DeskVisitsFilterForm,
    PatientDetailsForm,
    PatientForm,
    ReopenForm,
    VisitForm,
)
from intake.models import Intake, Invitation
from intake.patient_session import patient_session_bind
from intake.selectors import (
    DESK_PAGE_SIZE,
    DESK_STATES,
    desk_visits,
    intake_with_state,
    patient_search,
    patient_visits,
    with_follow_up_states,
)
from intake.services import (
    PATIENT_DETAILS,
    REVIEWED_HISTORY_MESSAGE,
    DuplicatePatient,
    IntakeLocked,
    IntakeReviewed,
    NewLink,
    intake_create,
    intake_reopen,
    invitation_create,
    invitation_revoke,
    invitation_send_email,
    invitation_start_on_tablet,
    patient_register,
    patient_search_record,
    patient_update,
    patient_view_record,
)


def _private(response: HttpResponse) -> HttpResponse:
    """A page that shows a live link in its body: never cached (its URL carries no token)."""
    add_never_cache_headers(response)
    return response


@require_GET
@front_desk_required
def desk(request: HttpRequest) -> HttpResponse:
    form = DeskVisitsFilterForm(request.GET, states=DESK_STATES)
    filters = form.cleaned_data if form.is_valid() else {"q": "", "state": ""}
    query, state = filters["q"], filters["state"]
    now = timezone.now()
    visits = desk_visits(today=timezone.localdate(now), now=now, query=query, state=state)
    patients = patient_search(query=query)
    if query.strip():
        patient_search_record(
            actor=request.user,
            patients=len(patients),
            visits=len(visits),
            ip_address=client_ip(request),
        )
    page = Paginator(visits, DESK_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "query": query,
        "state": state,
        "state_label": DESK_STATES.get(state, ""),
        "filter_form": form,
        "search_errors": form.errors.get("q", []),
        "page": page,
        "visits": with_follow_up_states(page.object_list),
        "filters_in_url": urlencode({key: value for key, value in filters.items() if value}),
        "patients": patients,
    }
    return render(request, "intake/desk.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@front_desk_required
def patient_edit(request: HttpRequest, pk: int) -> HttpResponse:
    patient = patient_for_user(request.user, pk)
    if request.method == "GET":  # the form shows the patient's details: a read
        patient_view_record(patient=patient, actor=request.user, ip_address=client_ip(request))
    initial = {name: getattr(patient, name) for name in PATIENT_DETAILS}
    form = PatientDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirmed = data.pop("same_person_checked")
        try:
            changed = patient_update(
                patient=patient,
                **data,
                updated_by=request.user,
                same_name_and_birth_confirmed=confirmed,
            )
        except DuplicatePatient as duplicate:
            form.add_error(duplicate.field, duplicate.message)
        else:
            messages.success(
                request,
                "Details corrected."
                if changed
                else "Nothing changed: the details are as they were.",
            )
            return redirect("intake:patient", pk=patient.pk)
    return render(request, "intake/desk_patient_edit.html", {"form": form, "patient": patient})


@require_http_methods(["GET", "POST"])
@front_desk_required
def patient_new(request: HttpRequest) -> HttpResponse:
    form = PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirmed = data.pop("same_person_checked")
        try:
            patient = patient_register(
                **data, created_by=request.user, same_name_and_birth_confirmed=confirmed
            )
        except DuplicatePatient as duplicate:
            form.add_error(duplicate.field, duplicate.message)
        else:
            messages.success(request, f"{patient.full_name} is registered.")
            return redirect("intake:patient", pk=patient.pk)
    return render(request, "intake/desk_patient_new.html", {"form": form})


@require_GET
@front_desk_required
def patient_detail(request: HttpRequest, pk: int) -> HttpResponse:
    patient = patient_for_user(request.user, pk)
    patient_view_record(patient=patient, actor=request.user, ip_address=client_ip(request))
    context = {
        "patient": patient,
        "visits": patient_visits(patient=patient, now=timezone.now()),
        "visit_form": VisitForm(today=timezone.localdate()),
    }
    return render(request, "intake/desk_patient.html", context)


@require_POST
@front_desk_required
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    patient = patient_for_user(request.user, pk)
    form = VisitForm(request.POST, today=timezone.localdate())
    if not form.is_valid():
        context = {
            "patient": patient,
            "visits": patient_visits(patient=patient, now=timezone.now()),
            "visit_form": form,
        }
        return render(request, "intake/desk_patient.html", context, status=400)
    intake_create(
        patient=patient, visit_date=form.cleaned_data["visit_date"], created_by=request.user
    )
    messages.success(request, "Visit added. Now give the patient the link.")
    return redirect("intake:patient", pk=patient.pk)


_HAND_OVER = {
    Invitation.Channel.EMAIL: "email",
    Invitation.Channel.SLIP: "slip",
    Invitation.Channel.COPY: "copy",
}


@require_POST
@front_desk_required
def link_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a new link (the old one stops working) and hand it over: e-mail, slip or copy. The
    token is shown in this response only; the database keeps its hash."""
    intake = intake_for_user(request.user, pk)
    channel = request.POST.get("channel", "")
    if channel not in _HAND_OVER:
        return HttpResponse("Unknown way to send the link.", status=400)
    now = timezone.now()
    try:
        if channel == Invitation.Channel.EMAIL:
            return _send_email(request, intake)
        link = invitation_create(intake=intake, channel=channel, created_by=request.user, now=now)
    except IntakeLocked:
        messages.error(request, "This form was submitted. Reopen it before sending a new link.")
        return redirect("intake:patient", pk=intake.patient_id)
    template = "intake/desk_slip.html" if channel == "slip" else "intake/desk_link.html"
    return _private(render(request, template, _link_context(intake, link)))


def _send_email(request: HttpRequest, intake: Intake) -> HttpResponse:
    if not intake.patient.email:
        messages.error(request, "There is no e-mail address for this patient. Add one first.")
        return redirect("intake:patient", pk=intake.patient_id)
    try:
        invitation_send_email(intake=intake, created_by=request.user, now=timezone.now())
    except (OSError, smtplib.SMTPException):
        messages.error(request, "The e-mail could not be sent. Try again, or print a slip.")
    else:
        messages.success(request, f"Link e-mailed to {intake.patient.email}.")
    return redirect("intake:patient", pk=intake.patient_id)


def _link_context(intake: Intake, link: NewLink) -> dict[str, object]:
    qr = segno.make(link.url, error="m")
    return {
        "intake": intake,
        "patient": intake.patient,
        "url": link.url,
        "expires_at": link.record.expires_at,
        # A data: URI image: the CSP allows data: images, and no markup is built from strings.
        "qr_data_uri": qr.svg_data_uri(scale=5, border=2, dark="#000000"),
    }


@require_POST
@front_desk_required
def tablet_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Hand this device to a checked-in patient: a new link, opened at once in a session bound to
    the patient's form. The staff member is signed out of this device first."""
    intake = intake_for_user(request.user, pk)
    now = timezone.now()
    try:
        link = invitation_start_on_tablet(
            intake=intake, actor=request.user, now=now, ip_address=client_ip(request)
        )
    except IntakeLocked:
        messages.error(request, "This form was submitted. Reopen it first.")
        return redirect("intake:patient", pk=intake.patient_id)
    patient_session_bind(request, invitation=link.record, tablet=True, now=now)
    return redirect("intake:form_start")


@require_POST
@front_desk_required
def link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    intake = intake_for_user(request.user, pk)
    if invitation_revoke(intake=intake, actor=request.user, now=timezone.now()):
        messages.success(request, "The link is revoked: it no longer opens the form.")
    else:
        messages.info(request, "There was no live link to revoke.")
    return redirect("intake:patient", pk=intake.patient_id)


@require_http_methods(["GET", "POST"])
@staff_required
def intake_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    intake = intake_for_user(request.user, pk)
    if intake.status != Intake.Status.SUBMITTED:
        messages.info(request, "This form is not submitted, so it is already open.")
        return redirect("home")
    form = ReopenForm(request.POST or None)
    refused = ""
    if request.method == "POST" and form.is_valid():
        try:
            intake_reopen(
                intake=intake,
                reason=form.cleaned_data["reason"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except IntakeReviewed as exc:
            refused = str(exc)
        else:
            messages.success(request, "The form is open again. Send the patient a new link.")
            return redirect(_back_to(request) or _reopen_landing(request, intake))
    state = intake_with_state(intake=intake, now=timezone.now())
    context = {
        "form": form,
        "visit": state,
        "next": _back_to(request) or "",
        # Said before anyone types a reason, not only after the POST is refused.
        "refusal": refused or (REVIEWED_HISTORY_MESSAGE if intake.reviewed_at else ""),
    }
    status = 409 if refused else 200
    return render(request, "intake/desk_reopen.html", context, status=status)


def _back_to(request: HttpRequest) -> str | None:
    """Where the reopen page was opened from (`?next=`, e.g. the clinician's case page), if it
    is a page of this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _reopen_landing(request: HttpRequest, intake: Intake) -> str:
    if is_front_desk(request.user):
        return reverse("intake:patient", kwargs={"pk": intake.patient_id})
    return reverse("home")
