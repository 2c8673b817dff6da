"""The trail and the staff profiles moved out of intake without losing a row (intake 0005 renames
the tables; audit 0001 and accounts 0001 take the models over in state only)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import StaffProfile
from audit.actions import AuditAction
from audit.models import AuditEvent

BEFORE_THE_MOVE = [("intake", "0004_intake_reviewed_at"), ("audit", None), ("accounts", None)]


def _migrate(targets: list[tuple[str, str | None]]):
    """Migrate the test database to `targets` and return the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _latest() -> list[tuple[str, str | None]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def old_rows(transactional_db):
    """Rows written by the models as they were in intake, before the move; the database is
    migrated forward again when the test ends, whatever happened."""
    old = _migrate(BEFORE_THE_MOVE)
    user = old.get_model("auth", "User").objects.create(username="dr.who", first_name="Dr")
    patient = old.get_model("intake", "Patient").objects.create(
        mrn="MRN1", first_name="Pat", last_name="Runner", date_of_birth="1990-01-02"
    )
    intake = old.get_model("intake", "Intake").objects.create(
        patient=patient, visit_date="2026-03-01"
    )
    events = old.get_model("intake", "AuditEvent")
    rows = [
        events.objects.create(
            actor=user,
            action="case.viewed",
            intake=intake,
            object_type="intake.intake",
            object_id=str(intake.pk),
            detail="=first",
            ip_address="10.0.0.1",
        ),
        events.objects.create(actor=None, action="an.action.nobody.labels", detail="second"),
    ]
    profile = old.get_model("intake", "StaffProfile").objects.create(
        user=user, job_title="Sports physician", registration_number="GMC 7000001"
    )
    yield {"events": rows, "profile": profile, "user": user, "intake": intake}
    _migrate(_latest())
    ContentType.objects.clear_cache()


def _moved(old_rows) -> None:
    _migrate(_latest())
    ContentType.objects.clear_cache()


def test_every_audit_row_keeps_its_id_and_values(old_rows) -> None:
    _moved(old_rows)

    for old in old_rows["events"]:
        new = AuditEvent.objects.get(pk=old.pk)
        assert (new.actor_id, new.action, new.intake_id, new.at) == (
            old.actor_id,
            old.action,
            old.intake_id,
            old.at,
        )
        assert (new.object_type, new.object_id, new.detail, new.ip_address) == (
            old.object_type,
            old.object_id,
            old.detail,
            old.ip_address,
        )


def test_moved_rows_read_with_their_labels_and_an_unknown_action_as_written(old_rows) -> None:
    _moved(old_rows)
    viewed, unknown = (AuditEvent.objects.get(pk=old.pk) for old in old_rows["events"])

    assert viewed.get_action_display() == AuditAction.CASE_VIEWED.label
    assert unknown.get_action_display() == "an.action.nobody.labels"


def test_new_rows_follow_the_moved_ones(old_rows) -> None:
    _moved(old_rows)

    event = AuditEvent.objects.create(action=AuditAction.AUDIT_EXPORTED)

    assert event.pk > max(old.pk for old in old_rows["events"])


def test_the_staff_profile_keeps_its_id_and_values(old_rows) -> None:
    _moved(old_rows)
    old = old_rows["profile"]

    profile = StaffProfile.objects.get(pk=old.pk)

    assert (profile.user_id, profile.job_title, profile.registration_number) == (
        old.user_id,
        "Sports physician",
        "GMC 7000001",
    )


def test_the_tables_and_the_index_have_their_new_apps_names(old_rows) -> None:
    _moved(old_rows)

    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        constraints = connection.introspection.get_constraints(cursor, "audit_auditevent")
    assert {"audit_auditevent", "accounts_staffprofile"} <= tables
    assert not {"intake_auditevent", "intake_staffprofile"} & tables
    assert "audit_audit_intake__840fea_idx" in constraints


def test_content_types_and_permissions_follow_the_models(old_rows) -> None:
    _moved(old_rows)

    assert ContentType.objects.get_for_model(AuditEvent).app_label == "audit"
    assert ContentType.objects.get_for_model(StaffProfile).app_label == "accounts"
    assert not ContentType.objects.filter(
        app_label="intake", model__in=["auditevent", "staffprofile"]
    ).exists()
    clinicians_may_view_the_trail = Permission.objects.filter(
        content_type__app_label="audit", codename="view_auditevent", group__name="Clinician"
    )
    assert clinicians_may_view_the_trail.exists()
