"""Give the staff group "Obsługa klienta" what it needs for meters and self-readings.

The cases app creates the same group the same way (get_or_create), so the order of the two
migrations does not matter.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Obsługa klienta"
CODENAMES = ["view_meter", "view_reading", "view_selfreading", "change_selfreading"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so they can be granted.
    app_config = apps.get_app_config("meters")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="meters", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="meters", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("meters", "0002_self_readings"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
