"""The patient's pages after the review, reached by a self-help link: the handout page with its
PDF, and the follow-up check-in. No account; the link comes from the session
(referrals/patient_session.py), never from the URL. Every response is private."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from audit.request import client_ip
from intake.tokens import token_attempt_allowed
from intake.views.patient import _link_not_valid, _private, _token_page
from referrals.forms.selfhelp import FollowUpForm
from referrals.models import FollowUp, Letter, PatientLink
from referrals.patient_session import patient_link_session_bind, patient_link_session_get
from referrals.selectors.letters import handout_context, letter_file_name
from referrals.services import letters as letter_services
from referrals.services import selfhelp as services

View = Callable[..., HttpResponse]


def patient_link_page(kind: str) -> Callable[[View], View]:
    """The session's live link of `kind`, or the plain "link not valid" page."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            link = patient_link_session_get(request, now=timezone.now())
            if link is None or link.kind != kind:
                return _private(_link_not_valid(request, status=403))
            return _private(view(request, link, *args, **kwargs))

        return wrapper

    return decorator


@require_GET
def patient_link(request: HttpRequest, token: str) -> HttpResponse:
    """Trade the token for a session and move to a URL without it."""
    if not token_attempt_allowed(address=client_ip(request)):
        response = render(request, "intake/patient_too_many.html", status=429)
        response["Retry-After"] = "60"
        return _token_page(response)
    now = timezone.now()
    link = services.patient_link_redeem(token=token, now=now)
    if link is None:
        return _token_page(_link_not_valid(request))
    patient_link_session_bind(request, link=link, now=now)
    if link.kind == PatientLink.Kind.HANDOUT:
        return _token_page(redirect("selfhelp:handout"))
    return _token_page(redirect("selfhelp:follow_up"))


@require_GET
@patient_link_page(PatientLink.Kind.HANDOUT)
def handout(request: HttpRequest, link: PatientLink) -> HttpResponse:
    letter = services.handout_for_link(link)
    # Before the PDF is rendered the page shows the same advice from an unsaved letter, as the
    # clinician's preview does.
    shown = letter or Letter(kind=Letter.Kind.HANDOUT, intake=link.intake, version=0)
    context = handout_context(letter=shown)
    return render(request, "referrals/patient_handout.html", context | {"letter": letter})


@require_GET
@patient_link_page(PatientLink.Kind.HANDOUT)
def handout_download(request: HttpRequest, link: PatientLink) -> HttpResponse:
    letter = services.handout_for_link(link)
    if letter is None:
        raise Http404("The handout is not ready yet.")
    try:
        pdf = letter_services.letter_read_verified(letter=letter)
    except letter_services.LetterIntegrityError as exc:
        raise Http404("The handout is not available; please call the clinic.") from exc
    services.handout_download_record(
        link=link, letter=letter, now=timezone.now(), ip_address=client_ip(request)
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter_file_name(letter)}"'
    return response


@require_http_methods(["GET", "POST"])
@patient_link_page(PatientLink.Kind.FOLLOW_UP)
def follow_up(request: HttpRequest, link: PatientLink) -> HttpResponse:
    follow_up = link.follow_up
    if follow_up is None or follow_up.status != FollowUp.Status.SENT:
        return render(request, "referrals/patient_follow_up_done.html", {"follow_up": follow_up})
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Answered in another tab meanwhile: the thank-you page says so.
        with suppress(services.SelfHelpError):
            services.follow_up_answer(
                follow_up=follow_up, answers=form.answers(), now=timezone.now()
            )
        return redirect("selfhelp:follow_up")
    status = 400 if request.method == "POST" else 200
    return render(request, "referrals/patient_follow_up.html", {"form": form}, status=status)
