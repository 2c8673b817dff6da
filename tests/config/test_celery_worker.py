"""A real task crosses the configured broker (Redis under CI) to a real worker and back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from config.celery_app import app, ping


@pytest.fixture
def result_backend(tmp_path) -> Iterator[None]:
    """The app has no result backend (nothing reads results); this test reads one."""
    saved = app.conf.result_backend
    app.conf.result_backend = f"file://{tmp_path}"
    app._local.__dict__.pop("backend", None)
    try:
        yield
    finally:
        app.conf.result_backend = saved
        app._local.__dict__.pop("backend", None)


@pytest.mark.worker
def test_a_task_sent_through_the_broker_is_run_by_a_worker(celery_worker, result_backend) -> None:
    result = ping.delay()
    assert result.get(timeout=30) == "pong"
