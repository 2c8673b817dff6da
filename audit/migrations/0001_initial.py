"""The audit trail, taken over from intake: the table is intake_auditevent renamed by intake's
0005, so this creates the model in the migration state only, then moves its content type."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, schema_editor, *, old: str, new: str) -> None:
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    if not content_types.filter(app_label=new, model="auditevent").exists():
        content_types.filter(app_label=old, model="auditevent").update(app_label=new)


def content_type_to_audit(apps, schema_editor) -> None:
    _move_content_type(apps, schema_editor, old="intake", new="audit")


def content_type_to_intake(apps, schema_editor) -> None:
    _move_content_type(apps, schema_editor, old="audit", new="intake")


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
                    name="AuditEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("action", models.CharField(choices=[("patient.registered", "Registered the patient"), ("intake.created", "Created the visit"), ("invitation.created", "Created a link for the patient"), ("invitation.revoked", "Revoked the patient's link"), ("invitation.email_failed", "Link e-mail failed"), ("invitation.tablet", "Started the form on the clinic tablet"), ("intake.submitted", "Patient submitted the history"), ("intake.reopened", "Reopened the history for the patient"), ("intake.imported", "Imported a history"), ("case.viewed", "Viewed the case"), ("review.accepted", "Accepted the triage"), ("review.overridden", "Overrode the triage"), ("review.note", "Wrote clinical notes"), ("review.reopened", "Reopened the review"), ("referral.created", "Created a referral"), ("referral.updated", "Edited a referral draft"), ("referral.signed", "Signed a referral"), ("referral.corrected", "Corrected a signed referral"), ("letter.previewed", "Previewed a letter"), ("letter.downloaded", "Downloaded a letter"), ("letter.retried", "Retried a letter"), ("letter.integrity_failed", "Letter file failed its integrity check"), ("letter.sent", "Sent a letter"), ("handout.issued", "Issued the self-help handout"), ("audit.exported", "Exported the audit trail")], max_length=64)),
                        ("object_type", models.CharField(blank=True, max_length=64)),
                        ("object_id", models.CharField(blank=True, max_length=64)),
                        ("detail", models.TextField(blank=True)),
                        ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("intake", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="audit_events", to="intake.intake")),
                    ],
                    options={
                        "ordering": ["-at", "-id"],
                        "indexes": [models.Index(fields=["intake", "-at"], name="audit_audit_intake__840fea_idx")],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_type_to_audit, content_type_to_intake),
    ]
