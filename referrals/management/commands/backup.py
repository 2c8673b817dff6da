"""`manage.py backup DIR`: the database and the private letter files, with SHA-256 sums."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from referrals.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite copy or pg_dump custom format) and the private letter "
        "files into DIR (new or empty), with a manifest of SHA-256 sums."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="a new or empty directory")

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            summary = backup_write(directory=directory, now=timezone.now())
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(
            f"Backed up the {summary.vendor} database and {summary.files - 1} files to {directory}."
        )
