"""Reads for referrals and letters: what the case page shows, and what a letter says.

A letter's content is assembled here (`letter_document`) and drawn by templates/pdf/; the worker
and the clinician's preview read the same function, so the preview is the letter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import StaffProfile
from intake import triage as engine
from intake.models import Intake, TriageRecord
from referrals.charts import training_load_chart
from referrals.models import CaseReview, Delivery, Destination, DestinationType, Letter, Referral
from referrals.selectors.urgent import emergency_contact
from referrals.summary import history_summary

HANDOUT_TEMPLATE = "pdf/handout.html"
# Letters still on their way: the case page polls while any is in one of these states.
IN_PROGRESS_LETTER = (Letter.Status.PENDING, Letter.Status.RENDERING)


# --- the case page ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReferralRow:
    """One current referral (the newest version) and what can be done with it now."""

    referral: Referral
    letter: Letter | None
    delivery: Delivery | None
    previous_versions: tuple[Referral, ...] = ()

    @property
    def in_progress(self) -> bool:
        return self.letter is not None and self.letter.status in IN_PROGRESS_LETTER

    @property
    def sending(self) -> bool:
        return self.delivery is not None and self.delivery.status == Delivery.Status.PENDING

    @property
    def has_email_address(self) -> bool:
        destination = self.referral.destination
        return destination is not None and bool(destination.email)

    @property
    def can_send(self) -> bool:
        return (
            self.referral.status == Referral.Status.READY
            and self.has_email_address
            and not self.sending
        )

    @property
    def ready_without_email_address(self) -> bool:
        """A ready letter that can only be printed: the page says so and how to change it."""
        return self.referral.status == Referral.Status.READY and not self.has_email_address


@dataclass(frozen=True, slots=True)
class CaseReferrals:
    intake: Intake
    review: CaseReview | None
    rows: tuple[ReferralRow, ...]
    # Destination types of the review's actions that have no referral yet: offered as drafts.
    offerable_types: tuple[tuple[str, str], ...]
    handout_wanted: bool
    handout: Letter | None
    superseded_handouts: tuple[Letter, ...] = field(default=())

    @property
    def polling(self) -> bool:
        """True while a letter renders or an e-mail is on its way: the panel refreshes itself."""
        handout_busy = self.handout is not None and self.handout.status in IN_PROGRESS_LETTER
        return handout_busy or any(row.in_progress or row.sending for row in self.rows)


def review_for_intake(intake: Intake) -> CaseReview | None:
    return CaseReview.objects.filter(intake=intake).select_related("triage_record").first()


def _current_referrals(intake: Intake) -> QuerySet[Referral]:
    return (
        Referral.objects.filter(intake=intake, superseded_by__isnull=True)
        .select_related("destination", "clinician")
        .prefetch_related(
            Prefetch("letters", queryset=Letter.objects.order_by("-version", "-id")),
            Prefetch(
                "letters__deliveries",
                queryset=Delivery.objects.filter(channel=Delivery.Channel.EMAIL),
            ),
        )
        .order_by("created_at", "id")
    )


def _history_of(referral: Referral) -> tuple[Referral, ...]:
    versions = []
    current = referral.supersedes
    while current is not None:
        versions.append(current)
        current = current.supersedes
    return tuple(versions)


def case_referrals(intake: Intake) -> CaseReferrals:
    """The referrals panel of a case: current referrals with their letters, what can be added."""
    review = review_for_intake(intake)
    rows = []
    for referral in _current_referrals(intake):
        letters = list(referral.letters.all())
        letter = letters[0] if letters else None
        deliveries = list(letter.deliveries.all()) if letter else []
        rows.append(
            ReferralRow(
                referral=referral,
                letter=letter,
                delivery=deliveries[0] if deliveries else None,
                previous_versions=_history_of(referral) if referral.supersedes_id else (),
            )
        )
    taken = {row.referral.destination_type for row in rows}
    actions = list(review.actions) if review else []
    offerable = tuple(
        (code, DestinationType(code).label)
        for code in actions
        if code in DestinationType.values and code not in taken
    )
    handouts = list(
        Letter.objects.filter(intake=intake, kind=Letter.Kind.HANDOUT).order_by("-version")
    )
    return CaseReferrals(
        intake=intake,
        review=review,
        rows=tuple(rows),
        offerable_types=offerable,
        handout_wanted=review is not None and handout_advice_wanted(review),
        handout=handouts[0] if handouts else None,
        superseded_handouts=tuple(handouts[1:]),
    )


def handout_advice_wanted(review: CaseReview) -> bool:
    """The patient gets the self-help handout when the review keeps self-help or any advice."""
    return engine.SELF_HELP in (review.actions or []) or bool(review.triage_record.advice)


def destinations_for(destination_type: str) -> QuerySet[Destination]:
    return Destination.objects.filter(destination_type=destination_type, active=True)


def referral_get(pk: int) -> Referral | None:
    return (
        Referral.objects.select_related("intake__patient", "destination", "clinician", "supersedes")
        .filter(pk=pk)
        .first()
    )


def referral_row(referral: Referral) -> ReferralRow:
    letter = referral.letters.order_by("-version", "-id").first()
    delivery = letter.deliveries.filter(channel=Delivery.Channel.EMAIL).first() if letter else None
    newer = Referral.objects.filter(supersedes=referral).first()
    return ReferralRow(
        referral=referral,
        letter=letter,
        delivery=delivery,
        previous_versions=(newer,) if newer else (),
    )


def letter_get(pk: int) -> Letter | None:
    return Letter.objects.select_related("intake__patient", "referral").filter(pk=pk).first()


# --- what a letter says -------------------------------------------------------------------------


def letter_reference(letter_or_referral: Letter | Referral) -> str:
    """The reference printed on a letter and used in file names: never a patient identifier."""
    if isinstance(letter_or_referral, Referral):
        return f"R{letter_or_referral.pk}-v{letter_or_referral.version}"
    if letter_or_referral.referral_id:
        return f"R{letter_or_referral.referral_id}-v{letter_or_referral.version}"
    return f"H{letter_or_referral.intake_id}-v{letter_or_referral.version}"


def letter_file_name(letter: Letter) -> str:
    kind = "referral" if letter.kind == Letter.Kind.REFERRAL else "self-help"
    return f"{kind}-{letter_reference(letter)}.pdf"


def _triage_record(intake: Intake) -> TriageRecord | None:
    review = review_for_intake(intake)
    if review is not None:
        return review.triage_record
    return intake.current_triage


def _labels(codes: Iterable[str], labels: dict[str, str]) -> list[str]:
    return [labels.get(code, code.replace("_", " ")) for code in codes]


def _clinic() -> dict[str, str]:
    return {
        "name": settings.CLINIC_NAME,
        "address": settings.CLINIC_ADDRESS,
        "phone": settings.CLINIC_PHONE,
        "email": settings.CLINIC_EMAIL,
    }


def _symptoms(intake: Intake) -> tuple[list[str], str]:
    symptoms = (intake.history or {}).get("symptoms") or {}
    return list(symptoms.get("regions") or []), symptoms.get("side") or "left"


def _signature(referral: Referral, draft_signer: AbstractBaseUser | None) -> dict[str, Any]:
    if referral.status != Referral.Status.DRAFT:
        return {
            "name": referral.signer_name,
            "title": referral.signer_title,
            "registration": referral.signer_registration,
            "date": timezone.localdate(referral.signed_at) if referral.signed_at else None,
            "signed": True,
        }
    user = draft_signer or referral.clinician
    profile = StaffProfile.objects.filter(user=user).first()
    return {
        "name": user.get_full_name() or user.get_username(),
        "title": profile.job_title if profile else "",
        "registration": profile.registration_number if profile else "",
        "date": None,
        "signed": False,
    }


def referral_letter_context(
    *, referral: Referral, draft_signer: AbstractBaseUser | None = None
) -> dict[str, Any]:
    """Everything a referral letter shows. Patient text stays plain strings: the templates
    autoescape it."""
    intake = referral.intake
    record = _triage_record(intake)
    regions, side = _symptoms(intake)
    disposition = engine.DISPOSITION_BY_CODE[referral.destination_type]
    # Letters go to colleagues: each reason in the clinician's voice.
    reasons = [
        reason | {"text": engine.stored_clinician_text(reason)}
        for reason in (record.reasons if record else [])
    ]
    return {
        "kind": Letter.Kind.REFERRAL,
        "clinic": _clinic(),
        "reference": letter_reference(referral),
        "document_title": f"Referral letter {letter_reference(referral)}",
        "today": timezone.localdate(referral.signed_at) if referral.signed_at else None,
        "draft": referral.status == Referral.Status.DRAFT,
        "urgent": referral.destination_type == engine.URGENT,
        # The urgent letter says the patient was told to attend only when a contact says so.
        "emergency_contact": emergency_contact(intake=intake, until=referral.signed_at)
        if referral.destination_type == engine.URGENT
        else None,
        "patient": intake.patient,
        "intake": intake,
        "referral": referral,
        "destination": referral.destination,
        "disposition": disposition,
        "history_sections": history_summary(intake.history),
        "regions": regions,
        "side": side,
        "chart": training_load_chart(intake.history) if intake.history else None,
        "reasons_for_this": [r for r in reasons if r.get("action") == referral.destination_type],
        "other_reasons": [
            r
            for r in reasons
            if r.get("action") not in (referral.destination_type, engine.SELF_HELP)
        ],
        # The self-help reasons went to the patient in full (the handout); the recipient gets
        # their rules and what each found, by its clinical title, in one line.
        "self_help_rules": [r["rule"] for r in reasons if r.get("action") == engine.SELF_HELP],
        "self_help_advice": [
            engine.RULE_TITLES[r["rule"]]
            for r in reasons
            if r.get("action") == engine.SELF_HELP and r.get("rule") in engine.RULE_TITLES
        ],
        "red_flags": _labels(record.red_flags if record else [], engine.RED_FLAG_LABELS),
        "consider": _labels(record.consider if record else [], engine.CONSIDER_LABELS),
        "rules_version": record.rules_version if record else "",
        "signature": _signature(referral, draft_signer),
    }


def handout_context(*, letter: Letter) -> dict[str, Any]:
    """The patient's self-help handout: plain words, the advice that applies, when to return."""
    intake = letter.intake
    record = _triage_record(intake)
    codes = [code for code in (record.advice if record else []) if code in engine.ADVICE]
    if not codes:
        codes = ["general"]  # SH-0: no specific rule fired
    regions, side = _symptoms(intake)
    return {
        "kind": Letter.Kind.HANDOUT,
        "clinic": _clinic(),
        "reference": letter_reference(letter),
        "document_title": "Your self-help plan",
        "today": timezone.localdate(letter.created_at) if letter.created_at else None,
        "draft": False,
        "urgent": False,
        "patient": intake.patient,
        "intake": intake,
        "advice": [engine.ADVICE[code] for code in codes],
        "regions": regions,
        "side": side,
        "come_back_weeks": 6,
    }


def referral_template_name(destination_type: str) -> str:
    return f"pdf/letters/{DestinationType(destination_type).value}.html"


def letter_document(letter: Letter) -> tuple[str, dict[str, Any]]:
    """The template and context the worker renders for one letter."""
    if letter.kind == Letter.Kind.HANDOUT:
        return HANDOUT_TEMPLATE, handout_context(letter=letter)
    referral = (
        Referral.objects.select_related("intake__patient", "destination")
        .filter(pk=letter.referral_id)
        .get()
    )
    return referral_template_name(referral.destination_type), referral_letter_context(
        referral=referral
    )
