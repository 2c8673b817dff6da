"""Who may open the patient's follow-up form (role by URL): only a browser holding a follow-up
link's session. Here the `patient` persona opened this case's follow-up link and
`other_patient` another case's; the URL names no case, so each reaches its own form only."""

from __future__ import annotations

import pytest

from tests.matrix import MatrixTests, form_rows, patients
from tests.referrals.factories import CaseReviewFactory
from tests.referrals.selfhelp import NO_RED_FLAGS, browser_with, follow_up_link

ANSWER = {"outcome": "better", "weeks_followed": 6, "numbness": 2, **NO_RED_FLAGS}

ENDPOINTS = form_rows(
    "selfhelp:follow_up", "/follow-up/", answers=(patients(200), patients(302)), data=ANSWER
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
