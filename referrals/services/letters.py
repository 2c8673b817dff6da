"""State changes of referrals, letters, the outbox and deliveries.

Referral: draft -> signed -> rendering -> ready -> sent, or failed (retry puts it back to signed).
Letter:   pending -> rendering -> ready, or failed.

Nothing is lost between the web process and the workers:
- signing writes the referral, its letter and an outbox row in one transaction; the render task
  is published after commit, and if the broker is down the periodic relay publishes it later;
- a worker claims a letter with a conditional UPDATE, so a duplicate delivery returns at once;
- a worker that dies mid-render leaves the letter "rendering": the broker redelivers the task
  (acks_late + reject_on_worker_lost) and the redelivery reclaims it; after three such crashes the
  letter is marked failed instead of crashing workers for ever; a render whose message vanished
  is re-queued by `letters_reconcile` once it is older than the hard time limit.
Task arguments are ids only: the broker never sees patient data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import os
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.mail import EmailMessage
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import StaffProfile
from audit.actions import AuditAction
from audit.services import audit_case_record, audit_record
from intake.models import Intake
from intake.triage import History
from referrals.clinical_question import draft_clinical_question
from referrals.models import (
    CaseReview,
    Delivery,
    Destination,
    DestinationType,
    Letter,
    OutboxMessage,
    Referral,
)
from referrals.pdf import render_pdf
from referrals.selectors.letters import (
    handout_advice_wanted,
    letter_document,
    letter_file_name,
    letter_reference,
    review_for_intake,
)
from referrals.services.review import case_review_set_state

logger = logging.getLogger(__name__)

MAX_RENDER_ATTEMPTS = 3
TOPIC_RENDER = "letter.render"
TOPIC_SEND = "delivery.send"
TOPIC_RED_FLAG_ALERT = "red_flag_alert.send"
TOPIC_FOLLOW_UP_SEND = "follow_up.send"
TOPIC_FOLLOW_UP_REMIND = "follow_up.remind"
TOPIC_PRE_VISIT_REMIND = "pre_visit.remind"
TASK_FOR_TOPIC = {
    TOPIC_RENDER: "referrals.letter_render",
    TOPIC_SEND: "referrals.delivery_send",
    TOPIC_RED_FLAG_ALERT: "referrals.red_flag_alert_send",
    TOPIC_FOLLOW_UP_SEND: "referrals.follow_up_link_send",
    TOPIC_FOLLOW_UP_REMIND: "referrals.follow_up_reminder_send",
    TOPIC_PRE_VISIT_REMIND: "referrals.pre_visit_reminder_send",
}
# The clinician waits on this publish: a dead broker must cost well under a second, the relay
# does the rest.
PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# The relay leaves fresh rows to the publish that runs right after their transaction commits.
RELAY_GRACE = dt.timedelta(seconds=5)
RELAY_BATCH = 500
OUTBOX_KEEP = dt.timedelta(days=7)
# A letter queued this long ago and never claimed lost its message (e.g. a flushed broker).
LOST_MESSAGE_AFTER = dt.timedelta(minutes=30)
LETTERS_DIR = "letters"


class LetterError(Exception):
    """A request the current state does not allow; the message is shown to the clinician."""


class LetterIntegrityError(LetterError):
    """The stored PDF is missing or no longer matches its SHA-256."""


# --- drafts -------------------------------------------------------------------------------------


def _drafted_question(review: CaseReview, destination_type: str) -> str:
    """The question drafted from the reviewed triage and the history (the clinician edits it)."""
    record = review.triage_record
    return draft_clinical_question(
        destination_type=destination_type,
        history=History.from_dict(review.intake.history or {}),
        fired={reason.get("rule", "") for reason in record.reasons},
        consider=set(record.consider),
    )


def referral_create_drafts(
    *, review: CaseReview, destination_types: Sequence[str], user: AbstractBaseUser
) -> list[Referral]:
    """One draft per chosen destination type among the review's accepted actions.

    A type that already has a current referral is skipped, so a double submit creates nothing
    twice. The clinical question is drafted from the triage and the history; the notes for the
    recipient start empty, because the review's notes are internal and reach a letter only when
    the clinician writes them there. A destination is preselected when the directory has exactly
    one for the type.
    """
    allowed = [code for code in review.actions if code in DestinationType.values]
    unknown = [code for code in destination_types if code not in allowed]
    if unknown:
        raise LetterError("Only the review's referral actions can become referrals.")
    created = []
    with transaction.atomic():
        taken = set(
            Referral.objects.filter(intake=review.intake, superseded_by__isnull=True).values_list(
                "destination_type", flat=True
            )
        )
        for code in allowed:
            if code not in destination_types or code in taken:
                continue
            choices = list(Destination.objects.filter(destination_type=code, active=True)[:2])
            referral = Referral.objects.create(
                intake=review.intake,
                destination_type=code,
                destination=choices[0] if len(choices) == 1 else None,
                clinical_question=_drafted_question(review, code),
                clinician=user,
            )
            audit_case_record(actor=user, action=AuditAction.REFERRAL_CREATED, obj=referral)
            created.append(referral)
    return created


def referral_update_draft(
    *,
    referral: Referral,
    user: AbstractBaseUser,
    destination: Destination | None,
    clinical_question: str,
    notes: str,
) -> Referral:
    """Edit a draft. A signed referral is immutable: the UPDATE only matches a draft."""
    if destination is not None and destination.destination_type != referral.destination_type:
        raise LetterError("That destination does not take this kind of referral.")
    updated = Referral.objects.filter(
        pk=referral.pk, status=Referral.Status.DRAFT, clinician=user
    ).update(destination=destination, clinical_question=clinical_question, notes=notes)
    if updated != 1:
        raise LetterError("This referral is signed and can no longer be changed; correct it.")
    audit_case_record(actor=user, action=AuditAction.REFERRAL_UPDATED, obj=referral)
    referral.refresh_from_db()
    return referral


def referral_correct(*, referral: Referral, user: AbstractBaseUser) -> Referral:
    """A new draft version of a signed referral; the signed one stays as it was signed."""
    if referral.status == Referral.Status.DRAFT:
        raise LetterError("A draft can be edited directly.")
    try:
        with transaction.atomic():
            draft = Referral.objects.create(
                intake=referral.intake,
                destination_type=referral.destination_type,
                destination=referral.destination,
                clinical_question=referral.clinical_question,
                notes=referral.notes,
                clinician=user,
                version=referral.version + 1,
                supersedes=referral,
            )
    except IntegrityError as exc:  # supersedes is one-to-one: someone corrected it already
        raise LetterError(
            "This referral has already been corrected; open the newer version."
        ) from exc
    audit_case_record(
        actor=user,
        action=AuditAction.REFERRAL_CORRECTED,
        obj=draft,
        detail=f"corrects referral {referral.pk} v{referral.version}",
    )
    return draft


# --- signing and the outbox ---------------------------------------------------------------------


def outbox_queue(*, topic: str, object_id: int) -> OutboxMessage:
    """Write an outbox row in the caller's transaction; publish it once that commits."""
    message = OutboxMessage.objects.create(topic=topic, object_id=object_id)
    transaction.on_commit(partial(outbox_publish, message_id=message.pk))
    return message


def referral_sign(*, referral: Referral, user: AbstractBaseUser, now: dt.datetime) -> Letter:
    """Sign a draft: it becomes immutable and its letter is queued for rendering.

    The referral, the letter and the outbox row are written in one transaction; the task is
    published after commit. A broker outage delays the letter but never loses it.
    """
    if referral.clinician_id != user.pk:
        raise LetterError("Only the clinician who wrote this draft can sign it.")
    if not referral.clinical_question.strip():
        raise LetterError("Write the clinical question before signing.")
    profile = StaffProfile.objects.filter(user=user).first()
    with transaction.atomic():
        # Lock the review: reopening it (a conditional delete while nothing is signed) and this
        # signature cannot both win.
        review = CaseReview.objects.select_for_update().filter(intake=referral.intake_id).first()
        if review is None:
            raise LetterError("The case's review was withdrawn: review the case again first.")
        if referral.destination_type not in review.actions:
            raise LetterError("The review no longer includes this referral.")
        signed = Referral.objects.filter(
            pk=referral.pk, status=Referral.Status.DRAFT, clinician=user
        ).update(
            status=Referral.Status.SIGNED,
            signed_at=now,
            signer_name=user.get_full_name() or user.get_username(),
            signer_title=profile.job_title if profile else "",
            signer_registration=profile.registration_number if profile else "",
        )
        if signed != 1:
            raise LetterError("This referral has already been signed.")
        letter = Letter.objects.create(
            kind=Letter.Kind.REFERRAL,
            intake=referral.intake,
            referral=referral,
            version=referral.version,
        )
        outbox_queue(topic=TOPIC_RENDER, object_id=letter.pk)
        audit_case_record(actor=user, action=AuditAction.REFERRAL_SIGNED, obj=referral)
        _case_review_follow_letters(referral.intake)
    referral.refresh_from_db()
    return letter


def handout_issue(*, intake: Intake, user: AbstractBaseUser) -> Letter:
    """Queue the patient's self-help handout. Issuing it again returns the one already issued
    (a failed one is retried instead)."""
    review = review_for_intake(intake)
    if review is None or not handout_advice_wanted(review):
        raise LetterError("This case's review includes no self-help advice.")
    existing = Letter.objects.filter(intake=intake, kind=Letter.Kind.HANDOUT).order_by("-version")
    latest = existing.first()
    if latest is not None and latest.status != Letter.Status.FAILED:
        return latest
    if latest is not None:
        return letter_retry(letter=latest, user=user)
    try:
        with transaction.atomic():
            letter = Letter.objects.create(kind=Letter.Kind.HANDOUT, intake=intake, version=1)
            outbox_queue(topic=TOPIC_RENDER, object_id=letter.pk)
            audit_case_record(actor=user, action=AuditAction.HANDOUT_ISSUED, obj=letter)
    except IntegrityError:  # a concurrent request issued it first
        return existing.first()
    return letter


def outbox_publish(*, message_id: int, now: dt.datetime | None = None) -> bool:
    """Publish one outbox row's task. Never raises: on a broker error the row stays pending for
    the relay, with the error kept for the operator."""
    message = OutboxMessage.objects.filter(pk=message_id, published_at__isnull=True).first()
    if message is None:
        return True
    try:
        current_app.send_task(
            TASK_FOR_TOPIC[message.topic],
            args=[message.object_id],
            kwargs={"attempt": message.attempt} if message.attempt else {},
            retry=True,
            retry_policy=PUBLISH_RETRY_POLICY,
            # Nothing reads these results: with a result backend configured, publishing would
            # first wait on it (19 s with Redis down), so the request path never touches one.
            ignore_result=True,
        )
    except Exception as exc:  # any broker failure: the relay publishes it later
        OutboxMessage.objects.filter(pk=message.pk).update(
            publish_attempts=F("publish_attempts") + 1,
            last_error=f"{type(exc).__name__}: {exc}"[:500],
        )
        logger.warning(
            "Outbox message %s (%s) not published: %s; the relay will retry.",
            message.pk,
            message.topic,
            type(exc).__name__,
        )
        return False
    OutboxMessage.objects.filter(pk=message.pk, published_at__isnull=True).update(
        published_at=now or timezone.now(),
        publish_attempts=F("publish_attempts") + 1,
        last_error="",
    )
    return True


def outbox_retry_later(
    *, topic: str, object_id: int, attempt: int, delay_seconds: float, now: dt.datetime
) -> OutboxMessage:
    """Run the topic's task again after `delay_seconds`, as its `attempt`-th retry.

    Retries are scheduled here, in the database, and published by the relay (beat) when due,
    never as countdown/ETA messages: a worker holding an ETA message crashed for good when Redis
    restarted (kombu's Redis transport restores the held message through a channel whose
    connection is already gone: AttributeError on `hostname`, celery/kombu#582 and #970).
    """
    return OutboxMessage.objects.create(
        topic=topic,
        object_id=object_id,
        attempt=attempt,
        not_before=now + dt.timedelta(seconds=delay_seconds),
    )


def outbox_relay(*, now: dt.datetime) -> int:
    """Publish the rows whose publish-after-commit failed (broker down, process killed), oldest
    first; stop at the first failure so a dead broker is not hammered. Old published rows are
    purged. Returns how many were published."""
    pending = (
        OutboxMessage.objects.filter(published_at__isnull=True, created_at__lte=now - RELAY_GRACE)
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .order_by("created_at", "id")
    )
    published = 0
    for message_id in pending.values_list("pk", flat=True)[:RELAY_BATCH]:
        if not outbox_publish(message_id=message_id, now=now):
            break
        published += 1
    OutboxMessage.objects.filter(published_at__lt=now - OUTBOX_KEEP).delete()
    return published


def letters_reconcile(*, now: dt.datetime) -> int:
    """Re-queue renders that were lost: letters "rendering" for longer than the hard time limit
    (their worker died and no redelivery came), and letters queued long ago whose message never
    arrived. Returns how many were re-queued."""
    lease = dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    queued = OutboxMessage.objects.filter(topic=TOPIC_RENDER, object_id=OuterRef("pk"))
    # Every queued letter got an outbox row when it was queued; a recent or unpublished row means
    # its render is already on its way (or waiting for the broker): re-queueing would only
    # duplicate it.
    rendering_lost = Q(status=Letter.Status.RENDERING, started_at__lt=now - lease) & ~Exists(
        queued.filter(created_at__gte=now - lease)
    )
    pending_lost = Q(status=Letter.Status.PENDING) & ~Exists(
        queued.filter(created_at__gte=now - LOST_MESSAGE_AFTER)
    )
    stuck = Letter.objects.filter(rendering_lost | pending_lost).exclude(
        Exists(queued.filter(published_at__isnull=True))
    )
    count = 0
    for letter_id in stuck.values_list("pk", flat=True):
        with transaction.atomic():
            outbox_queue(topic=TOPIC_RENDER, object_id=letter_id)
        logger.warning("Letter %s was stuck; re-queued.", letter_id)
        count += 1
    return count


# --- rendering ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Claim:
    letter_id: int
    referral_id: int | None
    attempt: int
    started_at: dt.datetime


def _claim(*, letter_id: int, redelivered: bool, now: dt.datetime) -> _Claim | None:
    """Take the letter for this worker, or None if it is done or someone else holds it.

    A "rendering" letter may be taken over only when its holder is surely dead: the broker
    redelivered this task (it does so only when the worker running it was lost), or the claim is
    older than the hard time limit (which would have killed its holder).
    """
    letter = (
        Letter.objects.filter(pk=letter_id)
        .only("status", "attempts", "started_at", "referral_id")
        .first()
    )
    if letter is None or letter.status in (Letter.Status.READY, Letter.Status.FAILED):
        return None
    if letter.status == Letter.Status.RENDERING:
        lease_expired = letter.started_at is None or letter.started_at < now - dt.timedelta(
            seconds=settings.CELERY_TASK_TIME_LIMIT
        )
        if not (redelivered or lease_expired):
            return None
    current = Letter.objects.filter(
        pk=letter_id, status=letter.status, attempts=letter.attempts, started_at=letter.started_at
    )
    if letter.attempts >= MAX_RENDER_ATTEMPTS:
        # Every earlier attempt died mid-render: this letter crashes workers. Stop here.
        error = (
            f"Rendering stopped after {letter.attempts} attempts that never finished "
            "(the worker crashed or hit the time limit)."
        )
        if current.update(status=Letter.Status.FAILED, error=error, finished_at=now):
            _referral_failed(referral_id=letter.referral_id, error=error)
            logger.error("Letter %s failed after %s crashed attempts.", letter_id, letter.attempts)
        return None
    claimed = current.update(
        status=Letter.Status.RENDERING, started_at=now, attempts=letter.attempts + 1, error=""
    )
    if claimed != 1:
        return None
    Referral.objects.filter(
        pk=letter.referral_id, status__in=(Referral.Status.SIGNED, Referral.Status.RENDERING)
    ).update(status=Referral.Status.RENDERING)
    return _Claim(
        letter_id=letter_id,
        referral_id=letter.referral_id,
        attempt=letter.attempts + 1,
        started_at=now,
    )


def _held(claim: _Claim):
    return Letter.objects.filter(
        pk=claim.letter_id,
        status=Letter.Status.RENDERING,
        attempts=claim.attempt,
        started_at=claim.started_at,
    )


def _referral_failed(*, referral_id: int | None, error: str) -> None:
    Referral.objects.filter(
        pk=referral_id, status__in=(Referral.Status.SIGNED, Referral.Status.RENDERING)
    ).update(status=Referral.Status.FAILED, error=error)


def _fail(claim: _Claim, error: str) -> None:
    if _held(claim).update(status=Letter.Status.FAILED, error=error, finished_at=timezone.now()):
        _referral_failed(referral_id=claim.referral_id, error=error)


def letter_render(
    *, letter_id: int, redelivered: bool = False, now: dt.datetime | None = None
) -> Letter | None:
    """Render one letter to a private PDF with its SHA-256. Idempotent: a letter that is done,
    or held by a live worker, is left alone. Returns the letter when this call finished it."""
    now = now or timezone.now()
    claim = _claim(letter_id=letter_id, redelivered=redelivered, now=now)
    if claim is None:
        return None
    letter = Letter.objects.select_related("intake__patient").get(pk=letter_id)
    try:
        template, context = letter_document(letter)
        started, started_cpu = time.perf_counter(), time.process_time()
        pdf = render_pdf(template, context)
    except DatabaseError:
        raise  # transient: the task retries with backoff and reclaims its own letter
    except SoftTimeLimitExceeded:
        _fail(claim, f"Rendering took longer than {settings.CELERY_TASK_SOFT_TIME_LIMIT} s.")
        logger.error("Letter %s hit the soft time limit.", letter_id)
        return None
    except Exception as exc:
        # A template or layout fault is not transient: fail now, the clinician can retry once
        # it is fixed. Only the exception's type is logged (its text may quote patient data).
        _fail(claim, f"The letter could not be rendered ({type(exc).__name__}).")
        logger.error("Letter %s could not be rendered: %s", letter_id, type(exc).__name__)
        return None
    render_ms = (time.perf_counter() - started) * 1000
    render_cpu_ms = (time.process_time() - started_cpu) * 1000
    file_name, digest = _store(pdf)
    finished = _held(claim).update(
        status=Letter.Status.READY,
        file_name=file_name,
        sha256=digest,
        size=len(pdf),
        finished_at=timezone.now(),
        error="",
    )
    if finished != 1:
        # Another worker took the letter over (this one was presumed dead): keep theirs.
        _discard(file_name)
        return None
    if letter.file_name and letter.file_name != file_name:
        # A re-render (after a damaged file or a retry) replaces the file: no stale copy of the
        # patient's letter stays on disk.
        _discard(letter.file_name)
    Referral.objects.filter(pk=claim.referral_id, status=Referral.Status.RENDERING).update(
        status=Referral.Status.READY, error=""
    )
    _case_review_follow_letters(letter.intake)
    # Ids, sizes and timings only (bench/letters.py reads these lines).
    logger.info(
        "Letter %s rendered in %.1f ms, %.1f ms CPU (%d bytes, attempt %d, pid %d).",
        letter_id,
        render_ms,
        render_cpu_ms,
        len(pdf),
        claim.attempt,
        os.getpid(),
    )
    letter.refresh_from_db()
    return letter


def letter_lease_remaining(*, letter_id: int, now: dt.datetime) -> float | None:
    """Seconds until another worker's claim on a rendering letter expires (the hard time limit
    will have ended it by then), or None if the letter is not rendering."""
    started_at = (
        Letter.objects.filter(pk=letter_id, status=Letter.Status.RENDERING)
        .values_list("started_at", flat=True)
        .first()
    )
    if started_at is None:
        return None
    expires = started_at + dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    return max(0.0, (expires - now).total_seconds())


def letter_retry(*, letter: Letter, user: AbstractBaseUser) -> Letter:
    """Queue a failed letter again, with a fresh attempts counter."""
    with transaction.atomic():
        reset = Letter.objects.filter(pk=letter.pk, status=Letter.Status.FAILED).update(
            status=Letter.Status.PENDING, attempts=0, error="", started_at=None, finished_at=None
        )
        if reset != 1:
            raise LetterError("Only a failed letter can be retried.")
        Referral.objects.filter(pk=letter.referral_id, status=Referral.Status.FAILED).update(
            status=Referral.Status.SIGNED, error=""
        )
        outbox_queue(topic=TOPIC_RENDER, object_id=letter.pk)
        audit_case_record(actor=user, action=AuditAction.LETTER_RETRIED, obj=letter)
    letter.refresh_from_db()
    return letter


# --- private storage ----------------------------------------------------------------------------


def _object_store() -> Storage | None:
    """The S3-compatible store when LETTERS_S3_BUCKET configures one, else None (the local
    directory PRIVATE_STORAGE_DIR)."""
    return storages["letters"] if "letters" in settings.STORAGES else None


def _private_path(file_name: str) -> Path:
    root = Path(settings.PRIVATE_STORAGE_DIR).resolve()
    path = (root / file_name).resolve()
    if root not in path.parents:
        raise LetterIntegrityError("The letter's file name is not under private storage.")
    return path


def _store(pdf: bytes) -> tuple[str, str]:
    """Write the PDF under a random name outside every public URL; fsync before it counts."""
    token = secrets.token_hex(16)
    file_name = f"{LETTERS_DIR}/{token[:2]}/{token}.pdf"
    digest = hashlib.sha256(pdf).hexdigest()
    store = _object_store()
    if store is not None:
        # One PUT: an object appears whole or not at all, so no partial file to rename.
        return store.save(file_name, ContentFile(pdf)), digest
    path = _private_path(file_name)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial_path = path.with_suffix(".part")
    fd = os.open(partial_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pdf)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial_path, path)
    return file_name, digest


def _read(file_name: str) -> bytes:
    store = _object_store()
    if store is None:
        return _private_path(file_name).read_bytes()
    with store.open(file_name, "rb") as handle:
        return handle.read()


def _discard(file_name: str) -> None:
    store = _object_store()
    if store is None:
        _private_path(file_name).unlink(missing_ok=True)
    else:
        store.delete(file_name)  # deleting a missing object is not an error in S3


def letter_read_verified(*, letter: Letter) -> bytes:
    """The stored PDF, after checking it still has the SHA-256 recorded when it was made."""
    if letter.status != Letter.Status.READY or not letter.file_name:
        raise LetterError("This letter is not ready.")
    try:
        data = _read(letter.file_name)
    except OSError as exc:
        raise LetterIntegrityError("The letter's file is missing from storage.") from exc
    if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), letter.sha256):
        raise LetterIntegrityError("The letter's file does not match its recorded SHA-256.")
    return data


def letter_download_record(
    *, letter: Letter, user: AbstractBaseUser, ip_address: str | None = None
) -> None:
    """Every download of a letter is in the case's trail: the PDF carries the patient's record."""
    audit_case_record(
        actor=user, action=AuditAction.LETTER_DOWNLOADED, obj=letter, ip_address=ip_address
    )


def letter_preview_record(
    *,
    intake: Intake,
    user: AbstractBaseUser,
    referral: Referral | None = None,
    ip_address: str | None = None,
) -> None:
    """Every preview of a letter is in the case's trail, like a download: the referral's when
    one is given, otherwise the case's self-help handout."""
    audit_record(
        actor=user,
        action=AuditAction.LETTER_PREVIEWED,
        intake=intake,
        obj=referral,
        detail="" if referral is not None else "self-help handout",
        ip_address=ip_address,
    )


def referral_view_record(
    *, referral: Referral, user: AbstractBaseUser, ip_address: str | None = None
) -> None:
    """Every opening of a referral's page is in the case's trail: it shows the letter's text."""
    audit_case_record(
        actor=user, action=AuditAction.REFERRAL_VIEWED, obj=referral, ip_address=ip_address
    )


def case_letters_view_record(
    *, intake: Intake, user: AbstractBaseUser, ip_address: str | None = None
) -> None:
    """Every opening of a case's referrals and letters (the page, or the panel the case page
    loads; not the panel's background polls) is in the case's trail."""
    audit_record(
        actor=user, action=AuditAction.CASE_LETTERS_VIEWED, intake=intake, ip_address=ip_address
    )


def letter_mark_damaged(*, letter: Letter, user: AbstractBaseUser, reason: str) -> None:
    """A stored PDF failed its integrity check: never serve it; the letter can be re-rendered."""
    error = f"{reason} Re-render the letter."
    with transaction.atomic():
        Letter.objects.filter(pk=letter.pk, status=Letter.Status.READY).update(
            status=Letter.Status.FAILED, error=error
        )
        Referral.objects.filter(pk=letter.referral_id, status=Referral.Status.READY).update(
            status=Referral.Status.FAILED, error=error
        )
        audit_case_record(
            actor=user, action=AuditAction.LETTER_INTEGRITY_FAILED, obj=letter, detail=reason
        )
    logger.error("Letter %s failed its integrity check: %s", letter.pk, reason)


# --- sending ------------------------------------------------------------------------------------


def referral_send(*, referral: Referral, user: AbstractBaseUser) -> Delivery:
    """Queue the e-mail of a ready letter to the destination. One delivery per letter and
    channel: sending twice queues nothing new (a failed one is queued again)."""
    if Referral.objects.filter(supersedes=referral).exclude(status=Referral.Status.DRAFT).exists():
        raise LetterError("A newer version of this referral exists; send that one.")
    if referral.status not in (Referral.Status.READY, Referral.Status.SENT):
        raise LetterError("The letter is not ready yet.")
    destination = referral.destination
    if destination is None or not destination.email:
        raise LetterError("This destination has no e-mail address: print the letter instead.")
    letter = referral.letters.filter(status=Letter.Status.READY).order_by("-version").first()
    if letter is None:
        raise LetterError("The letter is not ready yet.")
    with transaction.atomic():
        delivery, created = Delivery.objects.get_or_create(
            letter=letter,
            channel=Delivery.Channel.EMAIL,
            defaults={"recipient": destination.email},
        )
        requeue = not created and delivery.status == Delivery.Status.FAILED
        if requeue:
            Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.FAILED).update(
                status=Delivery.Status.PENDING, error="", recipient=destination.email
            )
        if created or requeue:
            outbox_queue(topic=TOPIC_SEND, object_id=delivery.pk)
            audit_case_record(
                actor=user,
                action=AuditAction.LETTER_SENT,
                obj=letter,
                detail=f"e-mail to {destination.email}",
            )
    delivery.refresh_from_db()
    return delivery


def delivery_send(*, delivery_id: int, now: dt.datetime | None = None) -> bool:
    """E-mail a letter to its recipient, once. The row is locked while sending, so two deliveries
    of the task cannot both send; a crash after the SMTP server accepted the message but before
    commit sends it again (at least once, the safe side for a referral). Returns True if sent now.
    """
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            # of=("self",): PostgreSQL cannot lock the nullable side of the join to the referral.
            Delivery.objects.select_for_update(of=("self",))
            .select_related("letter__referral__intake")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != Delivery.Status.PENDING:
            return False
        letter = delivery.letter
        pdf = letter_read_verified(letter=letter)
        reference = letter_reference(letter)
        context = {"reference": reference, "clinic_name": settings.CLINIC_NAME}
        subject = render_to_string("referrals/letter_email_subject.txt", context).strip()
        message = EmailMessage(
            subject=" ".join(subject.split()),
            body=render_to_string("referrals/letter_email_body.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[delivery.recipient],
            reply_to=[settings.CLINIC_EMAIL],
        )
        message.attach(letter_file_name(letter), pdf, "application/pdf")
        message.send(fail_silently=False)
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.SENT, sent_at=now, error=""
        )
        Referral.objects.filter(pk=letter.referral_id, status=Referral.Status.READY).update(
            status=Referral.Status.SENT
        )
        _case_review_follow_letters(letter.intake)
    return True


def delivery_fail(*, delivery_id: int, error: str) -> None:
    """The e-mail could not be sent after every retry: show it, allow sending again."""
    Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.FAILED, error=error[:500]
    )


# --- the case's review state --------------------------------------------------------------------


def _case_review_follow_letters(intake: Intake) -> None:
    """Move the case's review along with its letters: referral_signed while a referral letter is
    on its way, letter_ready once every letter (the handout too) is ready, sent once every
    referral is sent. The review service only ever moves the state forward."""
    statuses = set(
        Referral.objects.filter(intake=intake, superseded_by__isnull=True)
        .exclude(status=Referral.Status.DRAFT)
        .values_list("status", flat=True)
    )
    handout = (
        Letter.objects.filter(intake=intake, kind=Letter.Kind.HANDOUT)
        .order_by("-version")
        .values_list("status", flat=True)
        .first()
    )
    handout_done = handout in (None, Letter.Status.READY)
    if statuses and statuses == {Referral.Status.SENT} and handout_done:
        state = CaseReview.State.SENT
    elif (
        (statuses or handout)
        and statuses <= {Referral.Status.READY, Referral.Status.SENT}
        and handout_done
    ):
        state = CaseReview.State.LETTER_READY
    elif statuses:
        state = CaseReview.State.REFERRAL_SIGNED
    else:
        return  # only a handout on its way: nothing is signed yet
    case_review_set_state(intake=intake, state=state)
