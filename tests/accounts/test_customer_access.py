"""Roles for many customers per login (issue #12): every customer page and file × (właściciel,
pełnomocnik, podgląd, a revoked representative, a login without access), by URL and by POST."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import CustomerAccess
from billing.models import Customer
from cases.models import Case, Message
from meters.models import SelfReading
from tests import factories

Role = CustomerAccess.Role


@pytest.fixture
def world(alice, bob, settings):
    """alice's customer with one of everything, a manager with a role on it, and bob (no access)."""
    customer = alice.customer
    contract = factories.make_contract(customer)
    point = factories.make_point(contract, "PO-1")
    meter = factories.make_meter(point, "W-1")
    factories.make_reading(meter, dt.date(2026, 1, 1), "10.000")
    document = factories.make_document(customer, "FV/2026/01/00001", pdf=factories.write_pdf("a.pdf"))
    other = factories.make_other_document(customer, "PI-1", pdf=factories.write_pdf("b.pdf"))
    case = factories.make_case(customer)
    staff_message = factories.make_staff_message(case)
    path = factories.write_pdf("cases/c.pdf", factories.PDF_BYTES)
    attachment = staff_message.attachments.create(
        path=path, filename="c.pdf", content_type="application/pdf", size=len(factories.PDF_BYTES)
    )
    manager = factories.make_login("zarzadca")
    return {
        "alice": alice,
        "bob": bob,
        "manager": manager,
        "customer": customer,
        "point": point,
        "meter": meter,
        "document": document,
        "other": other,
        "case": case,
        "attachment": attachment,
    }


def pages(w) -> list[str]:
    """Every page and file of one customer."""
    return [
        "/pulpit/",
        "/umowa/",
        "/punkty-odbioru/",
        f"/punkty-odbioru/{w['point'].code}/",
        "/platnosci/",
        "/dokumenty/",
        "/dokumenty/zip/?zip-od=2026-01-01&zip-do=2026-12-31",
        f"/dokumenty/faktura/{w['document'].number}/pdf/",
        f"/dokumenty/pismo/{w['other'].ext_id}/pdf/",
        "/liczniki/",
        f"/liczniki/{w['meter'].serial}/podaj-odczyt/",
        "/sprawy/",
        "/sprawy/nowa/",
        f"/sprawy/{w['case'].pk}/",
        "/sprawy/wiadomosci/",
        "/sprawy/szukaj/",
        f"/sprawy/zalaczniki/{w['attachment'].pk}/",
        "/moje-konto/",
    ]


def _as(client, user, prefix=""):
    client.force_login(user)
    return lambda path: client.get(prefix + path)


@pytest.mark.parametrize("role", [Role.PROXY, Role.VIEWER])
def test_a_representative_with_one_customer_sees_every_page_and_file_of_it(client, world, role):
    factories.grant(world["manager"], world["customer"], role)
    get = _as(client, world["manager"])
    for path in pages(world):
        assert get(path).status_code == 200, path


@pytest.mark.parametrize("who", ["bob", "revoked", "manager_of_bob"])
def test_a_login_without_access_gets_404_for_every_page_and_file_named_by_the_url(client, world, who):
    user = world["bob"] if who == "bob" else world["manager"]
    if who == "revoked":
        factories.grant(user, world["customer"], Role.PROXY, revoked_at=timezone.now())
        factories.grant(user, world["bob"].customer, Role.PROXY)
    if who == "manager_of_bob":
        factories.grant(user, world["bob"].customer, Role.PROXY)
    get = _as(client, user, prefix=f"/odbiorca/{world['customer'].number}")
    for path in pages(world):
        assert get(path).status_code == 404, path


def test_a_login_without_access_gets_404_for_the_objects_of_another_customer_through_its_own(client, world):
    get = _as(client, world["bob"])
    for path in pages(world):
        if path.count("/") > 2 and not path.endswith("?zip-od=2026-01-01&zip-do=2026-12-31") and "nowa" not in path:
            if path in ("/punkty-odbioru/", "/sprawy/wiadomosci/", "/sprawy/szukaj/", "/liczniki/", "/dokumenty/zip/"):
                continue
            assert get(path).status_code == 404, path


def test_the_owner_and_a_proxy_may_post_a_case_a_reply_and_a_reading(client, world):
    factories.grant(world["manager"], world["customer"], Role.PROXY)
    for user in (world["alice"], world["manager"]):
        client.force_login(user)
        response = client.post("/sprawy/nowa/", {"type": Case.objects.first().type_id, "subject": "S", "body": "B"})
        assert response.status_code == 302 and "/sprawy/" in response["Location"]
        response = client.post(f"/sprawy/{world['case'].pk}/", {"body": f"Odpowiedź {user}"})
        assert response.status_code == 302
        assert Message.objects.filter(case=world["case"], author=user).exists()
    client.force_login(world["manager"])
    response = client.post(f"/liczniki/{world['meter'].serial}/podaj-odczyt/", {"value": "12.000"})
    assert response.status_code == 302
    assert SelfReading.objects.filter(meter=world["meter"]).count() == 1


def test_a_viewer_sees_the_forms_pages_without_forms_and_its_posts_change_nothing(client, world):
    factories.grant(world["manager"], world["customer"], Role.VIEWER)
    client.force_login(world["manager"])
    cases_before = Case.objects.count()
    for path in ("/sprawy/nowa/", f"/sprawy/{world['case'].pk}/", f"/liczniki/{world['meter'].serial}/podaj-odczyt/"):
        html = client.get(path).content.decode()
        assert 'method="post" enctype' not in html, path
        assert "tylko do podglądu" in html
        response = client.post(path, {"type": Case.objects.first().type_id, "subject": "S", "body": "B", "value": "12"})
        assert response.status_code == 302 and response["Location"] == path
    assert Case.objects.count() == cases_before
    assert not Message.objects.filter(author=world["manager"]).exists()
    assert not SelfReading.objects.exists()
    html = client.get("/liczniki/").content.decode()
    assert "Podaj odczyt" not in html
    response = client.post("/moje-konto/e-faktury/", {"e_invoices": "on"})
    assert response.status_code == 302
    assert not world["customer"].consent_events.filter(kind="e-faktury").exists()


def test_a_revoked_grant_holds_at_the_next_request_of_a_session_already_open(client, world):
    grant = factories.grant(world["manager"], world["customer"], Role.PROXY)
    client.force_login(world["manager"])
    assert client.get("/dokumenty/").status_code == 200
    grant.revoked_at = timezone.now()
    grant.save()
    assert client.get("/dokumenty/").status_code == 302  # no customer left: to the login page
    assert client.get(f"/odbiorca/{world['customer'].number}/dokumenty/").status_code == 404


def test_a_change_of_role_holds_at_the_next_request(client, world):
    grant = factories.grant(world["manager"], world["customer"], Role.PROXY)
    client.force_login(world["manager"])
    assert "Wyślij sprawę" in client.get("/sprawy/nowa/").content.decode()
    CustomerAccess.objects.filter(pk=grant.pk).update(role=Role.VIEWER)
    assert "Wyślij sprawę" not in client.get("/sprawy/nowa/").content.decode()


def test_an_existing_login_is_the_owner_of_its_customer_and_the_only_owner(alice):
    access = CustomerAccess.objects.get(user=alice)
    assert (access.role, access.source, access.customer_id) == (Role.OWNER, "registration", alice.customer_id)
    other = factories.make_login("drugi")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.grant(other, alice.customer, Role.OWNER)


def test_one_live_access_per_login_and_customer(world):
    factories.grant(world["manager"], world["customer"], Role.PROXY, revoked_at=timezone.now())
    factories.grant(world["manager"], world["customer"], Role.VIEWER)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.grant(world["manager"], world["customer"], Role.PROXY)


def test_the_data_migration_makes_each_login_of_a_customer_its_owner(alice, bob):
    from importlib import import_module

    from django.apps import apps

    CustomerAccess.objects.all().delete()
    import_module("accounts.migrations.0008_customer_access_owners").owners(apps, None)
    assert sorted(CustomerAccess.objects.values_list("user__username", "role")) == [
        ("100001", "owner"),
        ("100002", "owner"),
    ]
    import_module("accounts.migrations.0008_customer_access_owners").owners(apps, None)  # twice: nothing new
    assert CustomerAccess.objects.count() == 2
    assert Customer.objects.count() == 2
