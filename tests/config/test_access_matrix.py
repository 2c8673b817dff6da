"""The project's own URLs walked by every staff persona, and the check that the matrix tables
(tests/matrix.py lists them) together cover every URL pattern of the project: a new URL without
a row fails here. It imports much the same names from tests/matrix.py as
tests/accounts/test_access_matrix.py does: one matrix module serves every table."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.accounts.test_access_matrix import ENDPOINTS as ACCOUNTS
from tests.intake.test_access_matrix import ENDPOINTS as INTAKE
from tests.matrix import (
    LOGIN,
    SIGNED_OUT,
    STAFF_PERSONAS,
    UNVERIFIED,
    VERIFY,
    Endpoint,
    MatrixTests,
    answers,
    check_endpoint,
    rows,
)
from tests.referrals.test_follow_up_access import ENDPOINTS as FOLLOW_UP
from tests.referrals.test_referral_access import ENDPOINTS as REFERRALS
from tests.referrals.test_review_access import ENDPOINTS as REVIEW
from tests.referrals.test_selfhelp_access import ENDPOINTS as SELF_HELP

STAFF_AND_SIGNED_OUT = (*STAFF_PERSONAS, *SIGNED_OUT)

ENDPOINTS = (
    # Each role lands in its workspace (tests/config/test_access.py checks where).
    Endpoint(
        "home",
        "get",
        "/",
        answers(STAFF_PERSONAS, 302) | {"stranger": 403, "anonymous": LOGIN},
    ),
    # The load balancer asks without signing in.
    Endpoint("healthz", "get", "/healthz", answers(STAFF_AND_SIGNED_OUT, 200)),
)

# Not in any table, and why.
UNWALKED_PREFIXES = (
    "admin/",  # Django's admin: its own staff check (is_staff) guards each of its pages
)
UNWALKED_NAMES = {
    "login",  # open to everyone by design; throttling is in tests/config/test_access.py
    "logout",  # POST only, for anyone signed in; tests/config/test_access.py
}
# Static files are served by WhiteNoise / runserver, outside the urlconf.


@pytest.fixture
def objects(db) -> dict[str, object]:
    return {}


class TestTheProjectsOwnUrls(MatrixTests):
    ENDPOINTS = ENDPOINTS


def _url_names(patterns, namespace: str = "", prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(UNWALKED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"the URL {route!r} has no name"
            names.add(namespace + pattern.name)
    return names - UNWALKED_NAMES


def _tables() -> list[Endpoint]:
    return [*ENDPOINTS, *ACCOUNTS, *INTAKE, *REVIEW, *REFERRALS, *SELF_HELP, *FOLLOW_UP]


def _unverified_rows() -> list[object]:
    # The accounts table gives these personas their own answers (the pages they may reach).
    others = [*ENDPOINTS, *INTAKE, *REVIEW, *REFERRALS, *SELF_HELP, *FOLLOW_UP]
    return [
        pytest.param(endpoint, persona, id=f"{endpoint}-{persona}")
        for endpoint in others
        for persona in UNVERIFIED
    ]


@pytest.mark.parametrize(("endpoint", "persona"), _unverified_rows())
def test_a_session_that_owes_its_second_factor_is_sent_to_verify_from_every_url(
    db, request, endpoint, persona
) -> None:
    # The gate answers before any view runs, so no row's objects need to exist.
    check_endpoint(
        request, replace(endpoint, expected={persona: VERIFY}), persona, defaultdict(lambda: "1")
    )


def test_the_matrix_tables_cover_every_url_of_the_project() -> None:
    urls = _url_names(get_resolver().url_patterns)

    assert urls - {endpoint.name for endpoint in _tables()} == set()


@pytest.mark.parametrize("endpoint", rows(_tables()))
def test_each_row_names_the_url_its_path_resolves_to(endpoint: Endpoint) -> None:
    any_object = defaultdict(lambda: "1")  # every {object} of a path: an id, or a token
    path = endpoint.url(any_object).split("?")[0]

    assert resolve(path).view_name == endpoint.name
