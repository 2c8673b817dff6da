"""The staff profile, taken over from intake: the table is intake_staffprofile renamed by
intake's 0005, so this creates the model in the migration state only, then moves its content
type."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, schema_editor, *, old: str, new: str) -> None:
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    if not content_types.filter(app_label=new, model="staffprofile").exists():
        content_types.filter(app_label=old, model="staffprofile").update(app_label=new)


def content_type_to_accounts(apps, schema_editor) -> None:
    _move_content_type(apps, schema_editor, old="intake", new="accounts")


def content_type_to_intake(apps, schema_editor) -> None:
    _move_content_type(apps, schema_editor, old="accounts", new="intake")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("intake", "0005_move_audit_and_staff_profile_out"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StaffProfile",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("job_title", models.CharField(blank=True, max_length=100)),
                        ("registration_number", models.CharField(blank=True, max_length=50)),
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="staff_profile", to=settings.AUTH_USER_MODEL)),
                    ],
                ),
            ],
        ),
        migrations.RunPython(content_type_to_accounts, content_type_to_intake),
    ]
