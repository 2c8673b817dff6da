"""Downloading a letter: checked, never cached, audited, and refused if the file changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from referrals.models import Letter, Referral
from referrals.services.letters import letter_render
from tests.referrals.factories import ready_referral, signed_referral


@pytest.fixture
def letter(clinician) -> Letter:
    return ready_referral(clinician=clinician, last_name="Zed").letters.get()


def _url(letter: Letter) -> str:
    return reverse("referrals:letter_download", args=[letter.pk])


def _stored_path(letter: Letter, settings) -> Path:
    return Path(settings.PRIVATE_STORAGE_DIR) / letter.file_name


def test_it_serves_the_pdf_as_an_attachment_that_is_never_cached(clinician_client, letter) -> None:
    response = clinician_client.get(_url(letter))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="referral-R{letter.referral_id}-v1.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert hashlib.sha256(response.content).hexdigest() == letter.sha256


def test_the_file_name_carries_no_patient_data(clinician_client, letter) -> None:
    response = clinician_client.get(_url(letter))

    disposition = response["Content-Disposition"]
    assert "Zed" not in disposition
    assert letter.intake.patient.mrn not in disposition


def test_each_download_is_audited(clinician_client, clinician, letter) -> None:
    clinician_client.get(_url(letter), REMOTE_ADDR="10.1.2.3")

    event = AuditEvent.objects.filter(action="letter.downloaded").get()
    assert event.actor == clinician
    assert event.intake_id == letter.intake_id
    assert event.object_id == str(letter.pk)
    assert event.ip_address == "10.1.2.3"


def test_a_corrupted_stored_pdf_is_refused_and_the_letter_marked_for_re_rendering(
    clinician_client, letter, settings
) -> None:
    path = _stored_path(letter, settings)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))

    response = clinician_client.get(_url(letter))

    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    assert b"%PDF" not in response.content
    assert "does not match its recorded SHA-256" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.FAILED
    assert Referral.objects.get(pk=letter.referral_id).status == Referral.Status.FAILED
    assert AuditEvent.objects.filter(action="letter.integrity_failed").exists()
    assert not AuditEvent.objects.filter(action="letter.downloaded").exists()


def test_a_missing_stored_pdf_is_refused(clinician_client, letter, settings) -> None:
    _stored_path(letter, settings).unlink()

    response = clinician_client.get(_url(letter))

    assert response.status_code == 409
    assert "missing" in response.content.decode()


def test_a_letter_that_is_not_ready_cannot_be_downloaded(clinician_client, clinician) -> None:
    letter = signed_referral(clinician=clinician).letters.get()

    assert clinician_client.get(_url(letter)).status_code == 404


def test_an_unknown_letter_is_not_found(clinician_client, db) -> None:
    assert clinician_client.get(reverse("referrals:letter_download", args=[999])).status_code == 404


def test_re_rendering_a_damaged_letter_replaces_its_file(clinician_client, letter, settings):
    damaged = _stored_path(letter, settings)
    damaged.write_bytes(b"%PDF-tampered")
    clinician_client.get(_url(letter))  # refused: the letter is marked failed

    clinician_client.post(reverse("referrals:letter_retry", args=[letter.pk]))
    letter_render(letter_id=letter.pk)

    letter.refresh_from_db()
    assert letter.status == Letter.Status.READY
    assert not damaged.exists()
    assert [p.name for p in Path(settings.PRIVATE_STORAGE_DIR).rglob("*.pdf")] == [
        Path(letter.file_name).name
    ]
    assert clinician_client.get(_url(letter)).status_code == 200
