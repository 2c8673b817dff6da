"""The follow-up check-in: scheduled at review, sent by beat when due, answered by the patient,
and acted on (back to the queue, closed, or the red-flag path)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from audit.actions import AuditAction
from audit.models import AuditEvent
from intake.models import Intake
from referrals.models import CaseReview, FollowUp, OutboxMessage, RedFlagAlert
from referrals.services import letters
from referrals.services.follow_ups import follow_up_cancel, follow_up_schedule
from referrals.services.letters import TOPIC_RED_FLAG_ALERT
from referrals.services.selfhelp import (
    FollowUpAnswers,
    SelfHelpError,
    follow_up_answer,
    follow_up_link_send,
    patient_messages_queue,
)
from tests.conftest import sign_in
from tests.referrals.factories import (
    URGENT,
    CaseReviewFactory,
    draft_referral,
    submitted_intake,
)
from tests.referrals.selfhelp import NO_RED_FLAGS
from tests.referrals.test_outbox import _broker_unreachable, _wait_until

REVIEWED_AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _review(client: Client, intake: Intake, **extra: object):
    return client.post(
        f"/review/case/{intake.pk}/review/",
        {"decision": "accepted", "triage_record": intake.current_triage_id, **extra},
    )


def _link_in(message) -> str:
    return re.search(r"https?://\S+/s/([A-Za-z0-9_-]{43})/", message.body).group(0)


def _answers(**overrides: object) -> FollowUpAnswers:
    values = {
        "outcome": FollowUp.Outcome.BETTER,
        "weeks_followed": 6,
        "tried": ["bigger_shoes"],
        "numbness": 2,
        "red_flags": {},
    } | overrides
    return FollowUpAnswers(**values)


def _sent_follow_up(intake: Intake | None = None) -> FollowUp:
    intake = intake or submitted_intake()
    follow_up = follow_up_schedule(intake=intake, weeks=6, actor=None, now=REVIEWED_AT)
    due = REVIEWED_AT + dt.timedelta(weeks=6)
    patient_messages_queue(now=due)
    follow_up_link_send(follow_up_id=follow_up.pk, now=due)
    follow_up.refresh_from_db()
    return follow_up


@pytest.mark.django_db
def test_a_self_help_case_answered_no_change_after_6_weeks_is_back_in_the_queue_for_an_x_ray(
    clinician_client, clinician
) -> None:
    intake = submitted_intake()  # marathon build-up: self-help
    pre_visit = dict(intake.history)
    with freeze_time(REVIEWED_AT):
        assert _review(clinician_client, intake).status_code == 302
    follow_up = FollowUp.objects.get(intake=intake)
    assert follow_up.due_at == REVIEWED_AT + dt.timedelta(weeks=6)

    with freeze_time(REVIEWED_AT + dt.timedelta(weeks=6, hours=1)):
        now = timezone.now()
        assert patient_messages_queue(now=now).follow_ups == 1
        assert follow_up_link_send(follow_up_id=follow_up.pk, now=now)
        (message,) = mail.outbox
        patient = Client()
        assert patient.get(_link_in(message)).status_code == 302
        assert patient.get("/follow-up/").status_code == 200
        answered = patient.post(
            "/follow-up/",
            {"outcome": "no_change", "weeks_followed": 6, "tried": ["bigger_shoes"]}
            | {"numbness": 5}
            | NO_RED_FLAGS,
        )
        assert answered.status_code == 302

    intake.refresh_from_db()
    follow_up.refresh_from_db()
    assert follow_up.result == FollowUp.Result.NEEDS_REVIEW
    assert intake.triage_disposition == "xray"
    assert "XR-4" in [reason["rule"] for reason in intake.current_triage.reasons]
    assert intake.history == pre_visit  # the pre-visit answers stay as they were
    assert follow_up.history["self_help"] == {
        "tried": ["bigger_shoes"],
        "weeks": 6,
        "outcome": "no_change",
    }
    assert intake.reviewed_at is None
    assert not CaseReview.objects.filter(intake=intake).exists()
    # Six weeks on, the morning's session has long timed out: the clinician signs in again.
    clinician_client = sign_in(Client(), clinician)
    queue = clinician_client.get("/review/").content.decode()
    assert intake.patient.full_name in queue
    assert "Follow-up: needs review" in queue
    case = clinician_client.get(f"/review/case/{intake.pk}/").content.decode()
    assert "Follow-up 1" in case
    assert "numbness 5/10" in case
    assert 'class="numbness-chart"' in case


def _signed_self_help_case_back_from_follow_up(clinician) -> Intake:
    """A self-help case with a signed X-ray referral whose follow-up answers "no change, 6
    weeks" (the rules now say X-ray, XR-4)."""
    intake = submitted_intake()  # marathon build-up: self-help
    review = CaseReviewFactory(
        intake=intake, reviewed_by=clinician, actions=["xray", "self_help"], disposition="xray"
    )
    referral = draft_referral(review=review, destination_type="xray", clinician=clinician)
    letters.referral_sign(referral=referral, user=clinician, now=timezone.now())
    follow_up = _sent_follow_up(intake)
    follow_up_answer(
        follow_up=follow_up,
        answers=_answers(outcome=FollowUp.Outcome.NO_CHANGE, weeks_followed=6, numbness=5),
        now=timezone.now(),
    )
    intake.refresh_from_db()
    return intake


@pytest.mark.django_db
def test_a_signed_case_whose_follow_up_needs_review_waits_in_the_queue_until_reviewed(
    clinician,
) -> None:
    intake = _signed_self_help_case_back_from_follow_up(clinician)
    assert intake.triage_disposition == "xray"
    assert CaseReview.objects.get(intake=intake).state == CaseReview.State.REFERRAL_SIGNED
    client = sign_in(Client(), clinician)
    queue = client.get("/review/").content.decode()
    assert intake.patient.full_name in queue
    assert "Follow-up: needs review" in queue

    case = client.get(f"/review/case/{intake.pk}/").content.decode()
    assert f"/review/case/{intake.pk}/follow-up/reviewed/" in case
    response = client.post(
        f"/review/case/{intake.pk}/follow-up/reviewed/",
        {"note": "X-ray already requested; carry on with the inserts."},
    )
    assert response.status_code == 302
    assert intake.patient.full_name not in client.get("/review/").content.decode()
    event = AuditEvent.objects.get(intake=intake, action=AuditAction.FOLLOW_UP_REVIEWED)
    assert event.actor == clinician
    assert event.detail == "X-ray already requested; carry on with the inserts."


@pytest.mark.django_db
def test_a_follow_up_review_needs_a_note(clinician) -> None:
    intake = _signed_self_help_case_back_from_follow_up(clinician)
    client = sign_in(Client(), clinician)
    client.post(f"/review/case/{intake.pk}/follow-up/reviewed/", {"note": " "})
    intake.refresh_from_db()
    assert intake.reviewed_at is None
    assert not AuditEvent.objects.filter(action=AuditAction.FOLLOW_UP_REVIEWED).exists()


@pytest.mark.django_db
def test_a_signed_case_back_from_follow_up_cannot_be_reopened_at_the_desk(clinician) -> None:
    from intake.services import IntakeReviewed, intake_reopen

    intake = _signed_self_help_case_back_from_follow_up(clinician)
    with pytest.raises(IntakeReviewed):
        intake_reopen(intake=intake, reason="typo", actor=None)


@pytest.mark.django_db
def test_a_review_without_self_help_schedules_no_follow_up(clinician_client) -> None:
    intake = submitted_intake(history=URGENT)

    _review(clinician_client, intake)

    assert not FollowUp.objects.filter(intake=intake).exists()


@pytest.mark.django_db
def test_the_clinician_can_move_the_follow_up_at_review(clinician_client) -> None:
    intake = submitted_intake()

    with freeze_time(REVIEWED_AT):
        _review(clinician_client, intake, follow_up_weeks=3)

    assert FollowUp.objects.get(intake=intake).due_at == REVIEWED_AT + dt.timedelta(weeks=3)


@pytest.mark.django_db
def test_the_clinician_can_decline_the_follow_up_at_review(clinician_client) -> None:
    intake = submitted_intake()

    _review(clinician_client, intake, no_follow_up="on")

    assert not FollowUp.objects.filter(intake=intake).exists()


@pytest.mark.django_db
def test_the_clinician_can_cancel_the_follow_up_from_the_case_page(clinician_client) -> None:
    intake = submitted_intake()
    _review(clinician_client, intake)

    response = clinician_client.post(f"/review/case/{intake.pk}/follow-up/", {"cancel": "on"})

    assert response.status_code == 302
    assert FollowUp.objects.get(intake=intake).status == FollowUp.Status.CANCELLED
    assert AuditEvent.objects.filter(action=AuditAction.FOLLOW_UP_CANCELLED).exists()


@pytest.mark.django_db
def test_a_follow_up_not_yet_due_is_not_sent() -> None:
    follow_up_schedule(intake=submitted_intake(), weeks=6, actor=None, now=REVIEWED_AT)

    queued = patient_messages_queue(now=REVIEWED_AT + dt.timedelta(weeks=5))

    assert queued.follow_ups == 0
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_running_beat_twice_queues_a_due_follow_up_once() -> None:
    follow_up_schedule(intake=submitted_intake(), weeks=6, actor=None, now=REVIEWED_AT)
    due = REVIEWED_AT + dt.timedelta(weeks=6)

    first, second = patient_messages_queue(now=due), patient_messages_queue(now=due)

    assert (first.follow_ups, second.follow_ups) == (1, 0)
    assert OutboxMessage.objects.filter(topic=letters.TOPIC_FOLLOW_UP_SEND).count() == 1


@pytest.mark.django_db
def test_a_redelivered_send_task_sends_nothing_twice() -> None:
    follow_up = _sent_follow_up()

    again = follow_up_link_send(follow_up_id=follow_up.pk, now=follow_up.sent_at)

    assert again is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_follow_up_cancelled_after_its_claim_is_not_sent() -> None:
    intake = submitted_intake()
    follow_up = follow_up_schedule(intake=intake, weeks=6, actor=None, now=REVIEWED_AT)
    due = REVIEWED_AT + dt.timedelta(weeks=6)
    patient_messages_queue(now=due)
    follow_up_cancel(intake=intake, actor=None, now=due)

    assert follow_up_link_send(follow_up_id=follow_up.pk, now=due) is False
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_unanswered_follow_up_gets_one_reminder_after_a_week() -> None:
    follow_up = _sent_follow_up()
    week_later = follow_up.sent_at + dt.timedelta(days=7)

    queued = [patient_messages_queue(now=week_later).follow_up_reminders for _ in range(2)]
    follow_up_link_send(follow_up_id=follow_up.pk, now=week_later, reminder=True)
    follow_up_link_send(follow_up_id=follow_up.pk, now=week_later, reminder=True)

    assert queued == [1, 0]
    assert len(mail.outbox) == 2  # the link, then one reminder
    assert AuditEvent.objects.filter(action=AuditAction.FOLLOW_UP_REMINDED).count() == 1


@pytest.mark.django_db
def test_an_answered_follow_up_gets_no_reminder() -> None:
    follow_up = _sent_follow_up()
    follow_up_answer(follow_up=follow_up, answers=_answers(), now=follow_up.sent_at)

    queued = patient_messages_queue(now=follow_up.sent_at + dt.timedelta(days=8))

    assert queued.follow_up_reminders == 0


@pytest.mark.django_db
def test_a_better_answer_closes_the_episode() -> None:
    follow_up = _sent_follow_up()

    answered = follow_up_answer(follow_up=follow_up, answers=_answers(), now=follow_up.sent_at)

    assert answered.result == FollowUp.Result.BETTER
    assert AuditEvent.objects.filter(action=AuditAction.EPISODE_CLOSED).exists()


@pytest.mark.django_db
def test_a_red_flag_at_follow_up_takes_the_red_flag_path() -> None:
    follow_up = _sent_follow_up()

    answered = follow_up_answer(
        follow_up=follow_up,
        answers=_answers(red_flags={"saddle_numbness": True}),
        now=follow_up.sent_at,
    )

    answered.intake.refresh_from_db()
    assert answered.result == FollowUp.Result.RED_FLAG
    assert answered.intake.triage_disposition == "urgent"
    assert answered.intake.reviewed_at is None
    # The on-call address is alerted as at a pre-visit red flag (issue 12, points 1-3).
    alert = RedFlagAlert.objects.get(intake=answered.intake)
    assert alert.triage_record == answered.triage_record
    assert OutboxMessage.objects.filter(topic=TOPIC_RED_FLAG_ALERT, object_id=alert.pk).exists()


@pytest.mark.django_db
def test_a_follow_up_is_answered_once() -> None:
    follow_up = _sent_follow_up()
    follow_up_answer(follow_up=follow_up, answers=_answers(), now=follow_up.sent_at)

    with pytest.raises(SelfHelpError):
        follow_up_answer(follow_up=follow_up, answers=_answers(), now=follow_up.sent_at)

    assert follow_up.intake.triage_records.count() == 2  # the pre-visit one and this answer's


@pytest.mark.django_db
def test_the_follow_up_email_carries_no_clinical_detail() -> None:
    canary = "Canaryname"
    intake = submitted_intake()
    intake.patient.last_name = canary
    intake.patient.save()

    _sent_follow_up(intake)

    (message,) = mail.outbox
    text = message.subject + message.body + message.alternatives[0][0]
    for clinical in (canary, "numb", "self-help", "X-ray", "triage", intake.patient.mrn):
        assert clinical.lower() not in text.lower()


@pytest.mark.worker
def test_a_follow_up_due_while_the_broker_is_down_is_sent_once_the_relay_runs(
    celery_worker,
) -> None:
    intake = submitted_intake()
    now = timezone.now()
    follow_up = follow_up_schedule(
        intake=intake, weeks=6, actor=None, now=now - dt.timedelta(weeks=6)
    )

    with _broker_unreachable():
        patient_messages_queue(now=now)
        assert patient_messages_queue(now=now).follow_ups == 0  # beat again: nothing twice
    assert OutboxMessage.objects.get().published_at is None
    assert mail.outbox == []

    letters.outbox_relay(now=now + dt.timedelta(minutes=1))

    _wait_until(lambda: FollowUp.objects.get(pk=follow_up.pk).status == FollowUp.Status.SENT)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_front_desk_sees_the_follow_up_forms_state_and_no_clinical_content(
    front_desk,
) -> None:
    follow_up = _sent_follow_up()
    intake = follow_up.intake
    desk = sign_in(Client(), front_desk)
    page = f"/desk/patients/{intake.patient_id}/"
    assert "follow-up form sent" in desk.get(page).content.decode()

    reminder_due = follow_up.sent_at + dt.timedelta(days=8)
    assert patient_messages_queue(now=reminder_due).follow_up_reminders == 1
    follow_up_link_send(follow_up_id=follow_up.pk, now=reminder_due, reminder=True)
    assert "follow-up form reminded" in desk.get(page).content.decode()

    follow_up_answer(
        follow_up=follow_up,
        answers=_answers(outcome=FollowUp.Outcome.NO_CHANGE, numbness=7),
        now=reminder_due,
    )
    shown = desk.get(page).content.decode()
    assert "follow-up form answered" in shown
    for clinical in ("No change", "7/10", "X-ray", "needs review"):
        assert clinical not in shown
