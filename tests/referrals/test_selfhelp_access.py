"""Who may open each URL of the self-help loop (role by URL): the clinician's handout and
follow-up buttons, and the patient's handout page, reached by a self-help link. Here the
`patient` persona is a browser that opened a handout link (`other_patient` another case's)."""

from __future__ import annotations

import pytest

from tests.matrix import EVERYONE, LOGIN, PATIENTS, Endpoint, MatrixTests, answers, patients
from tests.referrals.factories import CaseReviewFactory
from tests.referrals.selfhelp import browser_with, handout_link, reviewed_self_help_case
from tests.referrals.test_review_access import clinicians


def with_patients(answer: dict[str, int | str]) -> dict[str, int | str]:
    """A patient's browser is not signed in: to the review pages it is anonymous."""
    return answer | answers(PATIENTS, LOGIN)


ENDPOINTS = (
    Endpoint(
        "referrals:handout_send",
        "post",
        "/review/case/{case}/handout/send/",
        with_patients(clinicians(302)),
    ),
    Endpoint(
        "referrals:follow_up",
        "post",
        "/review/case/{case}/follow-up/",
        with_patients(clinicians(302)),
        data={"weeks": 4},
    ),
    Endpoint("selfhelp:link", "get", "/s/{token}/", answers(EVERYONE, 302)),
    Endpoint("selfhelp:handout", "get", "/self-help/", patients(200)),
    Endpoint(
        "selfhelp:handout_download",
        "get",
        "/self-help/handout.pdf",
        patients(200) | {"other_patient": 404},  # its handout is not rendered yet
    ),
)


@pytest.fixture
def case(db):
    return reviewed_self_help_case()


@pytest.fixture
def patient_client(case):
    return browser_with(handout_link(case))


@pytest.fixture
def other_patient_client(db):
    return browser_with(handout_link(CaseReviewFactory().intake))


@pytest.fixture
def objects(case) -> dict[str, object]:
    # The link row's token is another case's: a new link revokes its case's earlier one.
    return {"case": case.pk, "token": handout_link(reviewed_self_help_case()).token}


class TestTheSelfHelpUrls(MatrixTests):
    ENDPOINTS = ENDPOINTS
