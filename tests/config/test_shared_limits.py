"""Limits hold across processes: the patient-link throttle counts in the shared cache, so three
gunicorn workers let through no more than one process would."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.servers import gunicorn, http_get, redis_server

LIMIT = 20
TRIES = 300


def _wait_for_a_fresh_minute_window() -> None:
    # The throttle counts per clock minute: start well inside one so all tries share a window.
    while time.time() % 60 > 40:
        time.sleep(0.5)


def _answered(server, tries: int) -> int:
    wrong = "x" * 43  # well-formed, matches no invitation

    def one(_: int) -> int:
        return http_get(f"{server.url}/p/{wrong}/")

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(one, range(tries)))
    assert set(statuses) <= {404, 429, 403, 200}, set(statuses)
    return sum(status != 429 for status in statuses)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_three_gunicorn_workers_answer_at_most_the_limit_with_redis(tmp_path) -> None:
    with (
        redis_server() as redis,
        gunicorn(
            tmp_path, workers=3, CACHE_URL=redis.url, TOKEN_ATTEMPTS_PER_MINUTE=str(LIMIT)
        ) as server,
    ):
        _wait_for_a_fresh_minute_window()
        answered = _answered(server, TRIES)

    print(f"throttle with 3 gunicorn workers and Redis: {answered} of {TRIES} answered")  # noqa: T201
    assert answered == LIMIT


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_three_gunicorn_workers_answer_at_most_the_limit_with_the_default_cache(tmp_path) -> None:
    with gunicorn(tmp_path, workers=3, TOKEN_ATTEMPTS_PER_MINUTE=str(LIMIT)) as server:
        _wait_for_a_fresh_minute_window()
        answered = _answered(server, TRIES)

    print(f"throttle with 3 gunicorn workers and the file cache: {answered} of {TRIES}")  # noqa: T201
    assert answered <= LIMIT


@pytest.mark.django_db
def test_with_the_shared_cache_down_a_patient_link_still_answers_quickly(settings, client) -> None:
    with redis_server() as redis:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis.url,
                "OPTIONS": settings.REDIS_CACHE_OPTIONS,
            }
        }
        redis.stop()
        started = time.monotonic()
        response = client.get(f"/p/{'x' * 43}/")
        elapsed = time.monotonic() - started

    assert response.status_code == 404
    assert elapsed < 1
