"""Backups that restore: the database and the private letter files, with SHA-256 sums.

`backup_write(directory)` writes into an empty directory:
  database.sqlite3  (SQLite: a consistent copy through SQLite's online backup API), or
  database.dump     (PostgreSQL: `pg_dump --format=custom`),
  private/...       every file of PRIVATE_STORAGE_DIR (the rendered letters),
  manifest.json     the database kind and the SHA-256 of every file above.
`backup_restore(directory)` checks every sum first, refuses a database with tables or a
storage directory with files, loads the database and copies the files, then checks the sums of
what it wrote. Nothing is half-restored on a tampered backup: the sums are checked before
anything is written.

In the referrals app because it is the top floor: the letters' storage is its own, and a
backup takes the whole database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
FILES = "private"
_DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}


class BackupError(Exception):
    """A backup that cannot be written or restored; the message says why."""


@dataclass(frozen=True)
class BackupSummary:
    vendor: str
    files: int  # how many files the manifest lists, the database included


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _vendor() -> str:
    if connection.vendor not in _DUMPS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _postgres_env() -> dict[str, str]:
    """libpq's variables for the configured database (pg_dump and pg_restore read them)."""
    db = settings.DATABASES["default"]
    values = {
        "PGHOST": db.get("HOST") or "",
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGDATABASE": connection.settings_dict["NAME"],
    }
    return os.environ | {key: value for key, value in values.items() if value}


def _run(command: list[str]) -> None:
    result = subprocess.run(  # noqa: S603 - a fixed program; arguments are paths we chose
        command, env=_postgres_env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _storage_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def backup_write(*, directory: Path, now: dt.datetime) -> BackupSummary:
    """Write a backup of the database and the private files into `directory` (new or empty)."""
    vendor = _vendor()
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: back up into a new directory.")
    directory.mkdir(parents=True, exist_ok=True)
    dump = directory / _DUMPS[vendor]
    if vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(dump)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"])
    storage = Path(settings.PRIVATE_STORAGE_DIR)
    for source in _storage_files(storage):
        copy = directory / FILES / source.relative_to(storage)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, copy)
    sums = {
        path.relative_to(directory).as_posix(): _sha256(path)
        for path in [dump, *_storage_files(directory / FILES)]
    }
    manifest = {"created_at": now.isoformat(), "database": vendor, "sha256": sums}
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return BackupSummary(vendor, len(sums))


def _verified_manifest(directory: Path) -> dict:
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        sums: dict[str, str] = manifest["sha256"]
        vendor: str = manifest["database"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{directory / MANIFEST}: not a backup manifest ({error}).") from None
    for name, digest in sums.items():
        path = directory / name
        if not path.is_file() or Path(name).is_absolute() or ".." in Path(name).parts:
            raise BackupError(f"{name}: listed in the manifest but missing from the backup.")
        if _sha256(path) != digest:
            raise BackupError(f"{name}: its SHA-256 does not match the manifest (tampered?).")
    listed = set(sums)
    extra = [
        p.relative_to(directory).as_posix()
        for p in _storage_files(directory / FILES)
        if p.relative_to(directory).as_posix() not in listed
    ]
    if extra:
        raise BackupError(f"{extra[0]}: in the backup but not in its manifest.")
    if _DUMPS.get(vendor) not in listed:
        raise BackupError(f"The manifest lists no {vendor} database.")
    return manifest


def backup_restore(*, directory: Path) -> BackupSummary:
    """Restore a backup into the configured, empty database and storage, checking every sum
    before and after."""
    manifest = _verified_manifest(directory)
    vendor = _vendor()
    if manifest["database"] != vendor:
        raise BackupError(
            f"The backup holds a {manifest['database']} database; this one is {vendor}."
        )
    if connection.introspection.table_names():
        raise BackupError("The database is not empty: restore into a new, empty database.")
    storage = Path(settings.PRIVATE_STORAGE_DIR)
    if _storage_files(storage):
        raise BackupError(f"{storage} holds files: restore into an empty storage directory.")
    dump = directory / _DUMPS[vendor]
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(dump),
            ]
        )
    for copy in _storage_files(directory / FILES):
        target = storage / copy.relative_to(directory / FILES)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(copy, target)
        name = copy.relative_to(directory).as_posix()
        if _sha256(target) != manifest["sha256"][name]:
            raise BackupError(f"{target}: the restored copy does not match the manifest.")
    return BackupSummary(vendor, len(manifest["sha256"]))
