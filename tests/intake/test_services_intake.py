"""The patient's answers: saved step by step, submitted once, triaged, reopened with a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from intake.models import Intake, TriageRecord
from intake.questions import STEP_SLUGS, STEPS, step_by_slug
from intake.services import (
    IntakeIncomplete,
    IntakeLocked,
    intake_reopen,
    intake_save_step,
    intake_submit,
)
from intake.triage import HistoryError, validate_history

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
WHERE = step_by_slug("where")
INJURY = step_by_slug("injury")


def _complete(intake: Intake) -> Intake:
    for step in STEPS:
        values = {"symptoms": {"regions": ["toes"]}} if step.slug == "where" else {}
        intake_save_step(intake=intake, step=step, values=values, complete=True)
    return intake


def test_saving_a_step_stores_its_answers_and_moves_the_visit_in_progress(visit) -> None:
    intake_save_step(
        intake=visit, step=WHERE, values={"symptoms": {"side": "right"}}, complete=True
    )
    visit.refresh_from_db()
    assert visit.answers == {"symptoms": {"side": "right"}}
    assert visit.steps_completed == ["where"]
    assert visit.status == Intake.Status.IN_PROGRESS


def test_saving_a_step_replaces_only_that_steps_fields(visit) -> None:
    when = step_by_slug("when")
    intake_save_step(
        intake=visit, step=when, values={"symptoms": {"when": "constant"}}, complete=True
    )
    intake_save_step(intake=visit, step=WHERE, values={"symptoms": {"side": "both"}}, complete=True)
    visit.refresh_from_db()
    assert visit.answers == {"symptoms": {"when": "constant", "side": "both"}}
    assert visit.steps_completed == ["where", "when"]  # in the form's order


def test_a_follow_up_no_longer_asked_is_dropped(visit) -> None:
    injured = {"injury": {"recent_injury": True, "swelling": True}}
    intake_save_step(intake=visit, step=INJURY, values=injured, complete=True)
    intake_save_step(
        intake=visit, step=INJURY, values={"injury": {"recent_injury": False}}, complete=True
    )
    visit.refresh_from_db()
    assert visit.answers == {"injury": {"recent_injury": False}}


def test_an_unfinished_step_is_no_longer_counted_complete(visit) -> None:
    intake_save_step(intake=visit, step=WHERE, values={}, complete=True)
    intake_save_step(intake=visit, step=WHERE, values={}, complete=False)
    visit.refresh_from_db()
    assert visit.steps_completed == []


def test_it_refuses_answers_that_break_the_schema(visit) -> None:
    with pytest.raises(HistoryError):
        intake_save_step(
            intake=visit, step=WHERE, values={"symptoms": {"side": "middle"}}, complete=True
        )
    visit.refresh_from_db()
    assert visit.answers == {}


def test_submitting_locks_a_valid_history_and_stores_its_triage(visit) -> None:
    _complete(visit)
    assert intake_submit(intake=visit, now=NOW) is True
    visit.refresh_from_db()
    assert visit.status == Intake.Status.SUBMITTED
    assert visit.submitted_at == NOW
    validate_history(visit.history)
    assert visit.history["schema_version"] == "1"
    assert visit.current_triage is not None
    assert visit.triage_disposition == visit.current_triage.disposition
    with pytest.raises(IntakeLocked):
        intake_save_step(intake=visit, step=WHERE, values={}, complete=True)


def test_it_refuses_to_submit_before_every_step_is_answered(visit) -> None:
    intake_save_step(intake=visit, step=WHERE, values={}, complete=True)
    with pytest.raises(IntakeIncomplete) as caught:
        intake_submit(intake=visit, now=NOW)
    assert caught.value.missing == list(STEP_SLUGS[1:])
    visit.refresh_from_db()
    assert visit.status == Intake.Status.IN_PROGRESS


def test_two_tabs_submitting_store_one_history(visit) -> None:
    _complete(visit)
    first_tab = Intake.objects.get(pk=visit.pk)
    second_tab = Intake.objects.get(pk=visit.pk)  # loaded before either submitted
    assert intake_submit(intake=first_tab, now=NOW) is True
    assert intake_submit(intake=second_tab, now=NOW + dt.timedelta(seconds=1)) is False
    visit.refresh_from_db()
    assert visit.submitted_at == NOW
    assert TriageRecord.objects.filter(intake=visit).count() == 1
    assert AuditEvent.objects.filter(action="intake.submitted").count() == 1


def test_reopening_unlocks_the_form_and_records_the_reason(visit, front_desk) -> None:
    _complete(visit)
    intake_submit(intake=visit, now=NOW)
    assert intake_reopen(intake=visit, reason="Patient rang: wrong foot", actor=front_desk)
    visit.refresh_from_db()
    assert visit.status == Intake.Status.IN_PROGRESS
    assert visit.history is None
    assert visit.answers  # kept for the patient to change
    event = AuditEvent.objects.get(action="intake.reopened")
    assert (event.actor, event.detail, event.intake) == (
        front_desk,
        "Patient rang: wrong foot",
        visit,
    )


def test_a_reopened_form_submits_again_keeping_the_earlier_triage(visit) -> None:
    _complete(visit)
    intake_submit(intake=visit, now=NOW)
    intake_reopen(intake=visit, reason="Correction", actor=None)
    assert intake_submit(intake=visit, now=NOW + dt.timedelta(hours=1)) is True
    assert TriageRecord.objects.filter(intake=visit).count() == 2


def test_reopening_a_form_that_is_not_submitted_does_nothing(visit) -> None:
    assert intake_reopen(intake=visit, reason="x", actor=None) is False
    assert not AuditEvent.objects.filter(action="intake.reopened").exists()


def test_submit_uses_the_answers_in_the_database_not_a_stale_copy(visit) -> None:
    _complete(visit)
    stale = Intake.objects.get(pk=visit.pk)
    intake_save_step(
        intake=visit, step=WHERE, values={"symptoms": {"regions": ["heel"]}}, complete=True
    )
    assert intake_submit(intake=stale, now=NOW) is True
    visit.refresh_from_db()
    assert visit.history["symptoms"]["regions"] == ["heel"]
