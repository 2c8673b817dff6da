"""The trail is append-only in the ORM: a row is never saved again, changed or deleted."""

from __future__ import annotations

import pytest
from django.db import transaction

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
