"""`manage.py restore DIR`: a backup into an empty database and storage, every sum checked."""

from __future__ import annotations

from pathlib import Path

from referrals.backup import backup_restore
from referrals.management.commands._backup_directory import BackupDirectoryCommand


class Command(BackupDirectoryCommand):
    help = (
        "Restore a backup written by `manage.py backup` into the configured database and "
        "PRIVATE_STORAGE_DIR, both empty. Every SHA-256 sum is checked before anything is written "
        "and again after."
    )
    directory_help = "a directory written by backup"

    def run_on(self, directory: Path) -> str:
        summary = backup_restore(directory=directory)
        return f"Restored the {summary.vendor} database and {summary.files - 1} files from {directory}; every sum matches."
