"""Every existing login of a customer number becomes that customer's właściciel (issue #12):
nothing changes for it, its customer number stays its login."""

from django.db import migrations


def owners(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    CustomerAccess = apps.get_model("accounts", "CustomerAccess")
    CustomerAccess.objects.bulk_create(
        [
            CustomerAccess(
                user_id=user_id, customer_id=customer_id, role="owner", source="registration", granted_at=joined
            )
            for user_id, customer_id, joined in User.objects.filter(customer__isnull=False)
            .exclude(accesses__revoked_at__isnull=True, accesses__role="owner")
            .values_list("pk", "customer_id", "date_joined")
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_customer_access_roles")]
    operations = [migrations.RunPython(owners, migrations.RunPython.noop)]
