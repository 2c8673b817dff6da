"""Celery tasks: adapters that take ids, call one service and return.

Letters are rendered with acks_late + reject_on_worker_lost (+ acks_on_timeout=False): the
message is acknowledged only when the task returns, so a render whose process is killed (OOM,
SIGKILL, the hard time limit) goes back to the queue; the service reclaims the letter and counts
the attempt (three crashes and the letter is failed, not looped on). Soft and hard time limits
are the app-wide ones set in config/celery_app.py from the settings.
"""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from intake.services import invitation_reminder_send
from referrals.services import letters as services
from referrals.services import selfhelp

logger = logging.getLogger(__name__)

# A database hiccup (restart, failover) is transient: retry with backoff. Anything else in a
# render is a fault of the letter and is recorded on it by the service.
TRANSIENT_DB_ERRORS = (DatabaseError,)
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, OSError)
MAIL_RETRIES = 5
LEASE_MARGIN_SECONDS = 5


@shared_task(
    name="referrals.letter_render",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    # A render killed by the hard time limit goes back to the queue too; the attempts counter
    # fails the letter after three, so a letter that always times out cannot loop.
    acks_on_timeout=False,
    autoretry_for=TRANSIENT_DB_ERRORS,
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=5,
    ignore_result=True,
)
def letter_render(self, letter_id: int) -> None:
    delivery_info = self.request.delivery_info or {}
    # A redelivered message (its worker was lost) or our own retry after a database error may
    # take over the letter its earlier run left "rendering".
    reclaim = bool(delivery_info.get("redelivered")) or self.request.retries > 0
    letter = services.letter_render(letter_id=int(letter_id), redelivered=reclaim)
    if letter is None:
        wait = services.letter_lease_remaining(letter_id=int(letter_id), now=timezone.now())
        if wait is not None:
            # Another worker holds the letter, or held it and died without the broker saying so
            # (only Redis flags a redelivery): look again once its hard time limit has passed.
            raise self.retry(countdown=wait + LEASE_MARGIN_SECONDS)


@shared_task(
    name="referrals.delivery_send",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAIL_RETRIES,
    ignore_result=True,
)
def delivery_send(self, delivery_id: int) -> None:
    try:
        services.delivery_send(delivery_id=int(delivery_id))
    except services.LetterError as exc:
        services.delivery_fail(delivery_id=int(delivery_id), error=str(exc))
    except (*TRANSIENT_MAIL_ERRORS, *TRANSIENT_DB_ERRORS) as exc:
        if self.request.retries >= MAIL_RETRIES:
            services.delivery_fail(
                delivery_id=int(delivery_id),
                error=f"The e-mail could not be sent ({type(exc).__name__}).",
            )
            logger.error("Delivery %s failed: %s", delivery_id, type(exc).__name__)
            return
        raise self.retry(exc=exc, countdown=min(300, 10 * 2**self.request.retries)) from exc


@shared_task(name="referrals.outbox_relay", ignore_result=True)
def outbox_relay() -> int:
    return services.outbox_relay(now=timezone.now())


@shared_task(name="referrals.letters_reconcile", ignore_result=True)
def letters_reconcile() -> int:
    return services.letters_reconcile(now=timezone.now())


# The self-help loop and the reminders: beat claims what is due and queues it through the outbox;
# each send is idempotent (a redelivery finds its link already made and sends nothing).
_PATIENT_MAIL_TASK = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "max_retries": MAIL_RETRIES,
    "ignore_result": True,
}


def _retry_mail(task, exc: Exception) -> None:
    if task.request.retries >= MAIL_RETRIES:
        logger.error("%s gave up: %s", task.name, type(exc).__name__)
        return
    raise task.retry(exc=exc, countdown=min(300, 10 * 2**task.request.retries)) from exc


@shared_task(name="referrals.patient_messages_due", ignore_result=True)
def patient_messages_due() -> None:
    selfhelp.patient_messages_queue(now=timezone.now())


@shared_task(name="referrals.follow_up_link_send", **_PATIENT_MAIL_TASK)
def follow_up_link_send(self, follow_up_id: int) -> None:
    try:
        selfhelp.follow_up_link_send(follow_up_id=int(follow_up_id), now=timezone.now())
    except (*TRANSIENT_MAIL_ERRORS, *TRANSIENT_DB_ERRORS) as exc:
        _retry_mail(self, exc)


@shared_task(name="referrals.follow_up_reminder_send", **_PATIENT_MAIL_TASK)
def follow_up_reminder_send(self, follow_up_id: int) -> None:
    try:
        selfhelp.follow_up_link_send(
            follow_up_id=int(follow_up_id), now=timezone.now(), reminder=True
        )
    except (*TRANSIENT_MAIL_ERRORS, *TRANSIENT_DB_ERRORS) as exc:
        _retry_mail(self, exc)


@shared_task(name="referrals.pre_visit_reminder_send", **_PATIENT_MAIL_TASK)
def pre_visit_reminder_send(self, intake_id: int) -> None:
    try:
        invitation_reminder_send(intake_id=int(intake_id), now=timezone.now())
    except (*TRANSIENT_MAIL_ERRORS, *TRANSIENT_DB_ERRORS) as exc:
        _retry_mail(self, exc)
