"""The one shape of every role-by-URL matrix test: a table of `Endpoint`s, each with the answer
every persona gets, walked by a subclass of `MatrixTests` (`check_endpoint` for each persona of
each row, `check_wrong_method` for each row).

Tables: tests/config/test_access_matrix.py (the landing page, the health check; and every row of
every table walked by the sessions that owe a second factor), tests/accounts/test_access_matrix.py
(second factor, staff page, invitations, password reset),
tests/intake/test_access_matrix.py (desk and patient form), tests/referrals/test_review_access.py
(review dashboard, audit export), tests/referrals/test_referral_access.py (referrals, letters),
tests/referrals/test_selfhelp_access.py and test_follow_up_access.py (the self-help loop).
tests/config/test_access_matrix.py also checks that together they cover every URL pattern.

The rows are alike by design, within a table and across tables: one `Endpoint` per URL and
method, one `form_rows` per form, each with its own path, data and answers. The `duplicates` tool
pairs neighbouring rows of that shape; they are a table's rows, not copied logic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pytest
from django.http import HttpResponse
from django.urls import reverse

LOGIN = "login"  # an anonymous answer: a redirect to the login page, with ?next=
# A signed-in session that owes its second factor: a redirect to the verification page, with
# ?next= (accounts/middleware.py).
VERIFY = "verify"

# Persona -> its client fixture. The staff personas are in tests/conftest.py; a patient is a
# browser that opened its link (tests/intake/conftest.py: `patient_client` holds the session of
# the intake the intake table's objects are built around, `other_patient_client` another one's).
CLIENTS: Mapping[str, str] = {
    "front_desk": "front_desk_client",
    "clinician": "clinician_client",
    "other_clinician": "other_clinician_client",
    "administrator": "admin_client_",
    "stranger": "stranger_client",
    "anonymous": "anonymous_client",
    "patient": "patient_client",
    "other_patient": "other_patient_client",
    "unverified_clinician": "unverified_clinician_client",
    "unenrolled_clinician": "unenrolled_clinician_client",
    "unverified_administrator": "unverified_administrator_client",
}
STAFF_PERSONAS = ("front_desk", "clinician", "other_clinician", "administrator", "stranger")
SIGNED_OUT = ("anonymous",)
PATIENTS = ("patient", "other_patient")
CLINICAL = ("clinician", "other_clinician", "administrator")
UNVERIFIED = ("unverified_clinician", "unenrolled_clinician", "unverified_administrator")
# Every persona a table walks itself (the unverified sessions are walked over every table at once,
# in tests/config/test_access_matrix.py).
EVERYONE = (*STAFF_PERSONAS, *SIGNED_OUT, *PATIENTS)

_PLACEHOLDER = re.compile(r"^\{(\w+)\}$")


@dataclass(frozen=True)
class Endpoint:
    """One row: a URL (by its name and a path with `{object}` placeholders), how it is called,
    and what each persona gets back (a status code, or LOGIN)."""

    name: str  # the namespaced URL name the path resolves to, e.g. "intake:desk"
    method: str
    path: str
    expected: Mapping[str, int | str]
    data: Mapping[str, object] = field(default_factory=dict)  # a "{object}" value is filled in
    wrong_method: str = ""  # when both GET and POST are right; else the other

    def url(self, objects: Mapping[str, object]) -> str:
        return self.path.format_map(objects)

    def payload(self, objects: Mapping[str, object]) -> dict[str, object]:
        def fill(value: object) -> object:
            match = _PLACEHOLDER.match(value) if isinstance(value, str) else None
            return objects[match.group(1)] if match else value

        return {key: fill(value) for key, value in self.data.items()}

    @property
    def refused_method(self) -> str:
        return self.wrong_method or ("post" if self.method == "get" else "get")

    @property
    def allowed_persona(self) -> str:
        """A persona this URL serves: the wrong-method check is made with its client."""
        for persona, answer in self.expected.items():
            if answer not in (LOGIN, VERIFY) and int(answer) < 400:
                return persona
        raise AssertionError(f"{self.name}: no persona may use it")

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


def form_rows(
    name: str,
    path: str,
    *,
    answers: tuple[Mapping[str, int | str], Mapping[str, int | str]],
    data: Mapping[str, object],
    wrong_method: str = "put",
) -> tuple[Endpoint, Endpoint]:
    """The two rows of a form's URL: shown on GET and sent by POST with `data`, each with its
    `answers` (GET's, POST's); `wrong_method` (by default PUT, which no form takes) is refused."""
    get, post = answers
    return (
        Endpoint(name, "get", path, get, wrong_method=wrong_method),
        Endpoint(name, "post", path, post, data=data, wrong_method=wrong_method),
    )


def answers(personas: Iterable[str], answer: int | str) -> dict[str, int | str]:
    """The same answer for each of these personas: build a row's `expected` from these."""
    return dict.fromkeys(personas, answer)


def clinicians(ok: int) -> dict[str, int | str]:
    """A clinical URL: any clinician and administrators get `ok`, the rest of the staff 403."""
    return answers(STAFF_PERSONAS, 403) | answers(CLINICAL, ok) | {"anonymous": LOGIN}


def patients(ok: int) -> dict[str, int | str]:
    """A patient's page: only a browser holding a patient's session gets `ok`; everyone else,
    staff included, 403."""
    return answers(EVERYONE, 403) | answers(PATIENTS, ok)


def rows_by_persona(endpoints: Iterable[Endpoint]) -> list[object]:
    """pytest parameters: each endpoint with each persona of its row."""
    return [
        pytest.param(endpoint, persona, id=f"{endpoint}-{persona}")
        for endpoint in endpoints
        for persona in endpoint.expected
    ]


def rows(endpoints: Iterable[Endpoint]) -> list[object]:
    return [pytest.param(endpoint, id=str(endpoint)) for endpoint in endpoints]


def assert_answer(response: HttpResponse, expected: int | str) -> None:
    login = reverse("login")
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(f"{login}?next=")
        return
    if expected == VERIFY:
        assert response.status_code == 302
        assert response["Location"].startswith(f"{reverse('accounts:verify')}?next=")
        return
    assert response.status_code == expected, response.content[:300]
    if expected in (301, 302, 303):
        assert not response["Location"].startswith(login), "a redirect to the login page"


def check_endpoint(
    request: pytest.FixtureRequest,
    endpoint: Endpoint,
    persona: str,
    objects: Mapping[str, object],
) -> HttpResponse:
    """Call the endpoint as the persona and check the answer its row expects."""
    client = request.getfixturevalue(CLIENTS[persona])
    response = getattr(client, endpoint.method)(endpoint.url(objects), endpoint.payload(objects))
    assert_answer(response, endpoint.expected[persona])
    return response


def check_wrong_method(
    request: pytest.FixtureRequest, endpoint: Endpoint, objects: Mapping[str, object]
) -> None:
    """A persona the URL serves is refused with 405 when it uses the wrong method."""
    client = request.getfixturevalue(CLIENTS[endpoint.allowed_persona])
    response = getattr(client, endpoint.refused_method)(endpoint.url(objects))
    assert response.status_code == 405


class MatrixTests:
    """Walks one table: subclass it as `Test...` in the table's module with `ENDPOINTS`, and give
    the module an `objects` fixture (the {placeholders} of its paths and data)."""

    ENDPOINTS: tuple[Endpoint, ...] = ()

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "persona" in metafunc.fixturenames:
            metafunc.parametrize(("endpoint", "persona"), rows_by_persona(self.ENDPOINTS))
        elif "endpoint" in metafunc.fixturenames:
            metafunc.parametrize("endpoint", rows(self.ENDPOINTS))

    def check_page(self, endpoint: Endpoint, persona: str, response: HttpResponse) -> None:
        """What a table also checks of each answer's page; nothing by default."""

    def test_each_persona_gets_what_its_row_expects(
        self, request: pytest.FixtureRequest, objects: Mapping[str, object], endpoint, persona
    ) -> None:
        response = check_endpoint(request, endpoint, persona, objects)
        self.check_page(endpoint, persona, response)

    def test_each_url_refuses_the_wrong_method(
        self, request: pytest.FixtureRequest, objects: Mapping[str, object], endpoint
    ) -> None:
        check_wrong_method(request, endpoint, objects)
