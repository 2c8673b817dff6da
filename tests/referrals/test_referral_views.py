"""The clinician's referral pages: prepare drafts, edit, preview, sign, correct, follow the letter."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.actions import AuditAction
from audit.models import AuditEvent
from referrals.models import CaseReview, Letter, OutboxMessage, Referral
from tests.referrals.factories import (
    DestinationFactory,
    draft_referral,
    ready_referral,
    reviewed_case,
    signed_referral,
)

XRAY_ONLY_HISTORY = {
    "schema_version": "1",
    "symptoms": {"regions": ["dorsum"], "sensations": ["numbness"], "weeks_since_onset": 1},
    "injury": {"recent_injury": True, "swelling": True, "bone_tenderness": ["base_5th_metatarsal"]},
}
HOSTILE = '<img src="file:///etc/passwd"><script>alert(1)</script>'


@pytest.fixture
def review(clinician):
    return reviewed_case(clinician=clinician)


@pytest.fixture
def draft(clinician) -> Referral:
    """A draft referral of `clinician`'s, its author."""
    return draft_referral(clinician=clinician)


def _post(client, name: str, pk: int, data: dict | None = None, **kwargs):
    return client.post(reverse(f"referrals:{name}", args=[pk]), data or {}, **kwargs)


# --- preparing drafts ---------------------------------------------------------------------------


def test_the_panel_offers_the_reviews_referral_actions(clinician_client, review) -> None:
    response = clinician_client.get(
        reverse("referrals:case_letters_panel", args=[review.intake_id])
    )

    page = response.content.decode()
    assert review.actions == ["xray", "inserts", "self_help"]
    assert 'value="xray"' in page
    assert 'value="inserts"' in page
    assert 'value="self_help"' not in page  # the handout is offered on its own
    assert "Make the handout" in page


def test_preparing_drafts_creates_one_per_ticked_action_and_opens_the_first(
    clinician_client, clinician, review
) -> None:
    DestinationFactory(destination_type="xray", name="Only radiology")

    response = _post(
        clinician_client,
        "referral_drafts_create",
        review.intake_id,
        {"destination_types": ["xray", "inserts"]},
    )

    drafts = list(Referral.objects.order_by("id"))
    assert [d.destination_type for d in drafts] == ["xray", "inserts"]
    assert all(d.status == Referral.Status.DRAFT and d.clinician == clinician for d in drafts)
    assert drafts[0].destination.name == "Only radiology"  # the directory's only one
    assert drafts[1].destination is None
    assert drafts[0].clinical_question.startswith("Weight-bearing dorsoplantar, oblique")
    assert response["Location"] == reverse("referrals:referral", args=[drafts[0].pk])


def _draft_after_internal_notes(client) -> Referral:
    review = reviewed_case(notes="Internal: patient anxious, query malingering.")
    _post(client, "referral_drafts_create", review.intake_id, {"destination_types": ["xray"]})
    return Referral.objects.get()


def test_a_draft_does_not_carry_the_reviews_internal_notes(clinician_client) -> None:
    referral = _draft_after_internal_notes(clinician_client)

    assert referral.notes == ""


def test_the_preview_of_a_fresh_draft_shows_no_internal_notes(clinician_client) -> None:
    referral = _draft_after_internal_notes(clinician_client)

    preview = _get_preview(clinician_client, referral)

    assert "malingering" not in preview
    assert "Weight-bearing dorsoplantar, oblique and lateral views" in preview


def _get_preview(client, referral: Referral) -> str:
    return client.get(reverse("referrals:referral_preview", args=[referral.pk])).content.decode()


def test_preparing_one_draft_says_so_in_the_singular(clinician_client, review) -> None:
    response = _post(
        clinician_client,
        "referral_drafts_create",
        review.intake_id,
        {"destination_types": ["xray"]},
        follow=True,
    )

    assert "1 draft referral prepared: check it, preview it, sign it." in response.content.decode()


def test_preparing_the_same_drafts_twice_creates_them_once(clinician_client, review) -> None:
    for _ in range(2):
        _post(
            clinician_client,
            "referral_drafts_create",
            review.intake_id,
            {"destination_types": ["xray"]},
        )

    assert Referral.objects.count() == 1


def test_preparing_drafts_with_nothing_ticked_says_what_to_do(clinician_client, review) -> None:
    response = _post(clinician_client, "referral_drafts_create", review.intake_id)

    assert response.status_code == 400
    assert "Tick at least one referral to prepare." in response.content.decode()
    assert not Referral.objects.exists()


def test_an_action_the_review_did_not_accept_cannot_become_a_referral(
    clinician_client, review
) -> None:
    response = _post(
        clinician_client,
        "referral_drafts_create",
        review.intake_id,
        {"destination_types": ["surgery_review"]},
    )

    assert response.status_code == 400
    assert not Referral.objects.exists()


# --- editing, previewing, signing ----------------------------------------------------------------


def test_the_author_edits_a_draft(clinician_client, draft) -> None:
    _post(
        clinician_client,
        "referral_edit",
        draft.pk,
        {
            "destination": draft.destination_id,
            "clinical_question": "New question?",
            "notes": "New notes.",
        },
    )

    draft.refresh_from_db()
    assert (draft.clinical_question, draft.notes) == ("New question?", "New notes.")


def test_an_empty_question_is_refused_and_keeps_what_was_typed(clinician_client, draft):
    response = _post(
        clinician_client,
        "referral_edit",
        draft.pk,
        {"clinical_question": "   ", "notes": "Notes I typed."},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Write the clinical question" in page
    assert "Notes I typed." in page
    draft.refresh_from_db()
    assert draft.notes == "Marathon in 6 weeks."


def test_a_destination_of_another_type_is_refused(clinician_client, draft) -> None:
    other = DestinationFactory(destination_type="inserts")

    response = _post(
        clinician_client,
        "referral_edit",
        draft.pk,
        {"destination": other.pk, "clinical_question": "Q?"},
    )

    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.destination != other


def test_the_preview_is_the_letters_html_with_patient_text_escaped(clinician_client, clinician):
    referral = draft_referral(clinician=clinician, first_name=HOSTILE, notes=HOSTILE)

    response = clinician_client.get(reverse("referrals:referral_preview", args=[referral.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "DRAFT — not signed" in page
    assert "<script>alert(1)</script>" not in page
    assert '<img src="file:' not in page
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in page
    assert reverse("referrals:letter_css") in page
    assert AuditEvent.objects.filter(action="letter.previewed").exists()


def test_previewing_the_handout_is_audited_by_its_service(clinician_client, clinician) -> None:
    intake = reviewed_case(clinician=clinician).intake

    response = clinician_client.get(reverse("referrals:handout_preview", args=[intake.pk]))

    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.LETTER_PREVIEWED)
    assert (event.actor, event.intake_id, event.detail) == (
        clinician,
        intake.pk,
        "self-help handout",
    )


def test_the_preview_stylesheet_is_the_print_css(clinician_client) -> None:
    response = clinician_client.get(reverse("referrals:letter_css"))

    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert b"counter(pages)" in response.content


def test_signing_needs_the_confirmation_ticked(clinician_client, draft) -> None:
    response = _post(clinician_client, "referral_sign", draft.pk)

    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Referral.Status.DRAFT


def test_the_message_after_signing_says_nothing_the_letter_state_can_contradict(
    clinician_client, draft
) -> None:
    response = _post(clinician_client, "referral_sign", draft.pk, {"confirm": "on"}, follow=True)

    assert [str(message) for message in response.context["messages"]] == ["Referral signed."]


def test_signing_freezes_the_referral_and_queues_its_letter(
    clinician_client, draft, clinician
) -> None:
    response = _post(clinician_client, "referral_sign", draft.pk, {"confirm": "on"}, follow=True)

    page = response.content.decode()
    assert "Signed · letter queued" in page
    assert 'hx-trigger="every 2s"' in page
    assert "X-Background-Poll" in page
    draft.refresh_from_db()
    assert draft.status == Referral.Status.SIGNED
    assert draft.signer_registration == clinician.staff_profile.registration_number
    assert Letter.objects.get(referral=draft).status == Letter.Status.PENDING
    assert OutboxMessage.objects.count() == 1


def test_signing_with_the_saved_text_sent_along_signs(clinician_client, draft) -> None:
    page_fields = {
        "destination": draft.destination_id,
        "clinical_question": draft.clinical_question,
        "notes": draft.notes,
    }

    _post(clinician_client, "referral_sign", draft.pk, page_fields | {"confirm": "on"})

    draft.refresh_from_db()
    assert draft.status == Referral.Status.SIGNED


def test_signing_with_unsaved_changes_keeps_them_and_signs_nothing(clinician_client, draft) -> None:
    response = _post(
        clinician_client,
        "referral_sign",
        draft.pk,
        {
            "destination": draft.destination_id,
            "clinical_question": "A question typed but never saved?",
            "notes": draft.notes,
            "confirm": "on",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "The draft has changes that are not saved" in page
    assert "A question typed but never saved?" in page
    draft.refresh_from_db()
    assert draft.status == Referral.Status.DRAFT
    assert draft.clinical_question == "Stress fracture of the 3rd metatarsal shaft?"
    assert not Letter.objects.exists()


def test_a_signed_referral_cannot_be_edited_or_signed_again(clinician_client, clinician) -> None:
    referral = signed_referral(clinician=clinician)

    edit = _post(
        clinician_client,
        "referral_edit",
        referral.pk,
        {"clinical_question": "Changed?"},
        follow=True,
    )
    sign = _post(clinician_client, "referral_sign", referral.pk, {"confirm": "on"}, follow=True)

    assert "can no longer be changed; correct it" in edit.content.decode()
    assert "already been signed" in sign.content.decode()
    referral.refresh_from_db()
    assert referral.clinical_question != "Changed?"
    assert Letter.objects.count() == 1


def test_a_correction_is_a_new_version_that_supersedes_the_signed_one(
    clinician_client, clinician
) -> None:
    referral = signed_referral(clinician=clinician)

    response = _post(clinician_client, "referral_correct", referral.pk)

    new = Referral.objects.get(supersedes=referral)
    assert response["Location"] == reverse("referrals:referral", args=[new.pk])
    assert (new.version, new.status) == (2, Referral.Status.DRAFT)
    assert new.clinical_question == referral.clinical_question

    _post(clinician_client, "referral_sign", new.pk, {"confirm": "on"})
    assert Letter.objects.get(referral=new).version == 2
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SIGNED  # untouched


def test_a_superseded_referral_cannot_be_sent(clinician_client, clinician) -> None:
    referral = ready_referral(clinician=clinician)
    correction = Referral.objects.get(
        pk=_post(clinician_client, "referral_correct", referral.pk)["Location"].split("/")[-2]
    )
    _post(clinician_client, "referral_sign", correction.pk, {"confirm": "on"})

    response = _post(clinician_client, "referral_send", referral.pk, follow=True)

    assert "A newer version of this referral exists" in response.content.decode()


def test_the_status_fragment_stops_polling_once_the_letter_is_ready(clinician_client, clinician):
    referral = ready_referral(clinician=clinician)

    response = clinician_client.get(
        reverse("referrals:referral_status", args=[referral.pk]), HTTP_X_BACKGROUND_POLL="1"
    )

    page = response.content.decode()
    assert "Letter ready" in page
    assert "Download PDF" in page
    assert "hx-trigger" not in page


def test_the_case_panel_polls_while_a_letter_renders(clinician_client, clinician) -> None:
    referral = signed_referral(clinician=clinician)
    url = reverse("referrals:case_letters_panel", args=[referral.intake_id])

    rendering = clinician_client.get(url).content.decode()
    Letter.objects.update(status=Letter.Status.READY)
    Referral.objects.update(status=Referral.Status.READY)
    ready = clinician_client.get(url).content.decode()

    assert 'hx-trigger="every 2s"' in rendering
    assert '{"X-Background-Poll": "1"}' in rendering
    assert "hx-trigger" not in ready
    assert "Letter ready" in ready


def test_a_failed_letter_shows_its_error_and_a_retry_button(clinician_client, clinician) -> None:
    referral = signed_referral(clinician=clinician)
    letter = referral.letters.get()
    Letter.objects.update(status=Letter.Status.FAILED, error="Rendering took too long.")
    Referral.objects.update(status=Referral.Status.FAILED, error="Rendering took too long.")

    page = clinician_client.get(reverse("referrals:referral", args=[referral.pk])).content.decode()
    _post(clinician_client, "letter_retry", letter.pk)

    assert "Rendering took too long." in page
    assert reverse("referrals:letter_retry", args=[letter.pk]) in page
    letter.refresh_from_db()
    assert letter.status == Letter.Status.PENDING


def test_the_handout_is_issued_once(clinician_client, review) -> None:
    for _ in range(2):
        _post(clinician_client, "handout_issue", review.intake_id)

    handout = Letter.objects.get(kind=Letter.Kind.HANDOUT)
    assert handout.intake == review.intake
    assert OutboxMessage.objects.filter(object_id=handout.pk).count() == 1


def test_no_handout_without_self_help_in_the_review(clinician_client, clinician) -> None:
    review = reviewed_case(clinician=clinician, history=XRAY_ONLY_HISTORY)
    assert review.actions == ["xray"]

    response = _post(clinician_client, "handout_issue", review.intake_id, follow=True)

    assert "includes no self-help advice" in response.content.decode()
    assert not Letter.objects.exists()


def test_a_draft_cannot_be_signed_once_its_review_was_withdrawn(clinician_client, draft):
    CaseReview.objects.filter(intake=draft.intake).delete()

    response = _post(clinician_client, "referral_sign", draft.pk, {"confirm": "on"}, follow=True)

    assert "review was withdrawn" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Referral.Status.DRAFT
    assert not Letter.objects.exists()


def test_a_draft_the_new_review_no_longer_asks_for_cannot_be_signed(clinician_client, clinician):
    referral = draft_referral(clinician=clinician, destination_type="xray")
    CaseReview.objects.filter(intake=referral.intake).update(actions=["inserts"])

    response = _post(clinician_client, "referral_sign", referral.pk, {"confirm": "on"}, follow=True)

    assert "no longer includes this referral" in response.content.decode()
    assert not Letter.objects.exists()
