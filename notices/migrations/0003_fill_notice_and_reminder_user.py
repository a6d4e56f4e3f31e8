"""Every record so far was about the one login of its customer: it goes to the customer's
właściciel (its live owner access, else the login registered for the number). A record whose
customer has no login left is dropped: nobody is there to have been told, and a login that
registers later counts only documents imported after it joined."""

from django.db import migrations
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def owners(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    CustomerAccess = apps.get_model("accounts", "CustomerAccess")
    owner = CustomerAccess.objects.filter(customer_id=OuterRef("customer_id"), role="owner", revoked_at__isnull=True)
    registered = User.objects.filter(customer_id=OuterRef("customer_id"))
    login = Coalesce(Subquery(owner.values("user_id")[:1]), Subquery(registered.values("pk")[:1]))
    for name in ("DocumentNotice", "PaymentReminder"):
        model = apps.get_model("notices", name)
        # One UPDATE with a correlated subquery (SQLite and PostgreSQL alike), whatever the number of rows.
        model.objects.filter(user__isnull=True).update(user_id=login)
        model.objects.filter(user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("notices", "0002_notice_and_reminder_user")]
    operations = [migrations.RunPython(owners, migrations.RunPython.noop)]
