"""Pulpit, the point page and the public page show current and upcoming interruptions."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from outages.models import Interruption
from tests import factories
from tests.outages.conftest import make_interruption
from tests.queries import MAX_QUERIES, count_queries

PUBLIC = reverse("outages:public")


def test_pulpit_shows_the_customers_interruption_with_its_expected_end(alice_client, alice_point, bob_point):
    interruption = make_interruption(substation="W-305", description="Wymiana zaworu w węźle.")
    make_interruption(points=[bob_point], description="Tylko u Boba.")
    page = alice_client.get(reverse("start")).content.decode()
    assert "Wymiana zaworu w węźle." in page and "PO-ALICE-1" in page
    assert timezone.localtime(interruption.expected_end_at).strftime("%d.%m.%Y %H:%M") in page
    assert "Tylko u Boba." not in page


def test_an_ended_or_long_past_interruption_is_not_shown(alice_client, alice_point):
    now = timezone.now()
    make_interruption(points=[alice_point], description="Skończona.", ended_at=now)
    make_interruption(
        points=[alice_point],
        description="Dawno.",
        starts_at=now - timedelta(days=30),
        expected_end_at=now - timedelta(days=20),
    )
    page = alice_client.get(reverse("start")).content.decode()
    assert "Skończona." not in page and "Dawno." not in page


def test_the_point_page_shows_an_upcoming_interruption(alice_client, alice_point):
    now = timezone.now()
    make_interruption(
        points=[alice_point],
        kind=Interruption.Kind.PLANNED,
        starts_at=now + timedelta(days=8),
        expected_end_at=now + timedelta(days=9),
        description="Przegląd letni.",
    )
    page = alice_client.get(reverse("billing:point", args=["PO-ALICE-1"])).content.decode()
    assert "Przegląd letni." in page and "Zaplanowana" in page


def test_the_public_page_needs_no_login_and_shows_no_customer_data(client, alice, alice_point, carol, bob_point):
    make_interruption(substation="W-305", description="Awaria na Mickiewicza.")
    make_interruption(points=[bob_point], description="Awaria na Kościuszki.")
    page = client.get(PUBLIC).content.decode()
    assert "Awaria na Mickiewicza." in page and "Awaria na Kościuszki." in page
    assert "Mickiewicza" in page and "Mielec" in page
    for secret in (
        "100001",
        "100002",
        "100003",
        "Alicja",
        "Bobex",
        "Karolina",
        "PO-ALICE-1",
        "PO-CAROL-1",
        "26/4",
        "41",
        "W-305",
    ):
        assert secret not in page.split("<main", 1)[1].split("</main>", 1)[0], secret


def test_the_public_page_filters_by_town_and_street(client, alice_point, bob_point):
    make_interruption(points=[alice_point], description="Awaria na Mickiewicza.")
    make_interruption(points=[bob_point], description="Awaria na Kościuszki.")
    page = client.get(PUBLIC, {"miejscowosc": "Mielec", "ulica": "mickiew"}).content.decode()
    assert "Awaria na Mickiewicza." in page and "Awaria na Kościuszki." not in page
    page = client.get(PUBLIC, {"ulica": "Nieistniejąca"}).content.decode()
    assert "Brak trwających i zaplanowanych przerw dla wybranej miejscowości i ulicy." in page


def test_an_unknown_town_is_refused_with_a_message_and_keeps_the_street(client, alice_point):
    make_interruption(points=[alice_point])
    response = client.get(PUBLIC, {"miejscowosc": "Atlantyda", "ulica": "Mickiewicza"})
    page = response.content.decode()
    assert response.status_code == 200 and "Atlantyda" in page  # the error names the choice
    assert 'value="Mickiewicza"' in page


def _many(customer_user, n: int) -> None:
    contract = factories.make_contract(customer_user.customer)
    points = [factories.make_point(contract, street=f"Ulica{k} {k}", substation=f"W-{k}") for k in range(n)]
    for k in range(n):
        make_interruption(points=points, streets=[("Mielec", f"Inna{k}")], description=f"Przerwa {k}")


def test_query_counts_do_not_grow_with_interruptions_and_points(client, alice, bob):
    factories.make_point(factories.make_contract(alice.customer), "PO-ALICE-Q")
    client.force_login(alice)
    urls = [reverse("start"), reverse("billing:point", args=["PO-ALICE-Q"]), PUBLIC]
    before = [count_queries(client, url) for url in urls]
    _many(alice, 1)
    one = [count_queries(client, url) for url in urls]
    _many(alice, 8)
    many = [count_queries(client, url) for url in urls]
    assert one == many, (before, one, many)
    assert max(many) <= MAX_QUERIES + 2, many
    client.logout()
    assert count_queries(client, PUBLIC) <= 4
