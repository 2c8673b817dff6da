"""Print an intake's submitted history as JSON (the shape of intake-history.schema.json)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from intake.models import Intake
from intake.triage import in_schema_order


class Command(BaseCommand):
    help = "Print the submitted history of an intake as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("intake_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        intake = Intake.objects.filter(pk=options["intake_id"]).first()
        if intake is None:
            raise CommandError(f"There is no intake {options['intake_id']}.")
        if intake.history is None:
            raise CommandError(f"Intake {intake.pk} has no submitted history.")
        self.stdout.write(json.dumps(in_schema_order(intake.history), indent=2, ensure_ascii=False))
