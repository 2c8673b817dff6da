"""Fixtures for the referrals app's tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # The self-help links' token endpoint shares the pre-visit link's rate limit, kept in the
    # cache; each test starts with a full budget.
    from django.core.cache import cache

    cache.clear()
