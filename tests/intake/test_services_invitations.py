"""Links: made, handed over, opened, expired, revoked; a new one revokes the old."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from audit.actions import AuditAction
from audit.models import AuditEvent
from intake.models import Intake, Invitation
from intake.services import (
    IntakeLocked,
    invitation_create,
    invitation_redeem,
    invitation_revoke,
    invitation_send_email,
    invitation_start_on_tablet,
)
from intake.tokens import token_hash
from tests.factories import IntakeFactory
from tests.intake.factories import new_link

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_it_stores_only_the_hash_of_the_token(visit) -> None:
    link = new_link(visit, now=NOW)
    stored = Invitation.objects.get()
    assert stored.token_hash == token_hash(link.token)
    assert link.token not in str(Invitation.objects.values().get())


def test_it_expires_after_the_configured_days(visit, settings) -> None:
    assert new_link(visit, now=NOW).record.expires_at == NOW + dt.timedelta(days=7)
    settings.INVITATION_VALID_DAYS = 3
    assert new_link(visit, now=NOW).record.expires_at == NOW + dt.timedelta(days=3)


def test_handing_over_a_link_marks_the_visit_sent(visit) -> None:
    new_link(visit, now=NOW, channel="slip")
    visit.refresh_from_db()
    assert visit.status == Intake.Status.SENT
    assert Invitation.objects.get().sent_via == "slip"


def test_a_new_link_revokes_the_old_one(visit) -> None:
    old = new_link(visit, now=NOW)
    new = new_link(visit, now=NOW + dt.timedelta(minutes=1))
    assert invitation_redeem(token=old.token, now=NOW + dt.timedelta(minutes=2)) is None
    assert invitation_redeem(token=new.token, now=NOW + dt.timedelta(minutes=2)) is not None
    assert Invitation.objects.filter(revoked_at__isnull=True).count() == 1


def test_the_database_refuses_two_live_links_for_one_intake(visit) -> None:
    new_link(visit, now=NOW)
    with pytest.raises(IntegrityError):
        Invitation.objects.create(intake=visit, token_hash="f" * 64, expires_at=NOW)


def test_opening_a_link_records_it_once_and_moves_the_visit_to_opened(visit) -> None:
    link = new_link(visit, now=NOW)
    invitation_redeem(token=link.token, now=NOW + dt.timedelta(hours=1))
    invitation_redeem(token=link.token, now=NOW + dt.timedelta(hours=2))
    link.record.refresh_from_db()
    visit.refresh_from_db()
    assert link.record.opened_at == NOW + dt.timedelta(hours=1)
    assert visit.status == Intake.Status.OPENED


def test_an_expired_link_does_not_open(visit) -> None:
    link = new_link(visit, now=NOW)
    assert invitation_redeem(token=link.token, now=NOW + dt.timedelta(days=7)) is None


def test_a_revoked_link_does_not_open(visit) -> None:
    link = new_link(visit, now=NOW)
    assert invitation_revoke(intake=visit, actor=None, now=NOW) == 1
    assert invitation_redeem(token=link.token, now=NOW) is None
    assert invitation_revoke(intake=visit, actor=None, now=NOW) == 0


def test_a_tampered_token_does_not_open(visit) -> None:
    link = new_link(visit, now=NOW)
    tampered = link.token[:-1] + ("A" if link.token[-1] != "A" else "B")
    assert invitation_redeem(token=tampered, now=NOW) is None


def test_no_new_link_for_a_submitted_history(db) -> None:
    intake = IntakeFactory(status=Intake.Status.SUBMITTED)
    with pytest.raises(IntakeLocked):
        new_link(intake, now=NOW)


def test_the_email_carries_the_link_and_nothing_clinical(db, settings) -> None:
    settings.SITE_URL = "https://clinic.example.org"
    intake = IntakeFactory(patient__first_name="Ada", patient__email="ada@example.org")
    link = invitation_send_email(intake=intake, created_by=None, now=timezone.now())
    [message] = mail.outbox
    html = message.alternatives[0][0]
    assert message.to == ["ada@example.org"]
    assert f"https://clinic.example.org/p/{link.token}/" in message.body
    assert f"https://clinic.example.org/p/{link.token}/" in html
    assert "Dear Ada" in message.body
    for clinical in ("numb", "triage", "diagnos", "neuroma", "referr", "MRN", intake.patient.mrn):
        assert clinical not in message.subject + message.body + html
    assert Invitation.objects.get().sent_via == "email"


def test_a_failed_email_leaves_the_link_unsent(db, settings) -> None:
    settings.EMAIL_BACKEND = "tests.intake.failing_mail.Backend"
    intake = IntakeFactory()
    with pytest.raises(OSError, match="mail server down"):
        invitation_send_email(intake=intake, created_by=None, now=timezone.now())
    assert Invitation.objects.get().sent_at is None
    intake.refresh_from_db()
    assert intake.status == Intake.Status.CREATED


def test_it_refuses_to_email_a_patient_without_an_address(db) -> None:
    intake = IntakeFactory(patient__email="")
    with pytest.raises(ValueError, match="no e-mail"):
        invitation_send_email(intake=intake, created_by=None, now=timezone.now())
    assert not Invitation.objects.exists()


def test_creating_a_link_without_handing_it_over_keeps_the_visit_not_sent(visit) -> None:
    invitation_create(intake=visit, channel="email", created_by=None, now=NOW, mark_sent=False)
    visit.refresh_from_db()
    assert visit.status == Intake.Status.CREATED


def test_starting_the_tablet_opens_a_new_link_and_audits_it(visit, front_desk) -> None:
    link = invitation_start_on_tablet(
        intake=visit, actor=front_desk, now=NOW, ip_address="10.0.0.7"
    )

    invitation = Invitation.objects.get(pk=link.record.pk)
    assert (invitation.sent_via, invitation.opened_at) == (Invitation.Channel.TABLET, NOW)
    event = AuditEvent.objects.get(action=AuditAction.TABLET_STARTED)
    assert (event.actor, event.intake_id, event.object_id, event.ip_address) == (
        front_desk,
        visit.pk,
        str(invitation.pk),
        "10.0.0.7",
    )


def test_a_submitted_history_does_not_start_on_the_tablet_and_nothing_is_written(
    visit, front_desk
) -> None:
    Intake.objects.filter(pk=visit.pk).update(status=Intake.Status.SUBMITTED)

    with pytest.raises(IntakeLocked):
        invitation_start_on_tablet(intake=visit, actor=front_desk, now=NOW)

    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.exists()
