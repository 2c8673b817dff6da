"""Who may open the patient's follow-up form (role by URL): only a browser holding a follow-up
link's session. Here the `patient` persona opened this case's follow-up link and
`other_patient` another case's; the URL names no case, so each reaches its own form only."""

from __future__ import annotations

import pytest

from tests.matrix import (
    PATIENTS,
    SIGNED_OUT,
    STAFF_PERSONAS,
    Endpoint,
    MatrixTests,
    answers,
)
from tests.referrals.factories import CaseReviewFactory
from tests.referrals.selfhelp import browser_with, follow_up_link

EVERYONE = (*STAFF_PERSONAS, *SIGNED_OUT, *PATIENTS)
ANSWER = {
    "outcome": "better",
    "weeks_followed": 6,
    "numbness": 2,
    "saddle_numbness": "no",
    "bladder_or_bowel_change": "no",
    "sciatica_both_legs": "no",
    "leg_weakness_or_foot_drop": "no",
    "progressive": "no",
    "foot_cold_or_pale": "no",
}

ENDPOINTS = (
    Endpoint(
        "selfhelp:follow_up",
        "get",
        "/follow-up/",
        answers(EVERYONE, 403) | answers(PATIENTS, 200),
        wrong_method="put",
    ),
    Endpoint(
        "selfhelp:follow_up",
        "post",
        "/follow-up/",
        answers(EVERYONE, 403) | answers(PATIENTS, 302),
        data=ANSWER,
        wrong_method="put",
    ),
)


@pytest.fixture
def patient_client(db):
    return browser_with(follow_up_link(CaseReviewFactory().intake))


@pytest.fixture
def other_patient_client(db):
    return browser_with(follow_up_link(CaseReviewFactory().intake))


@pytest.fixture
def objects(db) -> dict[str, object]:
    return {}


class TestTheFollowUpUrls(MatrixTests):
    ENDPOINTS = ENDPOINTS
