"""The database refuses UPDATE and DELETE on the audit trail (audit/guard.py), and the model's
base manager is its guarded queryset, so related-object access cannot bypass the ORM guard."""

from django.db import migrations

from audit.guard import guard_create_sql, guard_drop_sql


def create_guard(apps, schema_editor) -> None:
    for statement in guard_create_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def drop_guard(apps, schema_editor) -> None:
    for statement in guard_drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_action_choices_by_reference")]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={"base_manager_name": "objects", "ordering": ["-at", "-id"]},
        ),
        migrations.RunPython(create_guard, drop_guard),
    ]
