"""Fixtures for the intake app: a visit, its link, and browsers holding a patient's session."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import IntakeFactory
from tests.intake.factories import new_link, open_link


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # The token endpoint's rate limit lives in the cache; each test starts with a full budget.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def visit(db):
    return IntakeFactory()


@pytest.fixture
def link(visit):
    return new_link(visit)


def _patient_client(link) -> Client:
    client = Client()
    open_link(client, link)
    return client


@pytest.fixture
def patient_client(link) -> Client:
    """A browser that opened the patient's link: its session is bound to `visit`."""
    return _patient_client(link)


@pytest.fixture
def other_patient_client(db) -> Client:
    """A browser holding another patient's link."""
    return _patient_client(new_link(IntakeFactory()))
