"""Create the two staff roles with the intake permissions each needs.

referrals/migrations adds that app's permissions to the Clinician group.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FRONT_DESK = "Front desk"
CLINICIAN = "Clinician"

GRANTS = {
    FRONT_DESK: [
        "view_patient",
        "add_patient",
        "change_patient",
        "view_intake",
        "add_intake",
        "change_intake",
        "view_invitation",
        "add_invitation",
        "change_invitation",
    ],
    CLINICIAN: [
        "view_patient",
        "view_intake",
        "change_intake",
        "view_triagerecord",
        "view_auditevent",
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="intake", codename__in=codenames)
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GRANTS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
