"""Every URL of referrals and letters, walked by every persona, and with the wrong method.

The draft belongs to `clinician`: only its author may change or sign it (a signature is
personal, so not even an administrator signs for someone else); every other clinical action is
open to any clinician and to administrators. Front desk staff and signed-in users without a role
get 403; anonymous users go to the login page.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from referrals.models import Letter, Referral
from tests.factories import IntakeFactory
from tests.matrix import Endpoint, MatrixTests, clinicians
from tests.referrals.factories import draft_referral, ready_stand_in_referral, reviewed_case


def the_drafts_author(ok: int) -> dict[str, int | str]:
    return clinicians(ok) | {"other_clinician": 403, "administrator": 403}


# {intake} is a reviewed case; {draft} a draft of `clinician`'s, {ready} a signed referral whose
# letter {letter} is ready.
ENDPOINTS = (
    Endpoint("referrals:case_letters", "get", "/review/case/{intake}/letters/", clinicians(200)),
    Endpoint(
        "referrals:case_letters_panel",
        "get",
        "/review/case/{intake}/letters/panel/",
        clinicians(200),
    ),
    Endpoint(
        "referrals:referral_drafts_create",
        "post",
        "/review/case/{intake}/referrals/new/",
        clinicians(302),
        data={"destination_types": ["spine_review"]},
    ),
    Endpoint("referrals:handout_issue", "post", "/review/case/{intake}/handout/", clinicians(302)),
    Endpoint(
        "referrals:handout_preview",
        "get",
        "/review/case/{intake}/handout/preview/",
        clinicians(200),
    ),
    Endpoint("referrals:referral", "get", "/review/referrals/{draft}/", clinicians(200)),
    Endpoint(
        "referrals:referral_edit",
        "post",
        "/review/referrals/{draft}/edit/",
        the_drafts_author(302),
        data={"clinical_question": "Q?", "notes": ""},
    ),
    Endpoint(
        "referrals:referral_preview", "get", "/review/referrals/{draft}/preview/", clinicians(200)
    ),
    Endpoint(
        "referrals:referral_sign",
        "post",
        "/review/referrals/{draft}/sign/",
        the_drafts_author(302),
        data={"confirm": "on"},
    ),
    Endpoint(
        "referrals:referral_correct", "post", "/review/referrals/{ready}/correct/", clinicians(302)
    ),
    Endpoint("referrals:referral_send", "post", "/review/referrals/{ready}/send/", clinicians(302)),
    Endpoint(
        "referrals:referral_status", "get", "/review/referrals/{ready}/status/", clinicians(200)
    ),
    Endpoint("referrals:letter_retry", "post", "/review/letters/{letter}/retry/", clinicians(302)),
    Endpoint(
        "referrals:letter_download", "get", "/review/letters/{letter}/download/", clinicians(200)
    ),
    Endpoint("referrals:letter_css", "get", "/review/letters/print.css", clinicians(200)),
)
BY_NAME = {endpoint.name.removeprefix("referrals:"): endpoint for endpoint in ENDPOINTS}


@dataclass(frozen=True)
class Case:
    intake_id: int
    draft: Referral
    ready: Referral
    letter: Letter


@pytest.fixture
def case(clinician) -> Case:
    review = reviewed_case(
        clinician=clinician, actions=["xray", "inserts", "spine_review", "self_help"]
    )
    draft = draft_referral(review=review, destination_type="xray")
    ready = ready_stand_in_referral(review=review, destination_type="inserts")
    return Case(review.intake_id, draft, ready, ready.letters.get())


@pytest.fixture
def objects(case: Case) -> dict[str, object]:
    return {
        "intake": case.intake_id,
        "draft": case.draft.pk,
        "ready": case.ready.pk,
        "letter": case.letter.pk,
    }


class TestTheReferralAndLetterUrls(MatrixTests):
    ENDPOINTS = ENDPOINTS


def _call(client, name: str, pk: int):
    method = getattr(client, BY_NAME[name].method)
    return method(reverse(f"referrals:{name}", args=[pk]))


@pytest.mark.parametrize(
    "name", ["referral", "referral_preview", "referral_status", "referral_sign"]
)
def test_an_unknown_referral_is_not_found(clinician_client, db, name) -> None:
    assert _call(clinician_client, name, 99999).status_code == 404


@pytest.mark.parametrize("name", ["letter_download", "letter_retry"])
def test_an_unknown_letter_is_not_found(clinician_client, db, name) -> None:
    assert _call(clinician_client, name, 99999).status_code == 404


@pytest.mark.parametrize("name", ["case_letters", "case_letters_panel", "handout_issue"])
def test_an_intake_not_yet_submitted_has_no_letters_page(clinician_client, db, name) -> None:
    intake = IntakeFactory()

    assert _call(clinician_client, name, intake.pk).status_code == 404
