"""Celery tasks: adapters that take ids, call one service and return.

Letters are rendered with acks_late + reject_on_worker_lost (+ acks_on_timeout=False): the
message is acknowledged only when the task returns, so a render whose process is killed (OOM,
SIGKILL, the hard time limit) goes back to the queue; the service reclaims the letter and counts
the attempt (three crashes and the letter is failed, not looped on). Soft and hard time limits
are the app-wide ones set in config/celery_app.py from the settings.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable

from celery import Task, shared_task
from django.db import DatabaseError
from django.utils import timezone

from intake.services import invitation_reminder_send
from referrals.services import letters as services
from referrals.services import selfhelp, urgent

logger = logging.getLogger(__name__)

# A database hiccup (restart, failover) is transient: retry with backoff, scheduled in the
# database (services.outbox_retry_later; never a countdown message). Anything else in a render is
# a fault of the letter and is recorded on it by the service.
TRANSIENT_DB_ERRORS = (DatabaseError,)
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, OSError)
MAIL_RETRIES = 5
RENDER_RETRIES = 5
LEASE_MARGIN_SECONDS = 5


@shared_task(
    name="referrals.letter_render",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    # A render killed by the hard time limit goes back to the queue too; the attempts counter
    # fails the letter after three, so a letter that always times out cannot loop.
    acks_on_timeout=False,
    ignore_result=True,
)
def letter_render(self, letter_id: int, attempt: int = 0) -> None:
    delivery_info = self.request.delivery_info or {}
    # A redelivered message (its worker was lost) or our own retry after a database error may
    # take over the letter its earlier run left "rendering".
    reclaim = bool(delivery_info.get("redelivered")) or attempt > 0
    try:
        letter = services.letter_render(letter_id=int(letter_id), redelivered=reclaim)
    except TRANSIENT_DB_ERRORS:
        if attempt >= RENDER_RETRIES:
            raise
        # Scheduled in the database (the outbox), not as a countdown message; if the database
        # is still down this raises and letters_reconcile re-queues the letter later.
        _retry_later(services.TOPIC_RENDER, letter_id, attempt, min(60, 2 ** (attempt + 1)))
        return
    if letter is None:
        wait = services.letter_lease_remaining(letter_id=int(letter_id), now=timezone.now())
        if wait is not None:
            # Another worker holds the letter, or held it and died without the broker saying so
            # (only Redis flags a redelivery): look again once its hard time limit has passed.
            _retry_later(services.TOPIC_RENDER, letter_id, attempt, wait + LEASE_MARGIN_SECONDS)


@shared_task(
    name="referrals.delivery_send",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def delivery_send(self, delivery_id: int, attempt: int = 0) -> None:
    try:
        services.delivery_send(delivery_id=int(delivery_id))
    except services.LetterError as exc:
        services.delivery_fail(delivery_id=int(delivery_id), error=str(exc))
    except (*TRANSIENT_MAIL_ERRORS, *TRANSIENT_DB_ERRORS) as exc:
        if attempt >= MAIL_RETRIES:
            services.delivery_fail(
                delivery_id=int(delivery_id),
                error=f"The e-mail could not be sent ({type(exc).__name__}).",
            )
            logger.error("Delivery %s failed: %s", delivery_id, type(exc).__name__)
            return
        _retry_later(services.TOPIC_SEND, delivery_id, attempt, min(300, 10 * 2**attempt))


def _retry_later(topic: str, object_id: int, attempt: int, delay_seconds: float) -> None:
    services.outbox_retry_later(
        topic=topic,
        object_id=int(object_id),
        attempt=attempt + 1,
        delay_seconds=delay_seconds,
        now=timezone.now(),
    )


@shared_task(name="referrals.outbox_relay", ignore_result=True)
def outbox_relay() -> int:
    return services.outbox_relay(now=timezone.now())


@shared_task(name="referrals.letters_reconcile", ignore_result=True)
def letters_reconcile() -> int:
    return services.letters_reconcile(now=timezone.now())


def _send_or_retry_later(
    topic: str, object_id: int, attempt: int, send: Callable[[], object], *, base: int, cap: int
) -> None:
    """Run one e-mail send. A transient fault (SMTP, network, database) schedules the same send
    again in the outbox after min(cap, base * 2**attempt) seconds, up to MAIL_RETRIES times; then
    it is logged, and the beat job that owns the message asks again in its own time."""
    try:
        send()
    except (*TRANSIENT_MAIL_ERRORS, *TRANSIENT_DB_ERRORS) as exc:
        if attempt >= MAIL_RETRIES:
            logger.error("%s %s not sent: %s", topic, object_id, type(exc).__name__)
            return
        _retry_later(topic, object_id, attempt, min(cap, base * 2**attempt))


# Every send is idempotent: a redelivered message finds the e-mail sent (or its link made) and
# sends nothing.
_MAIL_TASK = {"bind": True, "acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


def _mail_task(
    topic: str, send: Callable[[int, dt.datetime], object], *, base: int = 10, cap: int = 300
) -> Task:
    """The task that sends one kind of e-mail, registered under the name the outbox publishes
    for `topic` (services.TASK_FOR_TOPIC): it takes the object's id and calls `send(id, now)`,
    through _send_or_retry_later."""

    @shared_task(name=services.TASK_FOR_TOPIC[topic], **_MAIL_TASK)
    def send_mail(self: Task, object_id: int, attempt: int = 0) -> None:
        _send_or_retry_later(
            topic,
            object_id,
            attempt,
            lambda: send(int(object_id), timezone.now()),
            base=base,
            cap=cap,
        )

    return send_mail


# The alert retries fast: someone on call should read it within minutes.
red_flag_alert_send = _mail_task(
    services.TOPIC_RED_FLAG_ALERT,
    lambda pk, now: urgent.red_flag_alert_send(alert_id=pk, now=now),
    base=5,
    cap=60,
)


@shared_task(name="referrals.red_flag_alerts_resend", ignore_result=True)
def red_flag_alerts_resend() -> int:
    return urgent.red_flag_alerts_resend(now=timezone.now())


# The self-help loop and the reminders: beat claims what is due and queues it through the outbox.
@shared_task(name="referrals.patient_messages_due", ignore_result=True)
def patient_messages_due() -> None:
    selfhelp.patient_messages_queue(now=timezone.now())


follow_up_link_send = _mail_task(
    services.TOPIC_FOLLOW_UP_SEND,
    lambda pk, now: selfhelp.follow_up_link_send(follow_up_id=pk, now=now),
)
follow_up_reminder_send = _mail_task(
    services.TOPIC_FOLLOW_UP_REMIND,
    lambda pk, now: selfhelp.follow_up_link_send(follow_up_id=pk, now=now, reminder=True),
)
pre_visit_reminder_send = _mail_task(
    services.TOPIC_PRE_VISIT_REMIND,
    lambda pk, now: invitation_reminder_send(intake_id=pk, now=now),
)
