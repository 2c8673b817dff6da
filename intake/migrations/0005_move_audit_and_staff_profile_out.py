"""Hand the audit trail to the audit app and the staff profile to accounts, keeping every row.

Intake forgets both models (state only); the tables are renamed to the names their new apps
give them, and the trail's one named index is renamed the way Django names it there. The new
apps' 0001 migrations take the models into their state without touching the database, and move
the content types (so permissions and admin log entries follow).
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("intake", "0004_intake_reviewed_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AuditEvent"),
                migrations.DeleteModel(name="StaffProfile"),
            ],
            database_operations=[
                migrations.AlterModelTable(name="auditevent", table="audit_auditevent"),
                migrations.RenameIndex(
                    model_name="auditevent",
                    new_name="audit_audit_intake__840fea_idx",
                    old_name="intake_audi_intake__e4836d_idx",
                ),
                migrations.AlterModelTable(name="staffprofile", table="accounts_staffprofile"),
            ],
        ),
    ]
