"""With a real Redis broker stopped, signing answers in under a second (no result backend on the
request path), and the letter's task reaches the broker once it is back."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest
import redis as redis_client
from django.urls import reverse
from django.utils import timezone

from referrals.models import OutboxMessage
from referrals.services import letters as services
from tests.referrals.factories import DestinationFactory, draft_referral, ready_referral
from tests.servers import RedisServer, celery_app_on, redis_server


@pytest.fixture
def redis_broker() -> Iterator[RedisServer]:
    """A redis-server of the test's own, which it may stop and start, as the app's broker."""
    with redis_server() as server, celery_app_on(server.url):
        yield server


def test_signing_with_the_broker_stopped_answers_in_under_a_second(
    clinician, clinician_client, redis_broker, django_capture_on_commit_callbacks
) -> None:
    referral = draft_referral(clinician=clinician)
    redis_broker.stop()

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = clinician_client.post(
            reverse("referrals:referral_sign", args=[referral.pk]), {"confirm": "on"}
        )
    elapsed = time.monotonic() - started

    print(f"sign with the broker stopped: {elapsed * 1000:.0f} ms")  # noqa: T201
    assert response.status_code == 302
    assert elapsed < 1
    assert OutboxMessage.objects.get().published_at is None


def test_the_task_queued_while_the_broker_was_stopped_reaches_it_once_it_is_back(
    clinician, clinician_client, redis_broker, django_capture_on_commit_callbacks
) -> None:
    referral = draft_referral(clinician=clinician)
    redis_broker.stop()
    with django_capture_on_commit_callbacks(execute=True):
        clinician_client.post(
            reverse("referrals:referral_sign", args=[referral.pk]), {"confirm": "on"}
        )
    redis_broker.start()

    published = services.outbox_relay(now=timezone.now() + dt.timedelta(minutes=1))

    assert published == 1
    assert redis_client.Redis.from_url(redis_broker.url).llen("celery") == 1


def test_sending_a_letter_with_the_broker_stopped_answers_in_under_a_second(
    clinician, clinician_client, redis_broker, django_capture_on_commit_callbacks
) -> None:
    referral = ready_referral(
        clinician=clinician, destination=DestinationFactory(email="xray@hospital.example.org")
    )
    redis_broker.stop()

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = clinician_client.post(reverse("referrals:referral_send", args=[referral.pk]))
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < 1
    assert OutboxMessage.objects.get(topic=services.TOPIC_SEND).published_at is None
