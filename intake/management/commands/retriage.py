"""Triage submitted histories again with the current rules, keeping every earlier result."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from intake.services import intakes_retriage
from intake.triage import RULES_VERSION


class Command(BaseCommand):
    help = (
        "Recompute the triage of submitted intakes with the current rules. Each run adds a "
        "result; earlier results are kept. Reports how many dispositions changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("intake_ids", nargs="*", type=int, metavar="INTAKE_ID")
        parser.add_argument("--all", action="store_true", help="every submitted intake")

    def handle(self, *args: Any, **options: Any) -> None:
        ids = options["intake_ids"]
        if options["all"] == bool(ids):
            raise CommandError("Give either --all or one or more intake ids.")
        summary = intakes_retriage(intake_ids=None if options["all"] else ids)
        self.stdout.write(
            f"Re-triaged {summary.intakes} intake(s) with rules version {RULES_VERSION}: "
            f"{summary.changed} disposition(s) changed."
        )
        if summary.skipped:
            self.stdout.write(f"Skipped {summary.skipped} id(s): not found or not submitted.")
