"""`manage.py backup DIR`: the database and the private letter files, with SHA-256 sums."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from referrals.backup import backup_write
from referrals.management.commands._backup_directory import BackupDirectoryCommand


class Command(BackupDirectoryCommand):
    help = (
        "Back up the database (SQLite copy or pg_dump custom format) and the private letter "
        "files into DIR (new or empty), with a manifest of SHA-256 sums."
    )
    directory_help = "a new or empty directory"

    def run_on(self, directory: Path) -> str:
        summary = backup_write(directory=directory, now=timezone.now())
        return (
            f"Backed up the {summary.vendor} database and {summary.files - 1} files to {directory}."
        )
