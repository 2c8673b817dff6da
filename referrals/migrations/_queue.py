"""What the review queue's migrations (0004, 0009, 0010) share: copies of the review's fields on
the intake, which the queue filters on, and the indexes its queries need, in PostgreSQL syntax
(INCLUDE, partial indexes, operator classes), so they live in RunPython rather than in the models'
Meta; SQLite (local development) runs the same queries without them, and Django's model state is
unaffected. Not a migration itself: the migration loader skips module names that start with "_".
"""

from __future__ import annotations

from django.db import migrations
from django.db.models import OuterRef, Subquery


def review_copied_to_intake(field: str, *, onto: str) -> migrations.RunPython:
    """Backfill Intake.`onto` with the case review's `field` (the services keep it from then on);
    nothing to undo, the column goes with its AddField."""

    def forwards(apps, schema_editor) -> None:  # noqa: ANN001 - RunPython's arguments
        Intake = apps.get_model("intake", "Intake")
        CaseReview = apps.get_model("referrals", "CaseReview")
        value = CaseReview.objects.filter(intake=OuterRef("pk")).values(field)[:1]
        Intake.objects.filter(review__isnull=False).update(**{onto: Subquery(value)})

    return migrations.RunPython(forwards, migrations.RunPython.noop)


def postgres_indexes(
    indexes: dict[str, str], *, drop: dict[str, str] | None = None, concurrently: bool = False
) -> migrations.RunPython:
    """Create `indexes` (name: "ON table (...) ...") and drop the indexes in `drop` (name: their
    definition, to create them again when migrating back), on PostgreSQL only. CONCURRENTLY
    keeps the table writable while a large index builds; it needs a non-atomic migration."""
    drop = drop or {}
    how = " CONCURRENTLY" if concurrently else ""

    def create(schema_editor, name: str, definition: str) -> None:  # noqa: ANN001 - Django's
        schema_editor.execute(f"CREATE INDEX{how} IF NOT EXISTS {name} {definition}")

    def remove(schema_editor, name: str) -> None:  # noqa: ANN001 - Django's
        schema_editor.execute(f"DROP INDEX{how} IF EXISTS {name}")

    def forwards(apps, schema_editor) -> None:  # noqa: ANN001 - RunPython's arguments
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, definition in indexes.items():
            create(schema_editor, name, definition)
        for name in drop:
            remove(schema_editor, name)

    def backwards(apps, schema_editor) -> None:  # noqa: ANN001 - RunPython's arguments
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in indexes:
            remove(schema_editor, name)
        for name, definition in drop.items():
            create(schema_editor, name, definition)

    return migrations.RunPython(forwards, backwards)
