"""The CSV export of a date range: administrators only, itself audited, safe in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone
from freezegun import freeze_time

from audit.actions import AuditAction
from audit.models import AuditEvent
from audit.services import audit_record
from tests.referrals.factories import submitted_intake

pytestmark = pytest.mark.django_db


def _export(client, start: str, end: str):
    response = client.get("/review/audit/export/", {"start": start, "end": end})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return response, list(csv.DictReader(io.StringIO(text)))


def test_an_administrator_exports_a_date_range_as_csv(admin_client_, clinician) -> None:
    intake = submitted_intake()
    with freeze_time("2026-03-01 12:00:00"):
        audit_record(
            actor=clinician, action=AuditAction.CASE_VIEWED, intake=intake, ip_address="10.9.9.9"
        )
    with freeze_time("2026-03-05 12:00:00"):
        audit_record(actor=clinician, action=AuditAction.REVIEW_ACCEPTED, intake=intake)
    with freeze_time("2026-04-01 12:00:00"):
        audit_record(actor=clinician, action=AuditAction.REVIEW_NOTE, intake=intake)

    response, rows = _export(admin_client_, "2026-03-01", "2026-03-31")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="audit-2026-03-01-to-2026-03-31.csv"' in response["Content-Disposition"]
    assert [row["action"] for row in rows] == ["case.viewed", "review.accepted"]
    first = rows[0]
    assert first["actor_username"] == clinician.username
    assert first["action_label"] == "Viewed the case"
    assert first["intake_id"] == str(intake.pk)
    assert first["patient_mrn"] == intake.patient.mrn
    assert first["ip_address"] == "10.9.9.9"
    assert first["at"].startswith("2026-03-01T12:00:00")


def test_the_export_is_itself_audited(admin_client_, administrator) -> None:
    _export(admin_client_, "2026-01-01", "2026-01-31")

    event = AuditEvent.objects.get(action=AuditAction.AUDIT_EXPORTED)
    assert event.actor == administrator
    assert "2026-01-01 to 2026-01-31" in event.detail


def test_a_cell_that_a_spreadsheet_would_run_is_made_text(admin_client_, clinician) -> None:
    today = timezone.localdate()
    audit_record(actor=clinician, action=AuditAction.REVIEW_NOTE, detail='=HYPERLINK("x")')

    _, rows = _export(admin_client_, f"{today}", f"{today}")

    assert rows[0]["detail"] == '\'=HYPERLINK("x")'


def test_the_export_page_asks_for_a_range_first(admin_client_) -> None:
    response = admin_client_.get("/review/audit/export/")

    assert response.status_code == 200
    assert 'type="date" name="start"' in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-02-01", "end": "2026-01-01"}, "The end date is before the start date."),
        ({"start": "2026-13-01", "end": "2026-01-01"}, "Enter a valid date."),
        ({"start": "2020-01-01", "end": "2026-01-01"}, "Export at most 366 days at a time."),
    ],
)
def test_a_bad_range_is_explained_and_kept(admin_client_, params: dict, message: str) -> None:
    response = admin_client_.get("/review/audit/export/", params)

    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f'value="{params["start"]}"' in body
    assert not AuditEvent.objects.filter(action=AuditAction.AUDIT_EXPORTED).exists()
