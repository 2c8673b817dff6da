"""referrals 0010 copies each review's state onto its intake (Intake.review_state), which the
queue's state filter reads from then on: a case reviewed before the upgrade is found under its
state after it, and a case without a review stays awaiting review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from intake.models import Intake

BEFORE_THE_COPY = [
    ("intake", "0007_invitation_birth_date_failures"),
    ("referrals", "0009_review_state_by_intake_index"),
]


def _migrate(targets):  # noqa: ANN001, ANN202 - migration targets; the historical apps
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def cases_before_the_upgrade(transactional_db):
    """A sent case and an unreviewed one, written by the models as they were at 0009; the
    database is migrated forward again when the test ends, whatever happened."""
    old = _migrate(BEFORE_THE_COPY)
    clinician = old.get_model("auth", "User").objects.create(username="dr.before")
    patient = old.get_model("intake", "Patient").objects.create(
        mrn="MRN9", first_name="Pat", last_name="Runner", date_of_birth="1990-01-02"
    )
    intakes = old.get_model("intake", "Intake").objects
    records = old.get_model("intake", "TriageRecord").objects
    now = dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC)
    sent, waiting = (
        intakes.create(patient=patient, visit_date="2026-12-01", status="submitted")
        for _ in range(2)
    )
    record = records.create(intake=sent, rules_version="1", disposition="xray")
    old.get_model("referrals", "CaseReview").objects.create(
        intake=sent,
        triage_record=record,
        decision="accepted",
        disposition="xray",
        state="sent",
        reviewed_by=clinician,
        reviewed_at=now,
    )
    yield {"sent": sent.pk, "waiting": waiting.pk}
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_each_review_state_is_copied_onto_its_intake(cases_before_the_upgrade) -> None:
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert Intake.objects.get(pk=cases_before_the_upgrade["sent"]).review_state == "sent"
    assert Intake.objects.get(pk=cases_before_the_upgrade["waiting"]).review_state == ""
