"""The PostgreSQL ``unaccent`` extension for the case search ("cieplo" finds "ciepło").

A no-op on SQLite, where the search falls back to a case-insensitive match.
"""

from django.db import migrations


def create_unaccent(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_types_and_staff_group")]

    operations = [migrations.RunPython(create_unaccent, migrations.RunPython.noop)]
