"""The self-help handout sent to the patient: an e-mail with a private link, a page with the
advice and the PDF; sending, opening and downloading on the case page and in the trail."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from audit.actions import AuditAction
from audit.models import AuditEvent
from referrals.models import PatientLink
from referrals.services.selfhelp import SelfHelpError, handout_send
from tests.referrals.factories import URGENT, CaseReviewFactory, submitted_intake
from tests.referrals.selfhelp import reviewed_self_help_case

pytestmark = pytest.mark.django_db


def _send(client: Client, intake) -> None:
    assert client.post(f"/review/case/{intake.pk}/handout/send/").status_code == 302


def _patient_opens_the_link() -> Client:
    url = re.search(r"https?://\S+/s/[A-Za-z0-9_-]{43}/", mail.outbox[-1].body).group(0)
    patient = Client()
    assert patient.get(url).status_code == 302
    return patient


def _actions(intake) -> list[str]:
    return list(AuditEvent.objects.filter(intake=intake).values_list("action", flat=True))


def test_the_clinician_sends_the_handout_and_the_patient_reads_and_downloads_it(
    clinician_client,
) -> None:
    intake = reviewed_self_help_case()

    _send(clinician_client, intake)
    patient = _patient_opens_the_link()
    page = patient.get("/self-help/")
    pdf = patient.get("/self-help/handout.pdf")

    assert page.status_code == 200
    assert "Your self-help plan" in page.content.decode()
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    link = PatientLink.objects.get(intake=intake)
    assert link.sent_at is not None
    assert link.opened_at is not None
    assert link.downloaded_at is not None
    actions = _actions(intake)
    for action in (
        AuditAction.HANDOUT_LINK_SENT,
        AuditAction.HANDOUT_OPENED,
        AuditAction.HANDOUT_DOWNLOADED,
    ):
        assert action in actions


def test_the_case_page_shows_when_the_handout_was_sent_opened_and_downloaded(
    clinician_client,
) -> None:
    intake = reviewed_self_help_case()
    _send(clinician_client, intake)
    _patient_opens_the_link().get("/self-help/handout.pdf")

    case = clinician_client.get(f"/review/case/{intake.pk}/").content.decode()

    block = case[case.index("data-handout-link") :][:600]
    assert "not yet" not in block
    assert "Downloaded:" in block


def test_the_handout_email_carries_no_clinical_detail(clinician_client) -> None:
    intake = reviewed_self_help_case()
    intake.patient.last_name = "Canaryname"
    intake.patient.save()

    _send(clinician_client, intake)

    (message,) = mail.outbox
    text = (message.subject + message.body + message.alternatives[0][0]).lower()
    for clinical in ("canaryname", intake.patient.mrn.lower(), "numb", "self-help", "shoe"):
        assert clinical not in text


def test_sending_again_revokes_the_first_link(clinician_client) -> None:
    intake = reviewed_self_help_case()
    _send(clinician_client, intake)
    first = re.search(r"/s/[A-Za-z0-9_-]{43}/", mail.outbox[0].body).group(0)

    _send(clinician_client, intake)

    assert Client().get(first).status_code == 404
    assert PatientLink.objects.filter(intake=intake, revoked_at__isnull=True).count() == 1


def test_an_expired_handout_link_opens_nothing(clinician_client) -> None:
    intake = reviewed_self_help_case()
    _send(clinician_client, intake)
    PatientLink.objects.update(expires_at=timezone.now())

    url = re.search(r"/s/[A-Za-z0-9_-]{43}/", mail.outbox[0].body).group(0)

    assert Client().get(url).status_code == 404


def test_a_case_without_self_help_has_no_handout_to_send(clinician) -> None:
    intake = CaseReviewFactory(intake=submitted_intake(history=URGENT)).intake
    intake.current_triage.advice = []

    with pytest.raises(SelfHelpError):
        handout_send(intake=intake, user=clinician, now=timezone.now())

    assert mail.outbox == []
