"""The pre-visit reminder: one e-mail when the form is not submitted PRE_VISIT_REMINDER_HOURS
before the visit, never after submission, revocation or expiry, never twice; claimed by beat
and sent through the outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from audit.actions import AuditAction
from audit.models import AuditEvent
from intake.models import Intake, Invitation
from intake.selectors import desk_visits
from intake.services import invitation_reminder_send, invitation_revoke, invitation_send_email
from referrals.models import OutboxMessage
from referrals.services import letters
from referrals.services.selfhelp import patient_messages_queue
from tests.factories import IntakeFactory

pytestmark = pytest.mark.django_db

SENT_AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
VISIT = dt.date(2026, 3, 6)
DAY_BEFORE = dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC)  # within 48 hours of the visit


def _emailed_visit() -> Intake:
    intake = IntakeFactory(visit_date=VISIT)
    invitation_send_email(intake=intake, created_by=None, now=SENT_AT)
    mail.outbox.clear()
    return intake


def _remind(now: dt.datetime = DAY_BEFORE) -> int:
    return patient_messages_queue(now=now).pre_visit_reminders


def test_a_form_not_submitted_two_days_before_the_visit_is_reminded_once() -> None:
    intake = _emailed_visit()

    queued = [_remind(), _remind()]
    sent = [invitation_reminder_send(intake_id=intake.pk, now=DAY_BEFORE) for _ in range(2)]

    assert queued == [1, 0]
    assert sent == [True, False]
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.filter(topic=letters.TOPIC_PRE_VISIT_REMIND).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.PRE_VISIT_REMINDED).count() == 1


def test_the_reminder_carries_a_working_link_and_no_clinical_detail() -> None:
    intake = _emailed_visit()
    _remind()

    invitation_reminder_send(intake_id=intake.pk, now=DAY_BEFORE)

    (message,) = mail.outbox
    text = (message.subject + message.body).lower()
    assert "/p/" in text
    assert intake.patient.last_name.lower() not in text
    assert intake.patient.mrn.lower() not in text
    assert Invitation.objects.filter(intake=intake, revoked_at__isnull=True).count() == 1


def test_a_form_with_days_to_go_is_not_reminded_yet() -> None:
    _emailed_visit()

    assert _remind(now=SENT_AT) == 0


def test_a_submitted_form_is_never_reminded() -> None:
    intake = _emailed_visit()
    Intake.objects.filter(pk=intake.pk).update(status=Intake.Status.SUBMITTED)

    assert _remind() == 0


def test_a_form_submitted_after_the_claim_is_not_reminded() -> None:
    intake = _emailed_visit()
    _remind()
    Intake.objects.filter(pk=intake.pk).update(status=Intake.Status.SUBMITTED)

    assert invitation_reminder_send(intake_id=intake.pk, now=DAY_BEFORE) is False
    assert mail.outbox == []


def test_a_revoked_link_is_not_reminded() -> None:
    intake = _emailed_visit()
    invitation_revoke(intake=intake, actor=None, now=SENT_AT)

    assert _remind() == 0


def test_an_expired_link_is_not_reminded() -> None:
    intake = _emailed_visit()
    Invitation.objects.filter(intake=intake).update(expires_at=SENT_AT)

    assert _remind() == 0


def test_the_front_desk_sees_the_reminder_in_the_forms_state() -> None:
    intake = _emailed_visit()
    _remind()

    (visit,) = [v for v in desk_visits(today=VISIT, now=DAY_BEFORE) if v.intake.pk == intake.pk]

    assert "reminded" in visit.state.detail
