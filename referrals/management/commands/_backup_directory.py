"""What `backup` and `restore` share: one directory argument, and a BackupError ends the command
with its message and exit status 2 instead of a traceback. (A leading underscore: Django lists
no command for this module.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from referrals.backup import BackupError


class BackupDirectoryCommand(BaseCommand):
    directory_help = ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help=self.directory_help)

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            done = self.run_on(directory)
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(done)

    def run_on(self, directory: Path) -> str:
        """Do the command's work on `directory`; return the line that says what was done."""
        raise NotImplementedError
