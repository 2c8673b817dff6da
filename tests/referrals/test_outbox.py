"""Signing never loses a letter: the outbox row is written with the signature, published after
commit, and relayed later if the broker was down."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from config.celery_app import app
from referrals.models import Letter, OutboxMessage, Referral
from referrals.services import letters as services
from tests.referrals.factories import draft_referral, signed_referral


@contextmanager
def _broker_unreachable() -> Iterator[None]:
    """Like tests/conftest.py's `broker_down`, but ending inside the test: the broker comes back
    while the test goes on. Celery caches its pools, so they are dropped both ways."""
    keys = ("broker_url", "broker_read_url", "broker_write_url")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(dict.fromkeys(keys, "redis://127.0.0.1:1/0"))
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.update(saved)
        app._pool = None
        app.amqp._producer_pool = None


def _wait_until(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting for the worker")


def _sign(client, referral: Referral):
    return client.post(
        reverse("referrals:referral_sign", args=[referral.pk]), {"confirm": "on"}, follow=True
    )


@pytest.mark.django_db
def test_signing_writes_the_letter_and_its_outbox_row_together(clinician) -> None:
    referral = draft_referral(clinician=clinician)

    letter = services.referral_sign(referral=referral, user=clinician, now=timezone.now())

    message = OutboxMessage.objects.get()
    assert (message.topic, message.object_id) == (services.TOPIC_RENDER, letter.pk)
    assert referral.status == Referral.Status.SIGNED
    assert letter.status == Letter.Status.PENDING


@pytest.mark.django_db
def test_a_failure_while_signing_writes_nothing(clinician) -> None:
    referral = draft_referral(clinician=clinician)

    with (
        mock.patch.object(services, "audit_case_record", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        services.referral_sign(referral=referral, user=clinician, now=timezone.now())

    referral.refresh_from_db()
    assert referral.status == Referral.Status.DRAFT
    assert not Letter.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_the_render_task_is_published_after_commit_with_the_letter_id_only(
    clinician, django_capture_on_commit_callbacks
) -> None:
    referral = draft_referral(clinician=clinician)

    with mock.patch.object(services.current_app, "send_task") as send_task:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            letter = services.referral_sign(referral=referral, user=clinician, now=timezone.now())
        send_task.assert_not_called()  # nothing leaves before the commit
        for callback in callbacks:
            callback()

    send_task.assert_called_once()
    assert send_task.call_args.args == ("referrals.letter_render",)
    assert send_task.call_args.kwargs["args"] == [letter.pk]
    assert OutboxMessage.objects.get().published_at is not None


@pytest.mark.django_db
def test_with_the_broker_down_the_clinician_still_sees_the_letter_queued(
    clinician, clinician_client, broker_down, django_capture_on_commit_callbacks
) -> None:
    referral = draft_referral(clinician=clinician)

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign(clinician_client, referral)

    assert response.status_code == 200
    assert "Signed · letter queued" in response.content.decode()
    assert time.monotonic() - started < 5
    message = OutboxMessage.objects.get()
    assert message.published_at is None
    assert message.publish_attempts == 1
    assert message.last_error  # kept for the operator


@pytest.mark.worker
def test_a_letter_signed_while_the_broker_was_down_is_rendered_once_the_relay_runs(
    celery_worker, clinician, clinician_client
) -> None:
    referral = draft_referral(clinician=clinician)
    with _broker_unreachable():
        response = _sign(clinician_client, referral)
        assert "Signed · letter queued" in response.content.decode()
        assert services.outbox_relay(now=timezone.now() + dt.timedelta(minutes=1)) == 0
    letter = Letter.objects.get(referral=referral)
    assert letter.status == Letter.Status.PENDING

    published = services.outbox_relay(now=timezone.now() + dt.timedelta(minutes=1))

    assert published == 1
    _wait_until(lambda: Letter.objects.get(pk=letter.pk).status == Letter.Status.READY)
    assert OutboxMessage.objects.get().published_at is not None


@pytest.mark.django_db
def test_the_relay_leaves_fresh_rows_to_the_publish_after_commit(clinician) -> None:
    signed_referral(clinician=clinician)
    OutboxMessage.objects.update(published_at=None)

    with mock.patch.object(services.current_app, "send_task") as send_task:
        published = services.outbox_relay(now=timezone.now())

    assert published == 0
    send_task.assert_not_called()


@pytest.mark.django_db
def test_the_relay_stops_at_the_first_broker_error_and_keeps_the_rows(clinician) -> None:
    for _ in range(3):
        signed_referral(clinician=clinician)
    OutboxMessage.objects.update(published_at=None)

    with mock.patch.object(
        services.current_app, "send_task", side_effect=ConnectionError("refused")
    ) as send_task:
        published = services.outbox_relay(now=timezone.now() + dt.timedelta(minutes=1))

    assert published == 0
    assert send_task.call_count == 1
    assert OutboxMessage.objects.filter(published_at__isnull=True).count() == 3
    assert OutboxMessage.objects.order_by("id").first().last_error == "ConnectionError: refused"


@pytest.mark.django_db
def test_the_relay_purges_rows_published_a_week_ago(clinician) -> None:
    signed_referral(clinician=clinician)
    OutboxMessage.objects.update(published_at=timezone.now() - dt.timedelta(days=8))

    services.outbox_relay(now=timezone.now())

    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_reconciliation_requeues_a_letter_stuck_rendering_past_the_time_limit(
    clinician, settings
) -> None:
    letter = signed_referral(clinician=clinician).letters.get()
    started = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 5)
    Letter.objects.filter(pk=letter.pk).update(
        status=Letter.Status.RENDERING, started_at=started, attempts=1
    )
    OutboxMessage.objects.update(created_at=started, published_at=started)

    with mock.patch.object(services.current_app, "send_task"):
        requeued = services.letters_reconcile(now=timezone.now())
        again = services.letters_reconcile(now=timezone.now())

    assert requeued == 1
    assert again == 0  # its fresh outbox row says it is on its way
    assert OutboxMessage.objects.filter(object_id=letter.pk).count() == 2


@pytest.mark.django_db
def test_reconciliation_leaves_a_letter_rendering_within_the_time_limit(clinician) -> None:
    letter = signed_referral(clinician=clinician).letters.get()
    Letter.objects.filter(pk=letter.pk).update(
        status=Letter.Status.RENDERING, started_at=timezone.now(), attempts=1
    )

    assert services.letters_reconcile(now=timezone.now()) == 0


@pytest.mark.django_db
def test_reconciliation_requeues_a_letter_whose_message_was_lost(clinician) -> None:
    letter = signed_referral(clinician=clinician).letters.get()
    long_ago = timezone.now() - dt.timedelta(hours=1)
    OutboxMessage.objects.update(created_at=long_ago, published_at=long_ago)

    with mock.patch.object(services.current_app, "send_task"):
        assert services.letters_reconcile(now=timezone.now()) == 1

    assert OutboxMessage.objects.filter(object_id=letter.pk).count() == 2


@pytest.mark.django_db
def test_reconciliation_leaves_letters_waiting_for_the_broker_to_the_relay(clinician) -> None:
    signed_referral(clinician=clinician)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    OutboxMessage.objects.update(created_at=long_ago, published_at=None)

    assert services.letters_reconcile(now=timezone.now()) == 0


def test_beat_runs_the_relay_and_the_reconciliation() -> None:
    tasks = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}

    assert {"referrals.outbox_relay", "referrals.letters_reconcile"} <= tasks
    assert app.conf.beat_schedule == django_settings.CELERY_BEAT_SCHEDULE
