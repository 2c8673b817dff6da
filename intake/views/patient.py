"""The patient's pre-visit form, reached by a link: no account, one intake per session.

Every view here takes the intake from the session (intake/patient_session.py), never from the
URL, the query or the form. Every response is private: no caching, no referrer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.request import client_ip
from intake.answers import form_initial, review_rows
from intake.emergency import emergency_advice
from intake.forms import BirthDateForm, StepForm
from intake.models import Intake
from intake.patient_session import (
    PatientSession,
    patient_session_bind,
    patient_session_confirm_birth_date,
    patient_session_end,
    patient_session_get,
)
from intake.questions import STEP_SLUGS, STEPS, step_by_slug
from intake.services import (
    IntakeIncomplete,
    IntakeLocked,
    intake_answers_view_record,
    intake_save_step,
    intake_submit,
    invitation_confirm_birth_date,
    invitation_redeem,
    invitation_refuse_to_staff,
)
from intake.tokens import token_attempt_allowed

View = Callable[..., HttpResponse]


def _private(response: HttpResponse) -> HttpResponse:
    """Patient pages are kept out of every cache (a shared computer's back button included)."""
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    return response


def _token_page(response: HttpResponse) -> HttpResponse:
    """A response at a URL that carries the token: also never named in a Referer header. Only
    here: under no-referrer a browser sends `Origin: null` with a form, which CSRF refuses."""
    response["Referrer-Policy"] = "no-referrer"
    return _private(response)


def _link_not_valid(request: HttpRequest, status: int = 404) -> HttpResponse:
    # One page for expired, revoked, unknown and malformed links and for a missing session: it
    # must not tell anyone whether a patient or a link exists.
    return render(request, "intake/patient_link_invalid.html", status=status)


def _patient_view(view: View, *, needs_birth_date: bool) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        session = patient_session_get(request, now=timezone.now())
        if session is None:
            return _private(_link_not_valid(request, status=403))
        if needs_birth_date and not session.birth_date_confirmed:
            return _private(redirect("intake:form_confirm"))
        return _private(view(request, session, *args, **kwargs))

    return wrapper


def patient_page(view: View) -> View:
    """The bound session's intake, or the plain "link not valid" page; until the date of birth
    is confirmed on this session, the page that asks for it."""
    return _patient_view(view, needs_birth_date=True)


def open_form_page(view: View) -> View:
    """A page of the form itself (a patient_page): once the intake is submitted its answers are
    the clinic's, and every such page sends the patient to the done page instead."""

    @wraps(view)
    def wrapper(
        request: HttpRequest, session: PatientSession, *args: object, **kwargs: object
    ) -> HttpResponse:
        if session.intake.status == Intake.Status.SUBMITTED:
            return redirect("intake:form_done")
        return view(request, session, *args, **kwargs)

    return patient_page(wrapper)


def patient_session_page(view: View) -> View:
    """A page that shows nothing of the answers (the date-of-birth question, leaving the
    tablet): the bound session is enough."""
    return _patient_view(view, needs_birth_date=False)


@require_GET
def patient_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link's first visit: trade the token for a session and move to a URL without it (as
    Django's password reset does), so the token leaves no trace in history or referrers.

    A browser signed in as staff is not let in: the desk never reads a patient's answers, and
    opening the link here would sign the staff member out. The page says so and offers to sign
    out (on a device meant for the patient)."""
    if not token_attempt_allowed(address=client_ip(request)):
        response = render(request, "intake/patient_too_many.html", status=429)
        response["Retry-After"] = "60"
        return _token_page(response)
    if request.user.is_authenticated:
        invitation_refuse_to_staff(token=token, actor=request.user, ip_address=client_ip(request))
        return _token_page(render(request, "intake/patient_link_staff.html", status=403))
    now = timezone.now()
    invitation = invitation_redeem(token=token, now=now, ip_address=client_ip(request))
    if invitation is None:
        return _token_page(_link_not_valid(request))
    patient_session_bind(request, invitation=invitation, tablet=False, now=now)
    return _token_page(redirect("intake:form_confirm"))


@require_http_methods(["GET", "POST"])
@patient_session_page
def form_confirm(request: HttpRequest, session: PatientSession) -> HttpResponse:
    """Whoever holds the link says the patient's date of birth before any answer is shown. Too
    many wrong dates revoke the link, and the page becomes the plain "link not valid" one."""
    now = timezone.now()
    if session.birth_date_confirmed:
        return redirect("intake:form_start")
    form = BirthDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if invitation_confirm_birth_date(
            invitation=session.invitation,
            date_of_birth=form.cleaned_data["date_of_birth"],
            now=now,
            ip_address=client_ip(request),
        ):
            patient_session_confirm_birth_date(request)
            return redirect("intake:form_start")
        if patient_session_get(request, now=now) is None:  # that was the last try
            patient_session_end(request)
            return _link_not_valid(request, status=403)
        form.add_error("date_of_birth", "This date of birth does not match. Please check it.")
    context = {"form": form, "tablet": session.tablet}
    status = 400 if form.errors else 200
    return render(request, "intake/patient_confirm.html", context, status=status)


@require_GET
@open_form_page
def form_start(request: HttpRequest, session: PatientSession) -> HttpResponse:
    intake = session.intake
    next_slug = next((s for s in STEP_SLUGS if s not in intake.steps_completed), None)
    context = {
        "intake": intake,
        "tablet": session.tablet,
        "started": bool(intake.steps_completed or intake.answers),
        "next_step": next_slug,
        "steps": STEPS,
    }
    return render(request, "intake/patient_start.html", context)


def _neighbours(slug: str) -> tuple[str | None, str | None]:
    index = STEP_SLUGS.index(slug)
    previous = STEP_SLUGS[index - 1] if index > 0 else None
    following = STEP_SLUGS[index + 1] if index + 1 < len(STEP_SLUGS) else None
    return previous, following


def _step_page(request: HttpRequest, session: PatientSession, form: StepForm, status: int = 200):
    step = form.step
    number = STEP_SLUGS.index(step.slug) + 1
    context = {
        "form": form,
        "step": step,
        "number": number,
        "total": len(STEPS) + 1,  # the review page is the last step
        "tablet": session.tablet,
        "previous": _neighbours(step.slug)[0],
    }
    return render(request, "intake/patient_step.html", context, status=status)


@require_http_methods(["GET", "POST"])
@open_form_page
def form_step(request: HttpRequest, session: PatientSession, step: str) -> HttpResponse:
    current = step_by_slug(step)
    intake = session.intake
    if current is None:
        return redirect("intake:form_start")
    if request.method == "GET":
        completed = current.slug in intake.steps_completed
        if completed:  # the page shows the answers saved on it
            _answers_shown(request, session, page=f"the step {current.slug!r}")
        initial = form_initial(current, intake.answers, completed=completed)
        return _step_page(request, session, StepForm(step=current, initial=initial))
    going_back = request.POST.get("go") == "back"
    strict = StepForm(request.POST, step=current)
    form = StepForm(request.POST, step=current, lenient=True) if going_back else strict
    if not form.is_valid():
        return _step_page(request, session, form)
    try:
        intake_save_step(
            intake=intake, step=current, values=form.values(), complete=strict.is_valid()
        )
    except IntakeLocked:
        return redirect("intake:form_done")
    previous, following = _neighbours(current.slug)
    if going_back:
        return (
            redirect("intake:form_step", step=previous)
            if previous
            else redirect("intake:form_start")
        )
    return (
        redirect("intake:form_step", step=following)
        if following
        else redirect("intake:form_review")
    )


def _answers_shown(request: HttpRequest, session: PatientSession, *, page: str) -> None:
    intake_answers_view_record(
        invitation=session.invitation,
        tablet=session.tablet,
        page=page,
        ip_address=client_ip(request),
    )


@require_GET
@open_form_page
def form_review(request: HttpRequest, session: PatientSession) -> HttpResponse:
    intake = session.intake
    _answers_shown(request, session, page="the review page")
    symptoms = intake.answers.get("symptoms", {})
    context = {
        "rows": review_rows(intake.answers, intake.steps_completed),
        "missing": [s for s in STEPS if s.slug not in intake.steps_completed],
        "regions": symptoms.get("regions", []),
        "side": symptoms.get("side", "left"),
        "number": len(STEPS) + 1,
        "total": len(STEPS) + 1,
        "tablet": session.tablet,
    }
    return render(request, "intake/patient_review.html", context)


def _emergency_page(request: HttpRequest, intake: Intake, *, tablet: bool) -> HttpResponse:
    """A red flag's last page: what to do now for each flag, the emergency number and the
    clinic's phone; never the generic thank-you that says the visit can wait."""
    context = {"advice": emergency_advice(intake.current_triage), "tablet": tablet}
    return render(request, "intake/patient_emergency.html", context)


@require_POST
@patient_page
def form_submit(request: HttpRequest, session: PatientSession) -> HttpResponse:
    try:
        intake_submit(intake=session.intake, now=timezone.now())
    except IntakeIncomplete:
        return redirect("intake:form_review")
    if session.tablet:
        # The clinic's tablet goes back to a screen that shows nothing of this patient, except
        # after a red flag: the patient reads what to do now first (the session is already
        # ended, so the next tap cannot reach their history).
        patient_session_end(request)
        if session.intake.current_triage and session.intake.current_triage.red_flags:
            return _emergency_page(request, session.intake, tablet=True)
        return redirect("intake:tablet")
    return redirect("intake:form_done")


@require_GET
@patient_page
def form_done(request: HttpRequest, session: PatientSession) -> HttpResponse:
    intake = session.intake
    if intake.status != Intake.Status.SUBMITTED:
        return redirect("intake:form_start")
    if intake.current_triage and intake.current_triage.red_flags:
        return _emergency_page(request, intake, tablet=session.tablet)
    return render(request, "intake/patient_done.html", {"tablet": session.tablet})


@require_POST
@patient_session_page
def form_leave(request: HttpRequest, session: PatientSession) -> HttpResponse:
    """Stop for now on the clinic tablet: what was saved stays saved; the screen goes neutral."""
    patient_session_end(request)
    return redirect("intake:tablet")


@require_GET
def tablet(request: HttpRequest) -> HttpResponse:
    """The neutral screen of the clinic tablet between patients."""
    return _private(render(request, "intake/patient_tablet.html"))
