"""Every access gate of the project (one per object kind, in the app that owns the object:
accounts/access.py, intake/access.py, referrals/access.py) answers 404 for an id that names
nothing, to a user it would serve. Each app's tests prove its own gates' refusals; this table
holds what they all share, and a new gate fails here until it has a row."""

from __future__ import annotations

import inspect

import pytest
from django.http import Http404

from accounts import access as accounts_access
from intake import access as intake_access
from referrals import access as referrals_access

# Each gate with a persona it serves.
GATES = {
    accounts_access.staff_member_for_user: "administrator",
    intake_access.patient_for_user: "front_desk",
    intake_access.intake_for_user: "front_desk",
    referrals_access.case_for_user: "clinician",
    referrals_access.own_review_for_user: "clinician",
    referrals_access.referral_for_user: "clinician",
    referrals_access.own_draft_for_user: "clinician",
    referrals_access.letter_for_user: "clinician",
}


# `db` is named so that pytest-django runs this with the database tests, before the transactional
# ones flush the staff groups (tests/conftest.py, _signed_in_client).
@pytest.mark.parametrize(
    ("gate", "persona"),
    [pytest.param(gate, persona, id=gate.__name__) for gate, persona in GATES.items()],
)
def test_each_gate_answers_404_for_an_id_that_names_nothing(
    db, request, gate, persona: str
) -> None:
    with pytest.raises(Http404):
        gate(request.getfixturevalue(persona), 987654)


def test_the_table_has_every_gate() -> None:
    gates = {
        function
        for module in (accounts_access, intake_access, referrals_access)
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if name.endswith("_for_user") and function.__module__ == module.__name__
    }

    assert gates == set(GATES)
