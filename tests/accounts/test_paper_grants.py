"""Staff grant and revoke access in the admin on a paper authorisation (issue #12); the właściciel
sees its reference and date in Moje konto."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from accounts.models import CustomerAccess
from ebok.models import AuditEvent
from tests import factories


def test_staff_grant_on_paper_and_the_owner_sees_the_reference(admin_login, alice, send_queued_mail):
    admin = factories.make_staff("szef", superuser=True)
    manager = factories.make_login("zarzadca")
    staff_client = admin_login(admin)
    url = reverse("admin:accounts_customeraccess_add")
    response = staff_client.post(
        url, {"user": manager.pk, "customer": "100001", "role": "proxy", "paper_reference": "", "paper_date": ""}
    )
    assert response.status_code == 200 and not CustomerAccess.objects.filter(user=manager).exists()
    response = staff_client.post(
        url,
        {
            "user": manager.pk,
            "customer": "100001",
            "role": "proxy",
            "paper_reference": "UP/12/2026",
            "paper_date": "2026-11-30",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    access = CustomerAccess.objects.get(user=manager)
    assert (access.source, access.paper_reference, str(access.paper_date), access.granted_by) == (
        "paper",
        "UP/12/2026",
        "2026-11-30",
        admin,
    )
    assert AuditEvent.objects.filter(event="access_granted_on_paper", customer_number="100001").exists()
    assert sorted(m.to[0] for m in send_queued_mail()) == sorted(["alice@example.pl", manager.email])
    owner = Client()  # admin_login's client stays the staff's
    owner.force_login(alice)
    html = owner.get("/moje-konto/").content.decode()
    assert "UP/12/2026, 30.11.2026" in html

    staff_client.post(
        reverse("admin:accounts_customeraccess_changelist"),
        {"action": "revoke", "_selected_action": [access.pk, CustomerAccess.objects.get(user=alice).pk]},
    )
    access.refresh_from_db()
    assert access.revoked_at is not None
    assert CustomerAccess.objects.get(user=alice).revoked_at is None  # the właściciel stays
