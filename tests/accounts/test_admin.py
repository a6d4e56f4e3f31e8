from django.urls import reverse

from accounts.models import AccountAttempt
from tests import factories


def test_staff_see_registration_attempts_in_the_admin(admin_login, db):
    admin = factories.make_staff("szef", superuser=True)
    AccountAttempt.objects.create(kind="registration", customer_number="123456", ip="192.0.2.1", outcome="failed")
    client = admin_login(admin)
    page = client.get(reverse("admin:accounts_accountattempt_changelist")).content.decode()
    assert "123456" in page and "192.0.2.1" in page
    assert client.get(reverse("admin:accounts_accountattempt_add")).status_code == 403
