"""The audit trail: append-only in the ORM and the admin, exportable as CSV by administrators."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.admin.sites import site
from django.db import transaction
from django.utils import timezone
from freezegun import freeze_time

from intake.audit import AUDIT_ACTION_LABELS, AuditAction, audit_record
from intake.models import AuditEvent, AuditTrailIsAppendOnly
from tests.referrals.factories import submitted_intake

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(clinician) -> AuditEvent:
    return audit_record(
        actor=clinician,
        action=AuditAction.CASE_VIEWED,
        intake=submitted_intake(),
        ip_address="10.0.0.1",
    )


def test_a_saved_event_cannot_be_saved_again(event) -> None:
    event.detail = "rewritten"

    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    event.refresh_from_db()
    assert event.detail == ""


def test_an_event_cannot_be_deleted(event) -> None:
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_queryset_refuses_bulk_changes_and_deletes(event) -> None:
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(detail="rewritten")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()
    # bulk_update runs in a transaction of its own; the savepoint keeps the test's usable.
    with pytest.raises(AuditTrailIsAppendOnly), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["detail"])
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_the_admin_shows_the_trail_read_only(admin_client_, event) -> None:
    changelist = admin_client_.get("/admin/intake/auditevent/")
    detail = admin_client_.get(f"/admin/intake/auditevent/{event.pk}/change/")

    assert changelist.status_code == 200
    assert "Viewed the case" in changelist.content.decode()
    assert "Export a date range as CSV" in changelist.content.decode()
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/admin/intake/auditevent/add/"),
        ("post", "/admin/intake/auditevent/{pk}/change/"),
        ("get", "/admin/intake/auditevent/{pk}/delete/"),
        ("post", "/admin/intake/auditevent/{pk}/delete/"),
    ],
)
def test_the_admin_refuses_to_add_change_or_delete_events(
    admin_client_, event, method: str, url: str
) -> None:
    response = getattr(admin_client_, method)(
        url.format(pk=event.pk), {"detail": "x", "post": "yes"}
    )

    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_the_admin_offers_no_bulk_delete_action(rf, administrator) -> None:
    request = rf.get("/admin/intake/auditevent/")
    request.user = administrator

    assert "delete_selected" not in site._registry[AuditEvent].get_actions(request)


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


def test_every_review_action_leaves_a_row(clinician, clinician_client) -> None:
    intake = submitted_intake()
    base = f"/review/case/{intake.pk}"

    clinician_client.get(f"{base}/")
    clinician_client.post(
        f"{base}/review/",
        {"triage_record": intake.current_triage_id, "decision": "accepted", "notes": "One."},
    )
    clinician_client.post(f"{base}/notes/", {"notes": "Two."})
    clinician_client.post(f"{base}/reopen/")

    actions = list(
        AuditEvent.objects.filter(intake=intake)
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == [
        AuditAction.CASE_VIEWED,
        AuditAction.REVIEW_ACCEPTED,
        AuditAction.REVIEW_NOTE,
        AuditAction.REVIEW_NOTE,
        AuditAction.REVIEW_REOPENED,
    ]
    assert set(AuditEvent.objects.filter(intake=intake).values_list("actor", flat=True)) == {
        clinician.pk
    }


@pytest.mark.parametrize("query", ["abc", "42", "case.viewed"])
def test_the_admin_search_takes_any_text(admin_client_, event, query: str) -> None:
    assert admin_client_.get("/admin/intake/auditevent/", {"q": query}).status_code == 200


def test_every_action_the_app_records_has_a_label_for_readers() -> None:
    recorded = {value for name, value in vars(AuditAction).items() if name.isupper()}
    assert recorded == set(AUDIT_ACTION_LABELS)
    assert all(label and label[0].isupper() for label in AUDIT_ACTION_LABELS.values())
