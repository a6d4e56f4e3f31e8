"""A one-line description of each case type in plain words, shown on the new-case form."""

from django.db import migrations, models

DESCRIPTIONS = {
    "Ekonomiczne": "faktury, płatności, umowa",
    "Techniczne": "ogrzewanie, ciepła woda, liczniki, przyłącze",
    "Reklamacja": "zastrzeżenia do faktury, odczytu lub usługi",
    "Inne": "wszystko, co nie pasuje do typów powyżej",
}


def describe(apps, schema_editor):
    CaseType = apps.get_model("cases", "CaseType")
    for name, description in DESCRIPTIONS.items():
        CaseType.objects.filter(name=name, description="").update(description=description)


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_unaccent_extension")]

    operations = [
        migrations.AddField(
            model_name="casetype",
            name="description",
            field=models.CharField(
                blank=True,
                help_text="Kilka słów prostym językiem, pokazywanych przy wyborze typu, np. „faktury, płatności, umowa”.",
                max_length=200,
                verbose_name="opis dla odbiorcy",
            ),
        ),
        migrations.RunPython(describe, migrations.RunPython.noop),
    ]
