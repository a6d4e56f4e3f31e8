"""The staff group "Obsługa klienta" (cases/migrations/0002) may enter and change interruptions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Obsługa klienta"
PERMISSIONS = [
    ("interruption", ["view", "add", "change"]),
    # No delete, as for every other model of the group: a wrong street is corrected, not removed.
    ("affectedstreet", ["view", "add", "change"]),
    ("affectedpoint", ["view"]),
    ("outagenotice", ["view"]),
]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the group can get them.
    app_config = apps.get_app_config("outages")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for model, actions in PERMISSIONS:
        codenames = [f"{action}_{model}" for action in actions]
        group.permissions.add(*Permission.objects.filter(content_type__app_label="outages", codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="outages"))


class Migration(migrations.Migration):
    dependencies = [
        ("outages", "0001_initial"),
        ("cases", "0002_case_types_and_staff_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
