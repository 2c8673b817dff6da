"""The history contract on the command line: import, export and re-triage."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from intake.models import Intake, TriageRecord
from intake.triage import triage
from intake.triage.schema import SCHEMA
from tests.factories import IntakeFactory, PatientFactory

VIGNETTES = sorted((Path(__file__).parents[2] / "intake/triage/clinical/vignettes").glob("*.json"))


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _history_file(tmp_path: Path, history: object, name: str = "history.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(history), encoding="utf-8")
    return path


@pytest.mark.parametrize("vignette", VIGNETTES, ids=lambda p: p.stem)
def test_a_history_survives_import_and_export_unchanged(vignette: Path, tmp_path, db) -> None:
    history = json.loads(vignette.read_text(encoding="utf-8"))["history"]
    PatientFactory(mrn="MRN42")
    _run("import_history", str(_history_file(tmp_path, history)), "--mrn", "MRN42")
    intake = Intake.objects.get()
    exported = _run("export_history", str(intake.pk))
    assert json.loads(exported) == history
    # Sections come out in the schema's order, whatever order the database keeps them in.
    assert list(json.loads(exported)) == [key for key in SCHEMA["properties"] if key in history]
    assert intake.status == Intake.Status.SUBMITTED
    assert intake.triage_disposition == triage(history).disposition


def test_an_imported_history_is_triaged_and_audited(tmp_path, db) -> None:
    PatientFactory(mrn="MRN42")
    out = _run(
        "import_history",
        str(_history_file(tmp_path, {"schema_version": "1"})),
        "--mrn",
        "mrn42",
        "--visit-date",
        "2026-04-01",
    )
    intake = Intake.objects.get()
    assert f"Imported as intake {intake.pk} (triage: self_help)." in out
    assert str(intake.visit_date) == "2026-04-01"
    assert TriageRecord.objects.filter(intake=intake).count() == 1
    assert AuditEvent.objects.filter(action="intake.imported", intake=intake).exists()


def test_an_invalid_history_fails_with_exit_2_naming_the_field(tmp_path, db) -> None:
    PatientFactory(mrn="MRN42")
    bad = {"schema_version": "1", "symptoms": {"regions": ["toes", "knee"]}}
    with pytest.raises(CommandError) as caught:
        _run("import_history", str(_history_file(tmp_path, bad)), "--mrn", "MRN42")
    assert caught.value.returncode == 2
    assert "symptoms.regions[1]" in str(caught.value)
    assert not Intake.objects.exists()


def test_a_file_that_is_not_json_fails_with_exit_2(tmp_path, db) -> None:
    PatientFactory(mrn="MRN42")
    path = tmp_path / "broken.json"
    path.write_text('{"schema_version": "1",', encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        _run("import_history", str(path), "--mrn", "MRN42")
    assert caught.value.returncode == 2
    assert "not valid JSON: " in str(caught.value)
    assert "(line 1, column 24)" in str(caught.value)


def test_importing_for_an_unknown_clinic_number_is_refused(tmp_path, db) -> None:
    with pytest.raises(CommandError, match="No patient has the clinic number 'NOPE'"):
        _run(
            "import_history", str(_history_file(tmp_path, {"schema_version": "1"})), "--mrn", "NOPE"
        )


def test_the_exit_status_reaches_the_shell(tmp_path, db) -> None:
    bad = _history_file(tmp_path, {"schema_version": "2"})
    result = subprocess.run(
        [sys.executable, "manage.py", "import_history", str(bad), "--mrn", "X"],
        cwd=Path(__file__).parents[2],
        capture_output=True,
        text=True,
        env={**os.environ, "VAR_DIR": str(tmp_path)},
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "invalid history at schema_version" in result.stderr


def test_export_refuses_an_intake_without_a_history(db) -> None:
    intake = IntakeFactory()
    with pytest.raises(CommandError, match="has no submitted history"):
        _run("export_history", str(intake.pk))


# Re-triage ---------------------------------------------------------------------------------------


def _imported(history: dict, tmp_path: Path, mrn: str) -> Intake:
    PatientFactory(mrn=mrn)
    _run("import_history", str(_history_file(tmp_path, history, f"{mrn}.json")), "--mrn", mrn)
    return Intake.objects.get(patient__mrn=mrn)


def test_retriage_adds_a_result_and_keeps_the_earlier_ones(tmp_path, db) -> None:
    intake = _imported({"schema_version": "1"}, tmp_path, "A1")
    first = intake.current_triage
    out = _run("retriage", str(intake.pk))
    intake.refresh_from_db()
    assert "Re-triaged 1 intake(s)" in out
    assert "0 disposition(s) changed" in out
    assert TriageRecord.objects.filter(intake=intake).count() == 2
    assert intake.current_triage != first
    assert TriageRecord.objects.filter(pk=first.pk).exists()


def test_retriage_counts_the_dispositions_that_changed(tmp_path, db) -> None:
    one = _imported({"schema_version": "1"}, tmp_path, "A1")
    _imported({"schema_version": "1"}, tmp_path, "A2")
    # As if an older rule set had sent the first one elsewhere.
    Intake.objects.filter(pk=one.pk).update(triage_disposition="xray")
    out = _run("retriage", "--all")
    assert "Re-triaged 2 intake(s)" in out
    assert "1 disposition(s) changed" in out
    one.refresh_from_db()
    assert one.triage_disposition == "self_help"


def test_retriage_skips_what_is_not_submitted(tmp_path, db) -> None:
    draft = IntakeFactory()
    out = _run("retriage", str(draft.pk), "999999")
    assert "Re-triaged 0 intake(s)" in out
    assert "Skipped 2 id(s)" in out


def test_retriage_needs_all_or_ids(db) -> None:
    with pytest.raises(CommandError, match="either --all or one or more intake ids"):
        _run("retriage")
    with pytest.raises(CommandError):
        _run("retriage", "--all", "3")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (
            '{"schema_version": "1", "training": {"weekly_km_now": ' + "9" * 5000 + "}}",
            "a number too long to read",
        ),
    ],
    ids=["deeply-nested", "integer-of-5000-digits"],
)
def test_a_file_python_cannot_read_as_json_fails_with_exit_2_naming_the_problem(
    tmp_path, db, text, problem
) -> None:
    PatientFactory(mrn="MRN42")
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        _run("import_history", str(path), "--mrn", "MRN42")
    assert caught.value.returncode == 2
    assert problem in str(caught.value)
    assert not Intake.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_import_refuses_a_visit_date_outside_the_window(tmp_path, db, day) -> None:
    PatientFactory(mrn="MRN42")
    history = _history_file(tmp_path, {"schema_version": "1"})
    with pytest.raises(CommandError) as caught:
        _run("import_history", str(history), "--mrn", "MRN42", "--visit-date", day)
    assert caught.value.returncode == 2
    assert f"The visit date {day} is outside the dates the clinic accepts" in str(caught.value)
    assert not Intake.objects.exists()
