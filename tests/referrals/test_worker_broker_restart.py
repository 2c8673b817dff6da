"""A worker survives a Redis restart while letters wait for a retry, and renders the next letter
without anyone touching it: retries are outbox rows published by the relay, never countdown/ETA
messages held in the worker (a worker holding one died when Redis restarted)."""

from __future__ import annotations

import ast
import time
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from referrals.models import Letter, OutboxMessage
from referrals.services import letters as services
from tests.referrals.factories import signed_referral
from tests.servers import (
    celery_app_on,
    celery_worker_process,
    redis_server,
    require_shared_database,
)


def _wait_until(condition, timeout: float = 90) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_renders_the_next_letter_after_redis_restarts_while_retries_wait(
    tmp_path,
) -> None:
    require_shared_database()
    with (
        redis_server() as redis,
        celery_app_on(redis.url),
        celery_worker_process(tmp_path, redis.url) as worker,
    ):
        with transaction.atomic():  # its render task is published once this commits
            held = signed_referral().letters.get()
            # Another worker holds this letter: its render is retried once that claim expires.
            Letter.objects.filter(pk=held.pk).update(
                status=Letter.Status.RENDERING, started_at=timezone.now(), attempts=1
            )
        assert _wait_until(
            lambda: OutboxMessage.objects.filter(object_id=held.pk, attempt=1).exists()
        ), (tmp_path / "worker.log").read_text()

        redis.stop()
        time.sleep(2)
        redis.start()

        following = signed_referral().letters.get()
        services.outbox_relay(now=timezone.now() + services.RELAY_GRACE)
        rendered = _wait_until(
            lambda: Letter.objects.get(pk=following.pk).status == Letter.Status.READY
        )
        log = (tmp_path / "worker.log").read_text()
        assert worker.poll() is None, log
    assert rendered, log
    assert "Unrecoverable error" not in log


def test_no_task_schedules_a_countdown_or_eta_message() -> None:
    # The trigger of the crash above, reproduced with kombu 5.7.0: a worker holding an ETA
    # message restores it on connection loss through a closed channel and dies. Keep it out.
    tree = ast.parse((Path(__file__).resolve().parents[2] / "referrals" / "tasks.py").read_text())
    keywords = {
        kw.arg for node in ast.walk(tree) if isinstance(node, ast.Call) for kw in node.keywords
    }
    calls = {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }
    assert keywords.isdisjoint({"countdown", "eta", "autoretry_for", "retry_backoff"})
    assert "retry" not in calls
