"""A real task crosses the configured broker (Redis under CI) to a real worker and back."""

from __future__ import annotations

import pytest

from config.celery_app import ping


@pytest.mark.worker
def test_a_task_sent_through_the_broker_is_run_by_a_worker(celery_worker) -> None:
    result = ping.delay()
    assert result.get(timeout=30) == "pong"
