"""Backups that restore (issue 11, point 10): `manage.py backup DIR` then `manage.py restore
DIR` into an empty database and storage brings back every intake, triage record, audit row and
letter, byte for byte. On SQLite here; under CI=true on PostgreSQL with pg_dump and pg_restore.

The backup runs in this process on the test database; the restore runs as the command line does,
in a new process pointed at a new, empty database and storage directory.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from referrals.models import Letter
from tests.referrals.factories import ready_referral

ROOT = Path(__file__).parents[2]
pytestmark = pytest.mark.django_db(transaction=True)

# What must come back: every row of these, as text, and every letter's file. (JSON as the text
# the database keeps: Django's cursor and a plain psycopg one decode it differently.)
SNAPSHOT = {
    "intake_intake": "id, patient_id, status, visit_date, submitted_at, CAST(history AS TEXT)",
    "intake_triagerecord": "id, intake_id, disposition, CAST(reasons AS TEXT)",
    "audit_auditevent": "id, action, intake_id, object_id, detail, ip_address, at",
    "referrals_letter": "id, referral_id, status, file_name, sha256, size",
}


def _snapshot(cursor) -> dict[str, list[tuple[str, ...]]]:
    rows = {}
    for table, columns in SNAPSHOT.items():
        cursor.execute(f"SELECT {columns} FROM {table} ORDER BY id")  # noqa: S608 - our constants
        rows[table] = [tuple(str(value) for value in row) for row in cursor.fetchall()]
    return rows


@pytest.fixture
def clinic_data(clinician) -> Letter:
    referral = ready_referral(clinician=clinician)
    return referral.letters.get()


@pytest.fixture
def empty_database(tmp_path) -> Iterator[str]:
    """The URL of a new, empty database of the kind the suite runs on."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    yield f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restore(directory: Path, database_url: str, storage: Path) -> subprocess.CompletedProcess:
    env = os.environ | {"DATABASE_URL": database_url, "PRIVATE_STORAGE_DIR": str(storage)}
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(directory)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _restored_snapshot(database_url: str) -> dict[str, list[tuple[str, ...]]]:
    if database_url.startswith("sqlite"):
        restored = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        try:
            return _snapshot(restored.cursor())
        finally:
            restored.close()
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as restored:
        return _snapshot(restored.cursor())


def test_a_backup_restores_every_row_and_every_letter_byte_for_byte(
    clinic_data, empty_database, tmp_path
) -> None:
    with connection.cursor() as cursor:
        before = _snapshot(cursor)
    assert all(before.values()), before  # something of each kind to bring back
    letter_bytes = (Path(settings.PRIVATE_STORAGE_DIR) / clinic_data.file_name).read_bytes()

    call_command("backup", str(tmp_path / "backup"))
    storage = tmp_path / "restored-private"
    result = _restore(tmp_path / "backup", empty_database, storage)

    assert result.returncode == 0, result.stderr
    assert "every sum matches" in result.stdout
    assert _restored_snapshot(empty_database) == before
    assert (storage / clinic_data.file_name).read_bytes() == letter_bytes


def test_the_audit_trail_stays_append_only_after_a_restore(
    clinic_data, empty_database, tmp_path
) -> None:
    call_command("backup", str(tmp_path / "backup"))
    assert _restore(tmp_path / "backup", empty_database, tmp_path / "p").returncode == 0
    if empty_database.startswith("sqlite"):
        restored = sqlite3.connect(empty_database.removeprefix("sqlite:///"))
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            restored.execute("DELETE FROM audit_auditevent")
        restored.close()
        return
    import psycopg

    url = empty_database.replace("postgres://", "postgresql://")
    with psycopg.connect(url) as restored, pytest.raises(psycopg.Error, match="append-only"):
        restored.execute("DELETE FROM audit_auditevent")


def test_restore_refuses_a_tampered_letter_and_writes_nothing(
    clinic_data, empty_database, tmp_path
) -> None:
    call_command("backup", str(tmp_path / "backup"))
    copy = tmp_path / "backup" / "private" / clinic_data.file_name
    copy.write_bytes(copy.read_bytes()[:-1] + b"X")
    storage = tmp_path / "restored-private"

    result = _restore(tmp_path / "backup", empty_database, storage)

    assert result.returncode == 2
    assert "does not match the manifest" in result.stderr
    assert not storage.exists()


def test_restore_refuses_a_database_that_is_not_empty(clinic_data, tmp_path) -> None:
    call_command("backup", str(tmp_path / "backup"))
    with pytest.raises(CommandError, match="The database is not empty") as caught:
        call_command("restore", str(tmp_path / "backup"))
    assert caught.value.returncode == 2


def test_backup_refuses_a_directory_that_is_not_empty(db, tmp_path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "something").write_text("x")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", str(tmp_path / "old"))
