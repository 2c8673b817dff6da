"""Sending a letter: one e-mail to the destination, once, then the referral is sent."""

from __future__ import annotations

import datetime as dt
import hashlib
import smtplib
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from referrals import tasks
from referrals.models import CaseReview, Delivery, OutboxMessage, Referral
from referrals.services import letters as services
from tests.referrals.factories import DestinationFactory, ready_referral


@pytest.fixture
def referral(clinician) -> Referral:
    destination = DestinationFactory(email="xray@hospital.example.org")
    return ready_referral(clinician=clinician, destination=destination, last_name="Quill")


def _send(client, referral: Referral):
    return client.post(reverse("referrals:referral_send", args=[referral.pk]), follow=True)


def _run_queued_sends() -> None:
    for message in OutboxMessage.objects.filter(topic=services.TOPIC_SEND):
        tasks.delivery_send.run(message.object_id)


def _send_with_smtp_down(client, referral: Referral, *, attempt: int) -> Delivery:
    """Send, then run the delivery task as its `attempt`-th try while SMTP refuses."""
    _send(client, referral)
    delivery = Delivery.objects.get()
    refused = smtplib.SMTPServerDisconnected("gone")
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=refused):
        tasks.delivery_send.run(delivery.pk, attempt=attempt)
    return delivery


def test_send_queues_one_delivery_and_says_so(clinician_client, referral) -> None:
    response = _send(clinician_client, referral)

    assert "being e-mailed to xray@hospital.example.org" in response.content.decode()
    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.recipient) == ("email", "xray@hospital.example.org")
    assert OutboxMessage.objects.filter(topic=services.TOPIC_SEND, object_id=delivery.pk).exists()


def test_the_worker_e_mails_the_pdf_and_marks_the_referral_sent(clinician_client, referral) -> None:
    _send(clinician_client, referral)

    _run_queued_sends()

    (message,) = mail.outbox
    assert message.to == ["xray@hospital.example.org"]
    assert "Quill" not in message.subject
    assert "Quill" not in message.body
    (name, content, mimetype) = message.attachments[0]
    letter = referral.letters.get()
    assert mimetype == "application/pdf"
    assert hashlib.sha256(content).hexdigest() == letter.sha256
    assert name == f"referral-R{referral.pk}-v1.pdf"
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT
    assert Delivery.objects.get().status == Delivery.Status.SENT
    assert CaseReview.objects.get(intake=referral.intake).state == CaseReview.State.SENT


def test_sending_twice_sends_one_e_mail(clinician_client, referral) -> None:
    _send(clinician_client, referral)
    _run_queued_sends()

    _send(clinician_client, referral)
    _run_queued_sends()
    tasks.delivery_send.run(Delivery.objects.get().pk)  # a duplicate delivery of the task

    assert len(mail.outbox) == 1
    assert Delivery.objects.count() == 1


def test_a_destination_without_e_mail_is_refused_with_a_message(clinician_client, clinician):
    referral = ready_referral(clinician=clinician, destination=DestinationFactory(email=""))

    response = _send(clinician_client, referral)

    assert "has no e-mail address: print the letter instead" in response.content.decode()
    assert not Delivery.objects.exists()


def test_a_ready_letter_without_a_destination_e_mail_says_how_to_send_it(
    clinician_client, clinician, referral
) -> None:
    unaddressed = ready_referral(clinician=clinician)
    Referral.objects.filter(pk=unaddressed.pk).update(destination=None)

    without = clinician_client.get(reverse("referrals:referral", args=[unaddressed.pk]))
    with_email = clinician_client.get(reverse("referrals:referral", args=[referral.pk]))

    assert "Not e-mailed: this referral has no destination with an e-mail address" in (
        without.content.decode()
    )
    assert "E-mail to" not in without.content.decode()
    assert "E-mail to xray@hospital.example.org" in with_email.content.decode()
    assert "Not e-mailed" not in with_email.content.decode()


def test_a_letter_not_yet_ready_is_not_sent(clinician_client, clinician) -> None:
    referral = ready_referral(clinician=clinician)
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.RENDERING)

    response = _send(clinician_client, referral)

    assert "The letter is not ready yet." in response.content.decode()
    assert not Delivery.objects.exists()


def test_a_corrupted_pdf_is_never_e_mailed(clinician_client, referral, settings) -> None:
    _send(clinician_client, referral)
    letter = referral.letters.get()
    (Path(settings.PRIVATE_STORAGE_DIR) / letter.file_name).write_bytes(b"%PDF-tampered")

    _run_queued_sends()

    assert mail.outbox == []
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "SHA-256" in delivery.error


def test_an_smtp_failure_is_retried_then_shown_and_can_be_sent_again(
    clinician_client, referral
) -> None:
    delivery = _send_with_smtp_down(clinician_client, referral, attempt=tasks.MAIL_RETRIES)

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert "SMTPServerDisconnected" in delivery.error

    _send(clinician_client, referral)
    _run_queued_sends()

    assert len(mail.outbox) == 1
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_an_smtp_failure_schedules_its_retry_in_the_outbox_not_as_a_countdown_message(
    clinician_client, referral
) -> None:
    delivery = _send_with_smtp_down(clinician_client, referral, attempt=0)

    retry = OutboxMessage.objects.get(topic=services.TOPIC_SEND, attempt=1)
    assert retry.object_id == delivery.pk
    assert retry.not_before > timezone.now()
    services.outbox_relay(now=timezone.now())
    retry.refresh_from_db()
    assert retry.published_at is None  # not due yet
    with mock.patch.object(services.current_app, "send_task") as send_task:
        services.outbox_relay(now=retry.not_before + dt.timedelta(seconds=1))
    assert {"attempt": 1} in [call.kwargs["kwargs"] for call in send_task.call_args_list]
