"""Every URL of referrals and letters, walked by every persona, and with the wrong method.

The draft belongs to `clinician`: only its author may change or sign it (a signature is
personal); every other clinical action is open to any clinician and to administrators. Front
desk staff and signed-in users without a role get 403; anonymous users go to the login page.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from referrals.models import Letter, Referral
from referrals.services import letters as services
from tests.factories import IntakeFactory
from tests.referrals.factories import draft_referral, reviewed_case, signed_referral

PERSONAS = [
    "clinician",
    "other_clinician",
    "administrator",
    "front_desk",
    "stranger",
    "anonymous",
]
AUTHOR_ONLY = {"referral_edit", "referral_sign"}


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
    ready = signed_referral(review=review, destination_type="inserts")
    letter = ready.letters.get()
    # Access is what these tests are about: a stored stand-in PDF instead of a real render.
    file_name, digest = services._store(b"%PDF-1.7 stand-in")
    Letter.objects.filter(pk=letter.pk).update(
        status=Letter.Status.READY, file_name=file_name, sha256=digest, size=17
    )
    Referral.objects.filter(pk=ready.pk).update(status=Referral.Status.READY)
    return Case(review.intake_id, draft, ready, Letter.objects.get(pk=letter.pk))


# name -> (method, the object it takes, POST data, status for an allowed user)
URLS = {
    "case_letters": ("get", "intake", None, 200),
    "case_letters_panel": ("get", "intake", None, 200),
    "referral_drafts_create": ("post", "intake", {"destination_types": ["spine_review"]}, 302),
    "handout_issue": ("post", "intake", None, 302),
    "handout_preview": ("get", "intake", None, 200),
    "referral": ("get", "draft", None, 200),
    "referral_edit": ("post", "draft", {"clinical_question": "Q?", "notes": ""}, 302),
    "referral_preview": ("get", "draft", None, 200),
    "referral_sign": ("post", "draft", {"confirm": "on"}, 302),
    "referral_correct": ("post", "ready", None, 302),
    "referral_send": ("post", "ready", None, 302),
    "referral_status": ("get", "ready", None, 200),
    "letter_retry": ("post", "letter", None, 302),
    "letter_download": ("get", "letter", None, 200),
    "letter_css": ("get", None, None, 200),
}


def _url(name: str, case: Case) -> str:
    target = URLS[name][1]
    if target is None:
        return reverse(f"referrals:{name}")
    pk = {
        "intake": case.intake_id,
        "draft": case.draft.pk,
        "ready": case.ready.pk,
        "letter": case.letter.pk,
    }[target]
    return reverse(f"referrals:{name}", args=[pk])


def _client(request, persona: str):
    fixture = "anonymous_client" if persona == "anonymous" else f"{persona}_client"
    if persona == "administrator":
        fixture = "admin_client_"
    return request.getfixturevalue(fixture)


def _expected(name: str, persona: str) -> int:
    if persona == "anonymous":
        return 302
    if persona in ("front_desk", "stranger"):
        return 403
    if name in AUTHOR_ONLY and persona != "clinician":
        return 403
    return URLS[name][3]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(URLS))
def test_each_persona_gets_what_its_role_allows(request, db, case, name, persona) -> None:
    method, _target, data, _ok = URLS[name]
    client = _client(request, persona)

    response = getattr(client, method)(_url(name, case), data or {})

    assert response.status_code == _expected(name, persona)
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(URLS))
def test_each_url_refuses_the_wrong_method(clinician_client, case, name) -> None:
    method = URLS[name][0]
    wrong = clinician_client.post if method == "get" else clinician_client.get

    assert wrong(_url(name, case)).status_code == 405


@pytest.mark.parametrize(
    "name", ["referral", "referral_preview", "referral_status", "referral_sign"]
)
def test_an_unknown_referral_is_not_found(clinician_client, db, name) -> None:
    method = getattr(clinician_client, URLS[name][0])

    assert method(reverse(f"referrals:{name}", args=[99999])).status_code == 404


@pytest.mark.parametrize("name", ["letter_download", "letter_retry"])
def test_an_unknown_letter_is_not_found(clinician_client, db, name) -> None:
    method = getattr(clinician_client, URLS[name][0])

    assert method(reverse(f"referrals:{name}", args=[99999])).status_code == 404


@pytest.mark.parametrize("name", ["case_letters", "case_letters_panel", "handout_issue"])
def test_an_intake_not_yet_submitted_has_no_letters_page(clinician_client, db, name) -> None:
    intake = IntakeFactory()
    method = getattr(clinician_client, URLS[name][0])

    assert method(reverse(f"referrals:{name}", args=[intake.pk])).status_code == 404
