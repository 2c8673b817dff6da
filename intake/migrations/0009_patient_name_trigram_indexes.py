"""The front desk's patient search at 1,000,000 intakes: names match anywhere in them
(`icontains`, UPPER(name) LIKE '%WORD%'), which no b-tree serves, so each search read all 800,000
patients twice (0.3-0.9 s). Trigram GIN indexes (pg_trgm) on the upper-cased names serve it.

PostgreSQL only; built CONCURRENTLY (the patients table stays writable), so not atomic. pg_trgm is
a trusted extension (PostgreSQL 13+): the database's owner may create it. Where the role may not,
the migration says so and goes on without the indexes: the search still works, only slower.
"""

import logging

from django.db import DatabaseError, migrations

logger = logging.getLogger(__name__)

INDEXES = {
    "patient_first_name_trigram": "ON intake_patient USING gin (UPPER(first_name::text) gin_trgm_ops)",
    "patient_last_name_trigram": "ON intake_patient USING gin (UPPER(last_name::text) gin_trgm_ops)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        logger.warning(
            "pg_trgm is not available (%s): the desk's name search stays unindexed", error
        )
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [("intake", "0008_intake_review_state")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
