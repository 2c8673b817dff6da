"""Link tokens: unguessable, stored only as a hash, and rate limited per address."""

from __future__ import annotations

import hashlib

import pytest
from freezegun import freeze_time

from intake.tokens import token_attempt_allowed, token_hash, token_is_well_formed, token_new


def test_it_makes_tokens_of_at_least_128_random_bits() -> None:
    tokens = {token_new() for _ in range(200)}
    assert len(tokens) == 200
    # 43 characters of URL-safe base64 carry 256 bits.
    assert all(len(token) == 43 and token_is_well_formed(token) for token in tokens)


def test_it_stores_the_sha256_hex_of_the_token() -> None:
    token = token_new()
    assert token_hash(token) == hashlib.sha256(token.encode()).hexdigest()
    assert len(token_hash(token)) == 64


@pytest.mark.parametrize("bad", ["", "short", "x" * 44, "a/b" * 15, "é" * 43, "a" * 42 + "!"])
def test_it_refuses_malformed_tokens_before_any_lookup(bad: str) -> None:
    assert not token_is_well_formed(bad)


def test_it_allows_the_minutes_budget_per_address_then_refuses(settings) -> None:
    settings.TOKEN_ATTEMPTS_PER_MINUTE = 3
    with freeze_time("2026-03-01 10:00:05"):
        assert [token_attempt_allowed(address="10.0.0.1") for _ in range(4)] == [
            True,
            True,
            True,
            False,
        ]
        assert token_attempt_allowed(address="10.0.0.2")  # another address has its own budget
    with freeze_time("2026-03-01 10:01:01"):
        assert token_attempt_allowed(address="10.0.0.1")  # a new minute, a new budget


def test_it_works_with_a_cache_that_keeps_nothing(settings) -> None:
    # Django rebuilds the cache handler when CACHES changes (django.test.signals).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert all(token_attempt_allowed(address="10.0.0.1") for _ in range(50))


def test_it_works_with_the_database_cache(settings, db) -> None:
    from django.core.management import call_command

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t_cache"}
    }
    settings.TOKEN_ATTEMPTS_PER_MINUTE = 2
    call_command("createcachetable", verbosity=0)
    assert [token_attempt_allowed(address="10.0.0.9") for _ in range(3)] == [True, True, False]
