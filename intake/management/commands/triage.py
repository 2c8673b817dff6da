"""`manage.py triage PATH`: triage histories from a JSON or JSON Lines file, or stdin (`-`)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from intake.triage.batch import triage_text


class Command(BaseCommand):
    help = (
        "Triage pre-visit histories. PATH holds one JSON history or JSON Lines (one history "
        "per line); '-' reads stdin. Writes one result per history, in input order, or "
        '{"line": N, "error": "..."} in its place; exits 2 if any history was invalid.'
    )
    # Tests pass stdin=io.StringIO(...) through call_command.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a .json or .jsonl file, or - for stdin")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        text = self._read(path, options.get("stdin") or sys.stdin)
        if not text.strip():
            where = "stdin" if path == "-" else path
            raise CommandError(f"no input: {where} holds no history to triage", returncode=2)
        total = invalid = 0
        for line in triage_text(text):
            self.stdout.write(line.output)
            total += 1
            invalid += not line.ok
        self.stdout.flush()
        if invalid:
            raise CommandError(
                f"{invalid} of {total} histories invalid; see the error lines", returncode=2
            )

    def _read(self, path: str, stdin: Any) -> str:
        try:
            if path == "-":
                data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
            else:
                with open(path, "rb") as file:
                    data = file.read()
            return data.decode("utf-8-sig") if isinstance(data, bytes) else data
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}", returncode=2) from None
        except UnicodeDecodeError as error:
            raise CommandError(
                f"cannot read {path}: not UTF-8 ({error.reason})", returncode=2
            ) from None
