"""Give the Clinician group (created by intake 0002) the referrals permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CLINICIAN = "Clinician"
CODENAMES = [
    "view_casereview",
    "add_casereview",
    "change_casereview",
    "view_referral",
    "add_referral",
    "change_referral",
    "view_letter",
    "view_destination",
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=CLINICIAN)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="referrals", codename__in=CODENAMES)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0001_initial"),
        ("intake", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
