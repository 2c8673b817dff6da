"""Referrals and letters: drafts, preview, signing, live status, download, sending, retry.

Access: `clinician_required` on every view (clinicians and administrators; front desk and
signed-in users without a role get 403, anonymous users the login page), then one gate of
referrals/access.py per object: `case_for_user` (a submitted intake), `referral_for_user`,
`own_draft_for_user` (only the clinician who wrote a draft may change or sign it: a signature is
personal), `letter_for_user`.
State changes are POST only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import clinician_required
from audit.request import client_ip, is_background_poll
from intake.models import Intake
from referrals.access import (
    case_for_user,
    letter_for_user,
    may_change_draft,
    own_draft_for_user,
    referral_for_user,
)
from referrals.forms.letters import (
    UNSAVED_CHANGES_MESSAGE,
    ReferralDraftForm,
    ReferralDraftsForm,
    SignForm,
)
from referrals.models import Letter, Referral
from referrals.pdf import print_css, render_letter_html
from referrals.selectors.letters import (
    HANDOUT_TEMPLATE,
    case_referrals,
    handout_context,
    letter_file_name,
    referral_letter_context,
    referral_row,
    referral_template_name,
)
from referrals.services import letters as services
from referrals.views.outcome import attempt

POLL_SECONDS = 2
T = TypeVar("T")


def _attempt(
    request: HttpRequest, action: Callable[[], T], success: str | Callable[[T], str]
) -> T | None:
    """`attempt` with the letters' refusal, LetterError."""
    return attempt(request, action, success, refusal=services.LetterError)


def _back_to_referral(referral: Referral) -> HttpResponse:
    return redirect("referrals:referral", pk=referral.pk)


# --- the case's referrals -----------------------------------------------------------------------


def _panel_context(intake: Intake) -> dict[str, object]:
    panel = case_referrals(intake)
    return {
        "panel": panel,
        "intake": intake,
        "drafts_form": ReferralDraftsForm(choices=panel.offerable_types),
        "poll_seconds": POLL_SECONDS,
    }


@never_cache
@require_GET
@clinician_required
def case_letters(request: HttpRequest, intake_id: int) -> HttpResponse:
    intake = case_for_user(request.user, intake_id)
    services.case_letters_view_record(
        intake=intake, user=request.user, ip_address=client_ip(request)
    )
    return render(request, "referrals/case_referrals.html", _panel_context(intake))


@never_cache
@require_GET
@clinician_required
def case_letters_panel(request: HttpRequest, intake_id: int) -> HttpResponse:
    """The referrals panel alone: loaded into the case page, and polled (with
    X-Background-Poll) while a letter renders or an e-mail is on its way. Its first load is a
    read of the case and is audited; the polls that follow are not (the page's view was)."""
    intake = case_for_user(request.user, intake_id)
    if not is_background_poll(request):
        services.case_letters_view_record(
            intake=intake, user=request.user, ip_address=client_ip(request)
        )
    return render(request, "referrals/_case_referrals_panel.html", _panel_context(intake))


@require_POST
@clinician_required
def referral_drafts_create(request: HttpRequest, intake_id: int) -> HttpResponse:
    intake = case_for_user(request.user, intake_id)
    panel = case_referrals(intake)
    if panel.review is None:
        messages.error(request, "Review the case before preparing referrals.")
        return redirect("referrals:case", intake_id=intake.pk)
    form = ReferralDraftsForm(request.POST, choices=panel.offerable_types)
    if not form.is_valid():
        context = _panel_context(intake) | {"drafts_form": form}
        return render(request, "referrals/case_referrals.html", context, status=400)
    drafts = services.referral_create_drafts(
        review=panel.review,
        destination_types=form.cleaned_data["destination_types"],
        user=request.user,
    )
    messages.success(
        request,
        ngettext(
            "%(count)d draft referral prepared: check it, preview it, sign it.",
            "%(count)d draft referrals prepared: check, preview and sign each.",
            len(drafts),
        )
        % {"count": len(drafts)},
    )
    if drafts:
        return redirect("referrals:referral", pk=drafts[0].pk)
    return redirect("referrals:case_letters", intake_id=intake.pk)


@require_POST
@clinician_required
def handout_issue(request: HttpRequest, intake_id: int) -> HttpResponse:
    intake = case_for_user(request.user, intake_id)
    _attempt(
        request,
        lambda: services.handout_issue(intake=intake, user=request.user),
        "Self-help handout issued.",
    )
    return redirect("referrals:case_letters", intake_id=intake.pk)


@never_cache
@require_GET
@clinician_required
def handout_preview(request: HttpRequest, intake_id: int) -> HttpResponse:
    intake = case_for_user(request.user, intake_id)
    context = handout_context(letter=Letter(kind=Letter.Kind.HANDOUT, intake=intake, version=0))
    services.letter_preview_record(intake=intake, user=request.user, ip_address=client_ip(request))
    return render(request, HANDOUT_TEMPLATE, context | {"preview": True})


# --- one referral -------------------------------------------------------------------------------


def _render_referral(
    request: HttpRequest,
    referral: Referral,
    *,
    form: ReferralDraftForm | None = None,
    sign_form: SignForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "row": referral_row(referral),
        "referral": referral,
        "can_edit": may_change_draft(request.user, referral),
        "form": form or ReferralDraftForm(referral=referral),
        "sign_form": sign_form or SignForm(),
        "poll_seconds": POLL_SECONDS,
    }
    return render(request, "referrals/referral_detail.html", context, status=status)


@never_cache
@require_GET
@clinician_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = referral_for_user(request.user, pk)
    services.referral_view_record(
        referral=referral, user=request.user, ip_address=client_ip(request)
    )
    return _render_referral(request, referral)


@require_POST
@clinician_required
def referral_edit(request: HttpRequest, pk: int) -> HttpResponse:
    referral = own_draft_for_user(request.user, pk)
    form = ReferralDraftForm(request.POST, referral=referral)
    if not form.is_valid():
        return _render_referral(request, referral, form=form, status=400)
    _attempt(
        request,
        lambda: services.referral_update_draft(
            referral=referral, user=request.user, **form.cleaned_data
        ),
        "Draft saved.",
    )
    return _back_to_referral(referral)


@never_cache
@require_GET
@clinician_required
def referral_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter's HTML, exactly as the worker will render it (a draft shows DRAFT)."""
    referral = referral_for_user(request.user, pk)
    context = referral_letter_context(referral=referral, draft_signer=request.user)
    services.letter_preview_record(
        intake=referral.intake,
        user=request.user,
        referral=referral,
        ip_address=client_ip(request),
    )
    html = render_letter_html(
        referral_template_name(referral.destination_type), context | {"preview": True}
    )
    return HttpResponse(html)


@require_GET
@clinician_required
def letter_css(request: HttpRequest) -> HttpResponse:
    """The print stylesheet of templates/pdf/, for the on-screen preview."""
    return HttpResponse(print_css(), content_type="text/css; charset=utf-8")


@require_POST
@clinician_required
def referral_sign(request: HttpRequest, pk: int) -> HttpResponse:
    referral = own_draft_for_user(request.user, pk)
    sign_form = SignForm(request.POST)
    # The draft's fields come with "Sign" (one form on the page). The clinician attests to the
    # saved letter they previewed, so changed text is kept on the page, not signed unseen.
    form = None
    if any(name in request.POST for name in ReferralDraftForm.base_fields):
        form = ReferralDraftForm(request.POST, referral=referral)
        if form.is_valid() and form.has_changed():
            sign_form.add_error(None, UNSAVED_CHANGES_MESSAGE)
    if not sign_form.is_valid() or (form is not None and not form.is_valid()):
        return _render_referral(request, referral, form=form, sign_form=sign_form, status=400)
    _attempt(
        request,
        lambda: services.referral_sign(referral=referral, user=request.user, now=timezone.now()),
        # The letter's state is the status panel's to say (it polls and follows it); a message
        # about it here would go stale beside "Letter ready".
        "Referral signed.",
    )
    return _back_to_referral(referral)


@require_POST
@clinician_required
def referral_correct(request: HttpRequest, pk: int) -> HttpResponse:
    referral = referral_for_user(request.user, pk)
    draft = _attempt(
        request,
        lambda: services.referral_correct(referral=referral, user=request.user),
        lambda draft: f"Version {draft.version} drafted: edit it, then sign it.",
    )
    return _back_to_referral(draft or referral)


@require_POST
@clinician_required
def referral_send(request: HttpRequest, pk: int) -> HttpResponse:
    referral = referral_for_user(request.user, pk)
    _attempt(
        request,
        lambda: services.referral_send(referral=referral, user=request.user),
        lambda delivery: f"The letter is being e-mailed to {delivery.recipient}.",
    )
    return _back_to_referral(referral)


@never_cache
@require_GET
@clinician_required
def referral_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status fragment of one referral, polled while its letter renders."""
    referral = referral_for_user(request.user, pk)
    context = {"row": referral_row(referral), "poll_seconds": POLL_SECONDS}
    return render(request, "referrals/_referral_status.html", context)


# --- letters ------------------------------------------------------------------------------------


@require_POST
@clinician_required
def letter_retry(request: HttpRequest, pk: int) -> HttpResponse:
    letter = letter_for_user(request.user, pk)
    _attempt(
        request,
        lambda: services.letter_retry(letter=letter, user=request.user),
        "Retry requested.",
    )
    if letter.referral_id:
        return redirect("referrals:referral", pk=letter.referral_id)
    return redirect("referrals:case_letters", intake_id=letter.intake_id)


@never_cache
@require_GET
@clinician_required
def letter_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored PDF, only if it still matches its SHA-256; never cached, always audited."""
    letter = letter_for_user(request.user, pk)
    if letter.status != Letter.Status.READY:
        raise Http404("This letter is not ready.")
    try:
        pdf = services.letter_read_verified(letter=letter)
    except services.LetterIntegrityError as exc:
        services.letter_mark_damaged(letter=letter, user=request.user, reason=str(exc))
        context = {"letter": letter, "reason": str(exc), "back": _letter_back_url(letter)}
        return render(request, "referrals/letter_damaged.html", context, status=409)
    services.letter_download_record(letter=letter, user=request.user, ip_address=client_ip(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter_file_name(letter)}"'
    response["Cache-Control"] = "no-store"
    return response


def _letter_back_url(letter: Letter) -> str:
    if letter.referral_id:
        return reverse("referrals:referral", kwargs={"pk": letter.referral_id})
    return reverse("referrals:case_letters", kwargs={"intake_id": letter.intake_id})
