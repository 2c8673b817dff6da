"""The on-call alert: raised with a red-flag submission, e-mailed through the outbox with no
patient detail, sent again by beat until someone acknowledges it, up to a limit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from audit.actions import AuditAction
from audit.models import AuditEvent
from referrals.models import OutboxMessage, RedFlagAlert
from referrals.services.letters import TOPIC_RED_FLAG_ALERT, outbox_relay
from referrals.services.urgent import (
    red_flag_alert_acknowledge,
    red_flag_alert_raise,
    red_flag_alert_send,
    red_flag_alerts_resend,
)
from tests.factories import PatientFactory
from tests.referrals.factories import SELF_HELP, submitted_intake, submitted_through_the_form

pytestmark = pytest.mark.django_db

CANARY_FIRST, CANARY_LAST, CANARY_MRN = "Zebedee", "Canarywharf", "CANARY-7731"
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _alert_settings(settings) -> None:
    settings.ONCALL_ALERT_EMAILS = ["oncall@clinic.test", "registrar@clinic.test"]
    settings.RED_FLAG_ALERT_ACK_MINUTES = 30
    settings.RED_FLAG_ALERT_MAX_SENDS = 3
    settings.SITE_URL = "https://clinic.test"


def _canary_case():
    patient = PatientFactory(
        first_name=CANARY_FIRST,
        last_name=CANARY_LAST,
        mrn=CANARY_MRN,
        email="zebedee@patient.test",
        mobile="07700 900123",
    )
    return submitted_through_the_form(patient=patient, now=NOW)


def _alert(intake) -> RedFlagAlert:
    return RedFlagAlert.objects.get(intake=intake)


def _actions(intake, action: AuditAction) -> int:
    return AuditEvent.objects.filter(intake=intake, action=action).count()


def test_a_red_flag_submission_raises_one_alert_with_its_outbox_row() -> None:
    intake = _canary_case()

    alert = _alert(intake)
    assert alert.triage_record_id == intake.current_triage_id
    assert OutboxMessage.objects.filter(topic=TOPIC_RED_FLAG_ALERT, object_id=alert.pk).count() == 1
    assert _actions(intake, AuditAction.RED_FLAG_ALERT_RAISED) == 1


def test_a_submission_without_a_red_flag_raises_no_alert() -> None:
    intake = submitted_through_the_form(history=SELF_HELP)

    assert not RedFlagAlert.objects.filter(intake=intake).exists()


def test_the_alert_e_mail_goes_to_every_on_call_address_with_a_link_and_no_patient_detail() -> None:
    intake = _canary_case()

    assert red_flag_alert_send(alert_id=_alert(intake).pk, now=NOW)

    (message,) = mail.outbox
    assert message.to == ["oncall@clinic.test", "registrar@clinic.test"]
    assert f"https://clinic.test/review/case/{intake.pk}/" in message.body
    whole = message.message().as_string()
    for detail in (CANARY_FIRST, CANARY_LAST, CANARY_MRN, "zebedee@patient.test", "07700"):
        assert detail not in whole
    for clinical in ("saddle", "cauda", "URG-1", "numbness"):
        assert clinical.lower() not in whole.lower()


def test_a_duplicate_delivery_of_the_send_task_sends_nothing_twice() -> None:
    alert = _alert(_canary_case())

    assert red_flag_alert_send(alert_id=alert.pk, now=NOW)
    assert not red_flag_alert_send(alert_id=alert.pk, now=NOW)

    assert len(mail.outbox) == 1
    alert.refresh_from_db()
    assert (alert.sends_queued, alert.sends_done, alert.last_sent_at) == (1, 1, NOW)


def test_each_send_is_in_the_audit_trail() -> None:
    intake = _canary_case()
    red_flag_alert_send(alert_id=_alert(intake).pk, now=NOW)

    event = AuditEvent.objects.get(intake=intake, action=AuditAction.RED_FLAG_ALERT_SENT)
    assert event.detail == "send 1 of 3"


def test_an_acknowledged_alert_is_not_sent() -> None:
    intake = _canary_case()
    red_flag_alert_acknowledge(intake=intake, actor=None, now=NOW)

    assert not red_flag_alert_send(alert_id=_alert(intake).pk, now=NOW)
    assert mail.outbox == []


def test_beat_sends_an_unacknowledged_alert_again_once_the_window_has_passed() -> None:
    alert = _alert(_canary_case())
    red_flag_alert_send(alert_id=alert.pk, now=NOW)

    assert red_flag_alerts_resend(now=NOW + dt.timedelta(minutes=29)) == 0
    assert red_flag_alerts_resend(now=NOW + dt.timedelta(minutes=30)) == 1
    assert red_flag_alert_send(alert_id=alert.pk, now=NOW + dt.timedelta(minutes=30))

    assert len(mail.outbox) == 2
    assert "reminder 1" in mail.outbox[1].subject


def test_running_beat_twice_asks_for_one_send() -> None:
    alert = _alert(_canary_case())
    red_flag_alert_send(alert_id=alert.pk, now=NOW)
    later = NOW + dt.timedelta(minutes=45)

    assert red_flag_alerts_resend(now=later) == 1
    assert red_flag_alerts_resend(now=later) == 0
    assert red_flag_alerts_resend(now=later + dt.timedelta(minutes=5)) == 0

    assert OutboxMessage.objects.filter(topic=TOPIC_RED_FLAG_ALERT, object_id=alert.pk).count() == 2


def test_beat_stops_at_the_limit_of_sends() -> None:
    alert = _alert(_canary_case())
    now = NOW
    for _ in range(5):
        red_flag_alert_send(alert_id=alert.pk, now=now)
        now += dt.timedelta(minutes=31)
        red_flag_alerts_resend(now=now)

    assert len(mail.outbox) == 3
    alert.refresh_from_db()
    assert (alert.sends_queued, alert.sends_done) == (3, 3)


def test_an_acknowledged_alert_is_not_sent_again() -> None:
    intake = _canary_case()
    red_flag_alert_send(alert_id=_alert(intake).pk, now=NOW)
    red_flag_alert_acknowledge(intake=intake, actor=None, now=NOW + dt.timedelta(minutes=5))

    assert red_flag_alerts_resend(now=NOW + dt.timedelta(hours=2)) == 0


def test_a_send_that_never_went_is_queued_again_after_the_window_without_a_second_send() -> None:
    alert = _alert(_canary_case())  # queued at NOW; its message was lost

    assert red_flag_alerts_resend(now=NOW + dt.timedelta(minutes=31)) == 1
    assert red_flag_alert_send(alert_id=alert.pk, now=NOW + dt.timedelta(minutes=31))
    assert not red_flag_alert_send(alert_id=alert.pk, now=NOW + dt.timedelta(minutes=31))

    assert len(mail.outbox) == 1


def test_acknowledging_is_audited_once(clinician) -> None:
    intake = _canary_case()

    assert red_flag_alert_acknowledge(intake=intake, actor=clinician, now=NOW)
    assert not red_flag_alert_acknowledge(intake=intake, actor=clinician, now=NOW)

    alert = _alert(intake)
    assert (alert.acknowledged_by, alert.acknowledged_at) == (clinician, NOW)
    event = AuditEvent.objects.get(intake=intake, action=AuditAction.RED_FLAG_ALERT_ACKNOWLEDGED)
    assert event.actor == clinician


def test_raising_again_while_an_alert_is_open_returns_it() -> None:
    intake = _canary_case()

    assert red_flag_alert_raise(intake=intake, now=NOW) == _alert(intake)
    assert RedFlagAlert.objects.filter(intake=intake).count() == 1


def test_raising_after_an_acknowledged_alert_raises_a_new_one(clinician) -> None:
    """A follow-up's red flag on an acknowledged case is news: the on-call hears again."""
    intake = _canary_case()
    red_flag_alert_acknowledge(intake=intake, actor=clinician, now=NOW)

    red_flag_alert_raise(intake=intake, now=NOW + dt.timedelta(days=40))

    assert RedFlagAlert.objects.filter(intake=intake, acknowledged_at__isnull=True).count() == 1


def test_red_flag_alert_raise_works_on_a_case_triaged_outside_the_form() -> None:
    """The one service the follow-up check-ins call when their triage has a red flag."""
    intake = submitted_intake()  # stored by the triage service, not through intake_submit

    alert = red_flag_alert_raise(intake=intake, now=NOW)

    assert alert.intake == intake
    assert OutboxMessage.objects.filter(topic=TOPIC_RED_FLAG_ALERT, object_id=alert.pk).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_broker_down_the_alert_waits_in_the_outbox_for_the_relay(broker_down) -> None:
    intake = submitted_through_the_form(now=timezone.now() - dt.timedelta(minutes=1))
    message = OutboxMessage.objects.get(topic=TOPIC_RED_FLAG_ALERT)

    assert message.published_at is None
    assert message.publish_attempts == 1
    assert outbox_relay(now=timezone.now() + dt.timedelta(minutes=1)) == 0  # still down
    message.refresh_from_db()
    assert (message.published_at, message.publish_attempts) == (None, 2)  # kept, not lost
    assert RedFlagAlert.objects.get(intake=intake).sends_done == 0
