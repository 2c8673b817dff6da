"""What a rendered letter says, read back from the PDF with pypdf."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from intake.triage import ADVICE, RULE_TITLES
from referrals.models import DestinationType, Letter
from referrals.pdf import render_pdf
from referrals.selectors.letters import (
    handout_context,
    letter_document,
    referral_letter_context,
    referral_template_name,
)
from referrals.services.letters import letter_read_verified, letter_render
from tests.referrals.factories import (
    QUIET_HISTORY,
    RED_FLAG_HISTORY,
    DestinationFactory,
    draft_referral,
    pdf_text,
    ready_referral,
    reviewed_case,
)

HEADINGS = {
    "urgent": "Referral for same-day emergency assessment",
    "xray": "Request: weight-bearing X-ray series of the foot",
    "spine_review": "Referral for spine assessment",
    "medical_review": "Request for medical review",
    "surgery_review": "Referral for a surgical opinion",
    "injection": "Referral for a nerve injection",
    "inserts": "Referral for shoe inserts (orthoses)",
}


def _letter_pdf(referral) -> bytes:
    letter = referral.letters.get()
    return letter_read_verified(letter=letter)


@pytest.mark.django_db
def test_a_letter_names_the_patient_the_destination_every_reason_and_its_page_count() -> None:
    destination = DestinationFactory(name="Riverside Radiology", destination_type="xray")
    referral = ready_referral(
        first_name="Ann", last_name="Hathaway", mrn="MRN424242", destination=destination
    )

    text = pdf_text(_letter_pdf(referral))

    assert "Ann Hathaway" in text
    assert "MRN424242" in text
    assert "Riverside Radiology" in text
    record = referral.intake.review.triage_record
    assert len(record.reasons) > 3
    for reason in record.reasons:
        assert reason["rule"] in text
        if reason["action"] != "self_help":  # self-help reasons: the advice, in one line
            assert " ".join(reason["clinician_text"].split())[:60] in text
    for reason in record.reasons:
        if reason["action"] == "self_help":
            assert RULE_TITLES[reason["rule"]].lower() in text
    assert "page 1 of 2" in text.lower()


@pytest.mark.django_db
def test_a_letter_gives_the_reasons_in_the_clinicians_voice_never_the_patients() -> None:
    referral = ready_referral()

    text = pdf_text(_letter_pdf(referral))

    assert "You told us" not in text
    assert "your " not in text.lower().replace("yours sincerely", "")


@pytest.mark.django_db
def test_a_letter_from_a_record_made_before_the_two_voices_quotes_the_patients_words() -> None:
    referral = draft_referral(destination_type="xray")
    record = referral.intake.current_triage
    for reason in record.reasons:
        del reason["clinician_text"]
    record.save()

    context = referral_letter_context(referral=referral)

    (reason,) = [r for r in context["reasons_for_this"] if r["rule"] == "XR-2"]
    assert reason["text"].startswith('Possible stress fracture. As explained to the patient: "')


@pytest.mark.django_db
def test_a_letter_carries_the_question_notes_history_figures_and_signature() -> None:
    referral = ready_referral(
        clinical_question="Is there a stress fracture of the third metatarsal?",
        notes="Running a marathon in six weeks.",
    )

    text = pdf_text(_letter_pdf(referral))

    assert "Is there a stress fracture of the third metatarsal?" in text
    assert "Running a marathon in six weeks." in text
    assert "Weekly distance now: 52 km" in text  # the history summary
    assert "Left foot, marked:" in text  # the foot map's legend
    assert "Training load" in text  # the chart
    assert "Morton's neuroma" in text  # conditions to consider
    assert referral.signer_name in text
    assert referral.signer_registration in text
    assert "Sports physician" in text


@pytest.mark.django_db
@pytest.mark.parametrize("destination_type", DestinationType.values)
def test_each_destination_type_has_its_own_letter(destination_type: str) -> None:
    referral = draft_referral(destination_type=destination_type, last_name="Typecheck")

    template, context = (
        referral_template_name(destination_type),
        referral_letter_context(referral=referral),
    )
    text = pdf_text(render_pdf(template, context))

    assert template == f"pdf/letters/{destination_type}.html"
    assert HEADINGS[destination_type] in text
    assert "Typecheck" in text


@pytest.mark.django_db
def test_an_urgent_letter_says_urgent_on_its_first_line() -> None:
    referral = ready_referral(destination_type="urgent", history=RED_FLAG_HISTORY)

    reader = PdfReader(io.BytesIO(_letter_pdf(referral)))
    first_line = reader.pages[0].extract_text().splitlines()[0]

    assert first_line.startswith("URGENT")


@pytest.mark.django_db
def test_a_letter_lists_the_red_flags() -> None:
    referral = ready_referral(destination_type="spine_review", history=RED_FLAG_HISTORY)

    text = pdf_text(_letter_pdf(referral))

    assert "Red flags" in text
    assert "URG-1" in text
    assert not text.startswith("URGENT")  # only the urgent letter itself is marked urgent


@pytest.mark.django_db
def test_a_non_urgent_letter_does_not_say_urgent_on_its_first_line() -> None:
    referral = ready_referral(destination_type="xray")

    reader = PdfReader(io.BytesIO(_letter_pdf(referral)))

    assert not reader.pages[0].extract_text().startswith("URGENT")


@pytest.mark.django_db
@pytest.mark.parametrize(("paper", "width"), [("A4", 595), ("Letter", 612)])
def test_the_paper_size_follows_the_setting(settings, paper: str, width: int) -> None:
    settings.LETTER_PAPER_SIZE = paper
    referral = ready_referral()

    reader = PdfReader(io.BytesIO(_letter_pdf(referral)))

    assert round(float(reader.pages[0].mediabox.width)) == width


@pytest.mark.django_db
def test_a_draft_preview_is_marked_draft_and_unsigned() -> None:
    referral = draft_referral()

    text = pdf_text(render_pdf(*_draft_document(referral)))

    assert "DRAFT — not signed" in text
    assert "Not signed (draft)" in text


def _draft_document(referral):
    return referral_template_name(referral.destination_type), referral_letter_context(
        referral=referral
    )


@pytest.mark.django_db
def test_the_handout_gives_the_advice_of_the_case_in_plain_words() -> None:
    review = reviewed_case()
    letter = Letter.objects.create(kind=Letter.Kind.HANDOUT, intake=review.intake)

    letter_render(letter_id=letter.pk)
    text = pdf_text(letter_read_verified(letter=Letter.objects.get(pk=letter.pk)))

    assert "Your self-help plan" in text
    for code in review.triage_record.advice:
        assert ADVICE[code].title in text
        assert " ".join(ADVICE[code].patient_text.split())[:50] in text
    assert "no better after 6 weeks" in text
    assert "emergency department" in text
    assert "Left foot, marked:" in text


@pytest.mark.django_db
def test_the_handout_gives_the_general_advice_when_no_rule_fired() -> None:
    review = reviewed_case(history=QUIET_HISTORY)
    letter = Letter(kind=Letter.Kind.HANDOUT, intake=review.intake, version=1)

    text = pdf_text(render_pdf(*letter_document(letter)))

    assert review.triage_record.disposition == "self_help"
    assert ADVICE["general"].title in text
    assert ADVICE["looser_lacing"].title not in text


@pytest.mark.django_db
def test_the_handout_context_never_names_a_referral() -> None:
    review = reviewed_case()
    context = handout_context(letter=Letter(kind=Letter.Kind.HANDOUT, intake=review.intake))

    assert "referral" not in context
    assert [advice.code for advice in context["advice"]] == review.triage_record.advice
