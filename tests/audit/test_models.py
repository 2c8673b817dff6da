"""The trail is append-only in the ORM: a row is never saved again, changed or deleted."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AuditEvent, AuditTrailIsAppendOnly

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET detail = 'rewritten'",
        "UPDATE audit_auditevent SET actor_id = NULL, ip_address = NULL WHERE id = %s",
        "DELETE FROM audit_auditevent",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
    ids=["update-all", "update-one", "delete-all", "delete-one"],
)
def test_the_database_refuses_raw_sql_that_changes_or_deletes_events(event, statement) -> None:
    # The app's own connection, so the app's database user: no ORM between it and the table.
    with (
        pytest.raises(DatabaseError, match="the audit trail is append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [event.pk] if "%s" in statement else None)
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_the_database_still_takes_new_events(event) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (action, object_type, object_id, detail, at) "
            "VALUES ('case.viewed', '', '', 'raw', %s)",
            [timezone.now()],
        )
    assert AuditEvent.objects.filter(detail="raw").exists()


def test_the_base_manager_is_the_guarded_one(event) -> None:
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent._base_manager.filter(pk=event.pk).update(detail="rewritten")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent._base_manager.filter(pk=event.pk).delete()
