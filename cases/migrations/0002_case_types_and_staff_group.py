"""The four case types from the user guide, and the staff group "Obsługa klienta".

The group may view, add and change everything about cases, and only view customers and
delivery points: nothing that changes billing data. Other apps add their own permissions to
the same group with get_or_create.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CASE_TYPES = ["Ekonomiczne", "Techniczne", "Reklamacja", "Inne"]
GROUP = "Obsługa klienta"
PERMISSIONS = [
    ("cases", "case", ["view", "add", "change"]),
    ("cases", "message", ["view", "add", "change"]),
    ("cases", "attachment", ["view", "add", "change"]),
    ("cases", "casetype", ["view", "add", "change"]),
    ("billing", "customer", ["view"]),
    ("billing", "deliverypoint", ["view"]),
]


def seed(apps, schema_editor):
    CaseType = apps.get_model("cases", "CaseType")
    for order, name in enumerate(CASE_TYPES, start=1):
        CaseType.objects.get_or_create(name=name, defaults={"order": order * 10})

    # Permissions are normally created after all migrations; create them now so the group can get them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, model, actions in PERMISSIONS:
        codenames = [f"{action}_{model}" for action in actions]
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))


def unseed(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="cases"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("billing", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
