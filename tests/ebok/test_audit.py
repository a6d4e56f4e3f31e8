import datetime as dt
import logging

from django.contrib.auth.models import Permission
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ebok.audit import audit
from ebok.models import AuditEvent
from tests.ebok.test_admin_otp import current_code
from tests.factories import PASSWORD, make_staff


def _verified_admin_client(client, user):
    device = TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)
    client.post(
        reverse("admin:login"), {"username": user.username, "password": PASSWORD, "otp_token": current_code(device)}
    )
    return client


def test_audit_writes_a_row_and_a_log_line_with_the_request_id(rf, alice, caplog):
    request = rf.post("/logowanie/", REMOTE_ADDR="203.0.113.9")
    request.id = "req-0123456789"
    request.user = alice
    with caplog.at_level(logging.INFO, logger="ebok.audit"):
        audit("password_reset_requested", request=request, customer_number="100001", when=dt.date(2026, 11, 24))
    event = AuditEvent.objects.get()
    assert event.event == "password_reset_requested"
    assert event.actor == "100001"
    assert event.customer_number == "100001"
    assert event.ip == "203.0.113.9"
    assert event.request_id == "req-0123456789"
    assert event.details == {"when": "2026-11-24"}
    assert any(r.getMessage().startswith("password_reset_requested") for r in caplog.records)


def test_audit_works_without_a_request(db):
    audit("import_finished", customer_number=None, rows=3)
    event = AuditEvent.objects.get()
    assert event.actor == ""
    assert event.ip is None
    assert event.details == {"rows": 3}


def test_a_staff_change_to_customer_data_in_the_admin_is_audited(client, alice):
    user = make_staff("kierownik", superuser=True)
    _verified_admin_client(client, user)
    url = reverse("admin:accounts_user_change", args=[alice.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list | tuple)}
    data.update({"email": "nowy@example.pl", "customer": alice.customer_id, "date_joined_0": "", "date_joined_1": ""})
    data["date_joined_0"], data["date_joined_1"] = alice.date_joined.strftime("%Y-%m-%d"), "12:00:00"
    data.pop("password", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(event="admin_change")
    assert event.actor == "kierownik"
    assert event.customer_number == alice.customer_id
    assert event.details["model"] == "accounts.user"
    assert event.details["object_id"] == str(alice.pk)
    assert event.ip == "127.0.0.1"
    assert len(event.request_id) == 32


def test_any_admin_log_entry_is_audited_with_the_customer_it_concerns(alice):
    from django.contrib.admin.models import DELETION, LogEntry

    user = make_staff("kierownik")
    LogEntry.objects.log_actions(user.pk, [alice.customer], DELETION, change_message="", single_object=True)
    event = AuditEvent.objects.get()
    assert event.event == "admin_delete"
    assert event.customer_number == alice.customer_id


def test_staff_with_the_view_permission_read_the_audit_log_but_cannot_change_it(client, db):
    audit("login_failed", customer_number="100001")
    user = make_staff("audytor")
    user.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    _verified_admin_client(client, user)
    listing = client.get(reverse("admin:ebok_auditevent_changelist"))
    assert listing.status_code == 200
    assert "login_failed" in listing.content.decode()
    event = AuditEvent.objects.get(event="login_failed")
    change = client.post(reverse("admin:ebok_auditevent_change", args=[event.pk]), {"event": "nic"})
    assert change.status_code == 403
    assert client.post(reverse("admin:ebok_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    AuditEvent.objects.get(event="login_failed")


def test_staff_without_the_permission_do_not_see_the_audit_log(client, db):
    user = make_staff("ktos")
    _verified_admin_client(client, user)
    assert client.get(reverse("admin:ebok_auditevent_changelist")).status_code == 403


def test_a_login_name_longer_than_a_customer_number_is_audited_not_a_500(client, db):
    from ebok.models import AuditEvent

    response = client.post("/logowanie/", {"username": "1" * 100, "password": "wrong"})
    assert response.status_code == 200
    event = AuditEvent.objects.get(event="login_failed")
    assert event.customer_number == "1" * 32
