"""Create a submitted, triaged intake for an existing patient from a JSON history file."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from intake.models import Patient
from intake.services import history_import
from intake.triage import HistoryError, validate_history
from intake.triage.batch import parse_json
from intake.visit_dates import visit_date_refusal

INVALID_FILE = 2  # exit status for a file that is not a valid history


class Command(BaseCommand):
    help = (
        "Import a pre-visit history (JSON in the shape of intake-history.schema.json) as a "
        "submitted intake of the patient with this clinic number, and triage it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the history, a JSON file ('-' for stdin)")
        parser.add_argument("--mrn", required=True, help="the patient's clinic number")
        parser.add_argument(
            "--visit-date",
            type=dt.date.fromisoformat,
            help="the visit it is for, YYYY-MM-DD (default: today)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        history = self._read(options["file"])
        try:
            validate_history(history)
        except HistoryError as error:
            where = error.path or "(the whole history)"
            raise CommandError(
                f"{options['file']}: invalid history at {where}: {error.message}",
                returncode=INVALID_FILE,
            ) from error
        patient = Patient.objects.filter(mrn__iexact=options["mrn"].strip()).first()
        if patient is None:
            raise CommandError(f"No patient has the clinic number {options['mrn']!r}.")
        now = timezone.now()
        visit_date = options["visit_date"] or timezone.localdate(now)
        refusal = visit_date_refusal(visit_date, today=timezone.localdate(now))
        if refusal:
            raise CommandError(refusal, returncode=INVALID_FILE)
        intake = history_import(
            patient=patient,
            history=history,
            visit_date=visit_date,
            actor=None,
            now=now,
        )
        self.stdout.write(f"Imported as intake {intake.pk} (triage: {intake.triage_disposition}).")

    def _read(self, path: Path) -> Any:
        try:
            text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: cannot read: {error}", returncode=INVALID_FILE) from error
        try:
            return parse_json(text)
        except ValueError as error:
            raise CommandError(f"{path}: {error}", returncode=INVALID_FILE) from None
