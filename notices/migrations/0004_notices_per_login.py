"""Notices per login (issue #12): the login required, a document announced once per login (no
longer once in all), reminders looked up per login and document."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0003_document_imported_at"),
        ("ebok", "0004_outbox_headers_failing_addresses_rate"),
        ("notices", "0003_fill_notice_and_reminder_user"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="paymentreminder",
            name="reminder_document_sent",
        ),
        migrations.AlterField(
            model_name="documentnotice",
            name="document",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notices",
                to="billing.document",
                verbose_name="dokument rozliczeniowy",
            ),
        ),
        migrations.AlterField(
            model_name="documentnotice",
            name="other_document",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notices",
                to="billing.otherdocument",
                verbose_name="dokument",
            ),
        ),
        migrations.AlterField(
            model_name="documentnotice",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="użytkownik",
            ),
        ),
        migrations.AlterField(
            model_name="paymentreminder",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="użytkownik",
            ),
        ),
        migrations.AddIndex(
            model_name="paymentreminder",
            index=models.Index(fields=["user", "document", "sent_at"], name="reminder_login_document_sent"),
        ),
        migrations.AddConstraint(
            model_name="documentnotice",
            constraint=models.UniqueConstraint(fields=("user", "document"), name="notice_once_per_login_document"),
        ),
        migrations.AddConstraint(
            model_name="documentnotice",
            constraint=models.UniqueConstraint(fields=("user", "other_document"), name="notice_once_per_login_other"),
        ),
    ]
