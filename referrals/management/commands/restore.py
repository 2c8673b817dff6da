"""`manage.py restore DIR`: a backup into an empty database and storage, every sum checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from referrals.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup` into the configured database and "
        "PRIVATE_STORAGE_DIR, both empty. Every SHA-256 sum is checked before anything is written "
        "and again after."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="a directory written by backup")

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            summary = backup_restore(directory=directory)
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(
            f"Restored the {summary.vendor} database and {summary.files - 1} files from {directory}; every sum matches."
        )
