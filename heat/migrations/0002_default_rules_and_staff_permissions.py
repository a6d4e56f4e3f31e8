"""The default deadlines per kind of request (the utilities' published quality standards), the
ordered-power rules of two utilities (one active), the case type of requests, and the staff
group's permissions. Staff change all of it in the admin.

Defaults: heating started or stopped within 8 hours of the requested moment; the weather
controller set within 3 days; the installation refilled within 24 hours of the requested
moment; answers about ordered power and requested interruptions within 7 days, complaints within
14 days.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Obsługa klienta"
# kind, amount, unit, counted from, promise
DEADLINES = [
    ("wlaczenie-co", 8, "godziny", "termin", "realizacja"),
    ("wylaczenie-co", 8, "godziny", "termin", "realizacja"),
    ("regulator", 3, "dni", "zlozenie", "realizacja"),
    ("moc-zamowiona", 14, "dni", "zlozenie", "odpowiedz"),
    ("uzupelnienie-zladu", 24, "godziny", "termin", "realizacja"),
    ("przerwa", 7, "dni", "zlozenie", "odpowiedz"),
    ("reklamacja", 14, "dni", "zlozenie", "odpowiedz"),
]
# utility, deadline day, month, effective day, month, active
POWER_RULES = [
    ("Veolia Energia Łódź: do 30 czerwca na 1 października", 30, 6, 1, 10, True),
    ("OPEC Gdynia: do 30 września na 1 stycznia", 30, 9, 1, 1, False),
]
PERMISSIONS = [
    ("heat", "heatrequest", ["view", "change"]),
    ("heat", "statuschange", ["view"]),
    ("heat", "deadlinerule", ["view"]),
    ("heat", "powerchangerule", ["view"]),
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("heat", "DeadlineRule")
    for kind, amount, unit, counted_from, promise in DEADLINES:
        DeadlineRule.objects.get_or_create(
            kind=kind, defaults={"amount": amount, "unit": unit, "counted_from": counted_from, "promise": promise}
        )
    PowerChangeRule = apps.get_model("heat", "PowerChangeRule")
    if not PowerChangeRule.objects.exists():
        for utility, dd, dm, ed, em, active in POWER_RULES:
            PowerChangeRule.objects.create(
                utility=utility,
                deadline_day=dd,
                deadline_month=dm,
                effective_day=ed,
                effective_month=em,
                is_active=active,
            )
    CaseType = apps.get_model("cases", "CaseType")
    CaseType.objects.get_or_create(name="Dyspozycje i wnioski", defaults={"is_active": False, "order": 90})

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


class Migration(migrations.Migration):
    dependencies = [
        ("heat", "0001_initial"),
        ("cases", "0004_casetype_description"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
