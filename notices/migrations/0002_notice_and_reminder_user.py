"""A login to every notice and reminder record (issue #12): notices go per login now. Added empty
here, filled by 0003 and made required by 0004, each step a transaction of its own (PostgreSQL
refuses to alter a table with rows updated earlier in the same transaction)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_attempt_login_length"),
        ("notices", "0001_document_notices_and_reminders"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="documentnotice",
            name="user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="użytkownik",
            ),
        ),
        migrations.AddField(
            model_name="paymentreminder",
            name="user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="użytkownik",
            ),
        ),
    ]
