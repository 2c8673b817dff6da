"""The render task is idempotent and survives crashes without looping on a poison letter.

A worker killed mid-render (SIGKILL, OOM, the hard time limit) runs no more code: the letter is
left "rendering" and the broker redelivers the message (acks_late + reject_on_worker_lost). These
tests leave a letter in exactly that state with an exception no handler catches, then deliver
the task again as the broker would.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError
from django.utils import timezone

from referrals import tasks
from referrals.models import CaseReview, Letter, OutboxMessage, Referral
from referrals.services import letters as services
from tests.referrals.factories import reviewed_case, signed_referral


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, no `except Exception` sees it."""


def _stored_files(settings) -> list[Path]:
    return sorted(Path(settings.PRIVATE_STORAGE_DIR).rglob("*.pdf"))


def _crash_once(letter_id: int, **kwargs) -> None:
    with (
        mock.patch.object(services, "render_pdf", side_effect=WorkerKilled),
        pytest.raises(WorkerKilled),
    ):
        services.letter_render(letter_id=letter_id, **kwargs)


def _deliver(letter_id: int, *, redelivered: bool = False, attempt: int = 0) -> None:
    """Run the task as a worker would for a message with this delivery flag."""
    tasks.letter_render.push_request(
        id="task-1",
        args=[letter_id],
        kwargs={"attempt": attempt},
        delivery_info={"redelivered": redelivered},
        called_directly=False,
    )
    try:
        tasks.letter_render.run(letter_id, attempt=attempt)
    finally:
        tasks.letter_render.pop_request()


@pytest.fixture
def letter(db) -> Letter:
    return signed_referral().letters.get()


def test_it_renders_a_queued_letter_to_a_private_file_with_its_sha256(letter, settings) -> None:
    _deliver(letter.pk)

    letter.refresh_from_db()
    assert letter.status == Letter.Status.READY
    assert letter.attempts == 1
    (stored,) = _stored_files(settings)
    assert stored.read_bytes().startswith(b"%PDF")
    assert letter.size == stored.stat().st_size
    assert len(letter.sha256) == 64
    assert str(settings.PRIVATE_STORAGE_DIR) in str(stored)
    assert stored.stat().st_mode & 0o077 == 0  # readable by the app's user only


def test_a_duplicate_delivery_finds_the_letter_done_and_keeps_it(letter, settings) -> None:
    _deliver(letter.pk)
    letter.refresh_from_db()
    first_sha = letter.sha256

    with mock.patch.object(services, "render_pdf") as render:
        _deliver(letter.pk)
        _deliver(letter.pk, redelivered=True)

    render.assert_not_called()
    letter.refresh_from_db()
    assert letter.sha256 == first_sha
    assert letter.attempts == 1
    assert Letter.objects.filter(referral=letter.referral).count() == 1
    assert len(_stored_files(settings)) == 1


def test_a_duplicate_delivery_leaves_a_letter_rendering_elsewhere_alone_and_looks_again_later(
    letter, settings
) -> None:
    _crash_once(letter.pk)  # held by a worker we cannot tell is alive or dead

    before = timezone.now()
    with mock.patch.object(services, "render_pdf") as render:
        _deliver(letter.pk)

    render.assert_not_called()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.RENDERING
    # Once the holder's hard time limit has surely ended it, the letter is looked at again: a
    # retry scheduled in the database for the relay, never a countdown message.
    retry = OutboxMessage.objects.get(not_before__isnull=False)
    assert (retry.topic, retry.object_id, retry.attempt) == (services.TOPIC_RENDER, letter.pk, 1)
    wait = (retry.not_before - before).total_seconds()
    assert settings.CELERY_TASK_TIME_LIMIT < wait <= settings.CELERY_TASK_TIME_LIMIT + 10


def test_a_retry_after_the_lease_takes_over_the_letter(letter) -> None:
    _crash_once(letter.pk)

    _deliver(letter.pk, attempt=1)

    letter.refresh_from_db()
    assert (letter.status, letter.attempts) == (Letter.Status.READY, 2)


def test_a_killed_render_is_redone_when_the_broker_redelivers_it(letter, settings) -> None:
    _crash_once(letter.pk)
    letter.refresh_from_db()
    assert (letter.status, letter.attempts) == (Letter.Status.RENDERING, 1)

    _deliver(letter.pk, redelivered=True)

    letter.refresh_from_db()
    assert (letter.status, letter.attempts) == (Letter.Status.READY, 2)
    assert Letter.objects.filter(referral=letter.referral).count() == 1
    assert len(_stored_files(settings)) == 1
    assert Referral.objects.get(pk=letter.referral_id).status == Referral.Status.READY


def test_a_letter_that_kills_three_workers_is_failed_not_retried_for_ever(letter) -> None:
    _crash_once(letter.pk)
    _crash_once(letter.pk, redelivered=True)
    _crash_once(letter.pk, redelivered=True)

    with mock.patch.object(services, "render_pdf") as render:
        _deliver(letter.pk, redelivered=True)

    render.assert_not_called()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.FAILED
    assert letter.attempts == 3
    assert "3 attempts" in letter.error
    referral = Referral.objects.get(pk=letter.referral_id)
    assert referral.status == Referral.Status.FAILED
    assert "3 attempts" in referral.error


def test_a_claim_older_than_the_hard_time_limit_is_taken_over(letter, settings) -> None:
    started = timezone.now()
    _crash_once(letter.pk, now=started)

    later = started + dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    services.letter_render(letter_id=letter.pk, now=later)

    letter.refresh_from_db()
    assert letter.status == Letter.Status.READY


def test_a_worker_presumed_dead_that_finishes_late_does_not_overwrite_the_letter(
    letter, settings
) -> None:
    real_render = services.render_pdf
    taken_over = {}

    def slow_render(template, context):
        # While this "dead" worker renders, the broker redelivers and another worker finishes.
        with mock.patch.object(services, "render_pdf", real_render):
            taken_over["letter"] = services.letter_render(letter_id=letter.pk, redelivered=True)
        return b"%PDF-late"

    with mock.patch.object(services, "render_pdf", side_effect=slow_render):
        late = services.letter_render(letter_id=letter.pk)

    assert late is None
    letter.refresh_from_db()
    assert letter.sha256 == taken_over["letter"].sha256
    assert letter.attempts == 2
    assert len(_stored_files(settings)) == 1


def test_a_render_error_fails_the_letter_with_a_message_and_no_patient_text(letter) -> None:
    with mock.patch.object(services, "render_pdf", side_effect=ValueError("Pat Runner broke it")):
        _deliver(letter.pk)

    letter.refresh_from_db()
    assert letter.status == Letter.Status.FAILED
    assert letter.error == "The letter could not be rendered (ValueError)."
    assert Referral.objects.get(pk=letter.referral_id).status == Referral.Status.FAILED


def test_the_soft_time_limit_fails_the_letter_and_says_so(letter, settings) -> None:
    with mock.patch.object(services, "render_pdf", side_effect=SoftTimeLimitExceeded):
        _deliver(letter.pk)

    letter.refresh_from_db()
    assert letter.status == Letter.Status.FAILED
    assert f"{settings.CELERY_TASK_SOFT_TIME_LIMIT} s" in letter.error


def test_a_retried_letter_renders_again_with_a_fresh_attempts_counter(letter) -> None:
    with mock.patch.object(services, "render_pdf", side_effect=ValueError):
        _deliver(letter.pk)
    letter.refresh_from_db()

    services.letter_retry(letter=letter, user=letter.referral.clinician)
    _deliver(letter.pk)

    letter.refresh_from_db()
    assert (letter.status, letter.attempts) == (Letter.Status.READY, 1)
    assert Referral.objects.get(pk=letter.referral_id).status == Referral.Status.READY


def test_only_a_failed_letter_can_be_retried(letter) -> None:
    with pytest.raises(services.LetterError, match="Only a failed letter"):
        services.letter_retry(letter=letter, user=letter.referral.clinician)


def test_the_case_review_follows_its_letters(letter) -> None:
    review = CaseReview.objects.get(intake=letter.intake)
    assert review.state == CaseReview.State.REFERRAL_SIGNED

    _deliver(letter.pk)

    review.refresh_from_db()
    assert review.state == CaseReview.State.LETTER_READY


def test_the_render_task_is_acked_late_and_rejected_when_its_worker_is_lost(settings) -> None:
    task = tasks.letter_render

    assert task.acks_late is True
    assert task.reject_on_worker_lost is True
    assert task.soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert task.time_limit == settings.CELERY_TASK_TIME_LIMIT
    assert task.soft_time_limit < task.time_limit < settings.CELERY_VISIBILITY_TIMEOUT


def test_a_ready_handout_alone_makes_the_case_letter_ready(db) -> None:
    review = reviewed_case(actions=["self_help"])
    handout = Letter.objects.create(kind=Letter.Kind.HANDOUT, intake=review.intake)

    _deliver(handout.pk)

    review.refresh_from_db()
    assert review.state == CaseReview.State.LETTER_READY


def test_a_database_error_while_rendering_is_retried_not_failed(letter) -> None:
    with mock.patch.object(services, "letter_document", side_effect=OperationalError("gone")):
        _deliver(letter.pk)

    retry = OutboxMessage.objects.get(not_before__isnull=False)
    assert (retry.object_id, retry.attempt) == (letter.pk, 1)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.RENDERING  # reclaimed by the retry (attempt > 0)

    _deliver(letter.pk, attempt=1)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.READY
