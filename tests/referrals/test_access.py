"""The clinical gates (referrals/access.py), called directly: each refusal on its own line.

Through the URLs the role decorator answers first, so the gates' role checks are proved here.
An unknown id's 404, the same for every gate, is in tests/config/test_gates.py.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from referrals.access import (
    case_for_user,
    letter_for_user,
    own_draft_for_user,
    own_review_for_user,
    referral_for_user,
)
from tests.factories import IntakeFactory
from tests.referrals.factories import (
    CaseReviewFactory,
    draft_referral,
    reviewed_case,
    signed_referral,
    submitted_intake,
)


@pytest.fixture
def review(clinician):
    return reviewed_case(clinician=clinician, actions=["xray"])


@pytest.fixture
def draft(review):
    return draft_referral(review=review, destination_type="xray")


def test_a_clinician_gets_a_submitted_case(other_clinician, db) -> None:
    intake = submitted_intake()

    assert case_for_user(other_clinician, intake.pk) == intake


def test_the_front_desk_does_not_get_a_case(front_desk, db) -> None:
    with pytest.raises(PermissionDenied):
        case_for_user(front_desk, submitted_intake().pk)


def test_an_intake_not_yet_submitted_is_not_a_case(clinician, db) -> None:
    with pytest.raises(Http404):
        case_for_user(clinician, IntakeFactory().pk)


@pytest.mark.parametrize("persona", ["clinician", "administrator"])
def test_the_author_or_an_administrator_gets_the_review_to_change(
    request, clinician, persona: str
) -> None:
    review = CaseReviewFactory(reviewed_by=clinician)

    assert own_review_for_user(request.getfixturevalue(persona), review.intake_id) == review


def test_another_clinician_does_not_get_the_review_to_change(clinician, other_clinician) -> None:
    review = CaseReviewFactory(reviewed_by=clinician)

    with pytest.raises(PermissionDenied):
        own_review_for_user(other_clinician, review.intake_id)


def test_a_case_without_a_review_has_no_review_to_change(clinician) -> None:
    with pytest.raises(Http404):
        own_review_for_user(clinician, submitted_intake().pk)


def test_any_clinician_gets_a_referral(other_clinician, draft) -> None:
    assert referral_for_user(other_clinician, draft.pk) == draft


def test_a_user_without_a_role_does_not_get_a_referral(stranger, draft) -> None:
    with pytest.raises(PermissionDenied):
        referral_for_user(stranger, draft.pk)


def test_the_author_gets_the_draft_to_change(clinician, draft) -> None:
    assert own_draft_for_user(clinician, draft.pk) == draft


@pytest.mark.parametrize("persona", ["other_clinician", "administrator"])
def test_no_one_else_gets_the_draft_to_change(request, draft, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        own_draft_for_user(request.getfixturevalue(persona), draft.pk)


def test_any_clinician_gets_a_letter(other_clinician, review) -> None:
    letter = signed_referral(review=review, destination_type="xray").letters.get()

    assert letter_for_user(other_clinician, letter.pk) == letter


def test_the_front_desk_does_not_get_a_letter(front_desk, review) -> None:
    letter = signed_referral(review=review, destination_type="xray").letters.get()

    with pytest.raises(PermissionDenied):
        letter_for_user(front_desk, letter.pk)
