"""Red flags acted on at once: the on-call alert, its re-sends and acknowledgement, and the
clinician's record of contacting the patient.

An alert is raised in the transaction that stores the red-flag triage (intake_submit calls it
through intake's hook, see intake/red_flags.py; anything else that triages new answers calls
`red_flag_alert_raise` itself). Its e-mail goes through the outbox like a letter: a broker outage
delays it, never loses it. The e-mail carries a link to the case and nothing about the patient.
Task arguments are the alert's id only.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse

from audit.actions import AuditAction
from audit.services import audit_case_record
from intake.models import Intake
from referrals.models import PatientContact, RedFlagAlert
from referrals.services.letters import TOPIC_RED_FLAG_ALERT, outbox_queue


def _ack_window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.RED_FLAG_ALERT_ACK_MINUTES)


def red_flag_alert_raise(*, intake: Intake, now: dt.datetime) -> RedFlagAlert:
    """Alert the on-call address(es) that this case has a red flag, at once (after commit).

    One open alert per case: while one is unacknowledged, raising again returns it (its re-sends
    already run). Call it in the transaction that stored the red-flag triage; the alert and its
    outbox row commit with it.
    """
    open_alert = RedFlagAlert.objects.filter(intake=intake, acknowledged_at__isnull=True).first()
    if open_alert is not None:
        return open_alert
    try:
        with transaction.atomic():
            alert = RedFlagAlert.objects.create(
                intake=intake,
                triage_record=intake.current_triage,
                raised_at=now,
                last_queued_at=now,
            )
            outbox_queue(topic=TOPIC_RED_FLAG_ALERT, object_id=alert.pk)
            audit_case_record(actor=None, action=AuditAction.RED_FLAG_ALERT_RAISED, obj=alert)
    except IntegrityError:  # a concurrent raise for the same case won: theirs is the alert
        return RedFlagAlert.objects.get(intake=intake, acknowledged_at__isnull=True)
    return alert


def red_flag_alert_send(*, alert_id: int, now: dt.datetime) -> bool:
    """E-mail the alert to the on-call address(es), once per send asked for. Nothing is sent for
    an acknowledged alert or when the asked-for send already went (a duplicate delivery). The
    row is locked while sending, so two deliveries cannot both send. True if sent now."""
    with transaction.atomic():
        alert = RedFlagAlert.objects.select_for_update().filter(pk=alert_id).first()
        if alert is None or alert.acknowledged_at is not None:
            return False
        if alert.sends_done >= alert.sends_queued:
            return False
        send_number = alert.sends_done + 1
        context = {
            "clinic_name": settings.CLINIC_NAME,
            "url": settings.SITE_URL.rstrip("/")
            + reverse("referrals:case", args=[alert.intake_id]),
            "send_number": send_number,
            "max_sends": settings.RED_FLAG_ALERT_MAX_SENDS,
            "ack_minutes": settings.RED_FLAG_ALERT_ACK_MINUTES,
        }
        subject = render_to_string("emails/red_flag_alert_subject.txt", context)
        EmailMessage(
            subject=" ".join(subject.split()),
            body=render_to_string("emails/red_flag_alert.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=list(settings.ONCALL_ALERT_EMAILS),
        ).send(fail_silently=False)
        RedFlagAlert.objects.filter(pk=alert.pk).update(
            sends_done=F("sends_done") + 1, last_sent_at=now
        )
        audit_case_record(
            actor=None,
            action=AuditAction.RED_FLAG_ALERT_SENT,
            obj=alert,
            detail=f"send {send_number} of {settings.RED_FLAG_ALERT_MAX_SENDS}",
        )
    return True


def red_flag_alerts_resend(*, now: dt.datetime) -> int:
    """Beat's job: ask again for the e-mail of every alert nobody acknowledged within the ack
    window of its last send, up to RED_FLAG_ALERT_MAX_SENDS sends; and queue again a send that
    never went for as long (its message or its worker was lost). Idempotent: each send is asked
    for with a conditional update, so a second run at the same moment queues nothing. Returns
    how many sends were queued."""
    due_before = now - _ack_window()
    unacknowledged = RedFlagAlert.objects.filter(acknowledged_at__isnull=True)
    queued = 0
    repeat = unacknowledged.filter(
        sends_done=F("sends_queued"),
        sends_queued__lt=settings.RED_FLAG_ALERT_MAX_SENDS,
        last_sent_at__lte=due_before,
    )
    for alert_id, sends in repeat.values_list("pk", "sends_queued"):
        with transaction.atomic():
            claimed = unacknowledged.filter(pk=alert_id, sends_queued=sends).update(
                sends_queued=sends + 1, last_queued_at=now
            )
            if claimed:
                outbox_queue(topic=TOPIC_RED_FLAG_ALERT, object_id=alert_id)
                queued += 1
    lost = unacknowledged.filter(sends_done__lt=F("sends_queued"), last_queued_at__lte=due_before)
    for alert_id, queued_at in lost.values_list("pk", "last_queued_at"):
        with transaction.atomic():
            if unacknowledged.filter(pk=alert_id, last_queued_at=queued_at).update(
                last_queued_at=now
            ):
                outbox_queue(topic=TOPIC_RED_FLAG_ALERT, object_id=alert_id)
                queued += 1
    return queued


def red_flag_alert_acknowledge(
    *,
    intake: Intake,
    actor: AbstractBaseUser,
    now: dt.datetime,
    ip_address: str | None = None,
) -> bool:
    """A clinician has seen the case's alert: it is not sent again. False when the case has no
    open alert (already acknowledged, by someone else a moment ago too)."""
    alert = RedFlagAlert.objects.filter(intake=intake, acknowledged_at__isnull=True).first()
    if alert is None:
        return False
    acknowledged = RedFlagAlert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=actor
    )
    if not acknowledged:
        return False
    audit_case_record(
        actor=actor,
        action=AuditAction.RED_FLAG_ALERT_ACKNOWLEDGED,
        obj=alert,
        ip_address=ip_address,
    )
    return True


@transaction.atomic
def patient_contact_record(
    *,
    intake: Intake,
    actor: AbstractBaseUser,
    contacted_at: dt.datetime,
    method: str,
    outcome: str,
    note: str,
    now: dt.datetime,
    ip_address: str | None = None,
) -> PatientContact:
    """Record that a clinician contacted (or tried to contact) the patient. Trying to reach the
    patient is acting on the alert, so it also acknowledges an open one. Only a contact with the
    outcome "told to attend emergency care" lets the urgent letter say the patient was told."""
    if contacted_at > now:
        raise ValueError("A contact cannot be recorded in the future.")
    contact = PatientContact.objects.create(
        intake=intake,
        contacted_at=contacted_at,
        method=method,
        outcome=outcome,
        note=note,
        recorded_by=actor,
        recorded_at=now,
    )
    audit_case_record(
        actor=actor,
        action=AuditAction.PATIENT_CONTACTED,
        obj=contact,
        detail=f"{contact.get_method_display()}: {contact.get_outcome_display()}",
        ip_address=ip_address,
    )
    red_flag_alert_acknowledge(intake=intake, actor=actor, now=now, ip_address=ip_address)
    return contact
