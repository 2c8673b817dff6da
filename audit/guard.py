"""The database's own guard on the trail: triggers that refuse UPDATE and DELETE on
audit_auditevent, whoever sends them (raw SQL as the app's user, a bug that bypasses the ORM,
an admin action). Created by migration 0002; the SQL lives here so that the migration and the
test runner's flush (tests/conftest.py) use the same statements.

On PostgreSQL the table's owner could still drop the trigger: a clinic that wants the trail
proof against its own app user grants that user INSERT and SELECT only (README, production).
TRUNCATE is not refused: it is the test runner's flush on PostgreSQL, and no code path of the
app issues it.
"""

from __future__ import annotations

TABLE = "audit_auditevent"
REFUSAL = "the audit trail is append-only"

_SQLITE_CREATE = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_{op.lower()} BEFORE {op} ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}: {op} refused'); END"
    for op in ("UPDATE", "DELETE")
]
_SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_no_{op}" for op in ("update", "delete")]

_POSTGRES_CREATE = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{REFUSAL}: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$""",
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse()",
]
_POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_refuse()",
]


def guard_create_sql(vendor: str) -> list[str]:
    """The statements that make the database refuse UPDATE and DELETE on the trail."""
    return {"sqlite": _SQLITE_CREATE, "postgresql": _POSTGRES_CREATE}.get(vendor, [])


def guard_drop_sql(vendor: str) -> list[str]:
    return {"sqlite": _SQLITE_DROP, "postgresql": _POSTGRES_DROP}.get(vendor, [])
