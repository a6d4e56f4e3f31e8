import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from cases.models import Case, CaseType
from tests import factories

URL = "/sprawy/szukaj/"
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")


def _found(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return sorted(c.subject for c in response.context["page"])


def test_it_shows_the_form_and_no_results_before_a_search(alice_client):
    response = alice_client.get(URL)
    assert response.context["page"] is None
    assert "Wyszukiwanie zaawansowane" in response.content.decode()


def test_it_finds_words_in_the_subject_or_in_any_message(alice_client, alice):
    factories.make_case(alice.customer, subject="Reklamacja faktury", body="Proszę o korektę")
    case = factories.make_case(alice.customer, subject="Pytanie", body="Brak ogrzewania")
    factories.make_staff_message(case, "Wymienimy zawór")
    factories.make_case(alice.customer, subject="Inna sprawa", body="Nic wspólnego")
    assert _found(alice_client, q="reklamacja") == ["Reklamacja faktury"]
    assert _found(alice_client, q="ogrzewania") == ["Pytanie"]
    assert _found(alice_client, q="zawór") == ["Pytanie"]


def test_it_filters_by_status_type_dates_and_point(alice_client, alice):
    point = factories.make_point(factories.make_contract(alice.customer), "PO-1")
    technical = CaseType.objects.get(name="Techniczne")
    aware = timezone.make_aware
    factories.make_case(
        alice.customer, subject="a", status=Case.Status.CLOSED, created_at=aware(dt.datetime(2026, 3, 1))
    )
    factories.make_case(alice.customer, subject="b", type=technical, created_at=aware(dt.datetime(2026, 6, 1)))
    factories.make_case(alice.customer, subject="c", delivery_point=point, created_at=aware(dt.datetime(2026, 9, 1)))
    assert _found(alice_client, status="zakonczona") == ["a"]
    assert _found(alice_client, type=technical.pk) == ["b"]
    assert _found(alice_client, date_from="2026-05-01") == ["b", "c"]
    assert _found(alice_client, date_from="2026-05-01", date_to="2026-06-01") == ["b"]
    assert _found(alice_client, date_to="01.06.2026") == ["a", "b"]
    assert _found(alice_client, delivery_point=point.pk) == ["c"]


def test_it_refuses_a_reversed_date_range_in_polish(alice_client):
    response = alice_client.get(URL, {"date_from": "2026-06-01", "date_to": "2026-05-01"})
    assert "Data „do” nie może być wcześniejsza niż data „od”." in response.content.decode()
    assert response.context["page"] is None


def test_it_never_finds_another_customers_cases(alice_client, bob):
    factories.make_case(bob.customer, subject="Reklamacja Bobexu")
    assert _found(alice_client, q="reklamacja") == []


def test_another_customers_point_is_an_invalid_choice(alice_client, bob):
    foreign = factories.make_point(factories.make_contract(bob.customer))
    response = alice_client.get(URL, {"delivery_point": foreign.pk})
    assert "Wybierz punkt odbioru z listy." in response.content.decode()


def test_search_results_keep_the_query_in_the_page_links(alice_client, alice):
    for i in range(21):
        factories.make_case(alice.customer, subject=f"faktura {i}")
    html = alice_client.get(URL, {"q": "faktura"}).content.decode()
    assert "?q=faktura&amp;" in html and "strona=2" in html


def test_it_ignores_case_and_polish_letters_on_sqlite_as_on_postgresql(alice_client, alice):
    factories.make_case(alice.customer, subject="Ciepło nie dociera", body="Zimne kaloryfery")
    factories.make_case(alice.customer, subject="REKLAMACJA odczytu", body="Źle odczytany licznik")
    assert _found(alice_client, q="cieplo") == ["Ciepło nie dociera"]
    assert _found(alice_client, q="CIEPŁO") == ["Ciepło nie dociera"]
    assert _found(alice_client, q="reklamacja") == ["REKLAMACJA odczytu"]
    assert _found(alice_client, q="zle licznik") == ["REKLAMACJA odczytu"]
    assert _found(alice_client, q="ŹLE") == ["REKLAMACJA odczytu"]
    assert _found(alice_client, q="kaloryfery zle") == []  # every word in one message or the subject


def test_it_finds_a_case_by_its_number_in_full_or_by_its_last_digits(alice_client, alice):
    wanted = factories.make_case(alice.customer, subject="Szukana")
    factories.make_case(alice.customer, subject="Inna")
    Case.objects.filter(pk=wanted.pk).update(number="SP/2026/000013")
    assert _found(alice_client, q="SP/2026/000013") == ["Szukana"]
    assert _found(alice_client, q="sp/2026/000013") == ["Szukana"]
    assert _found(alice_client, q="13") == ["Szukana"]
    assert _found(alice_client, q="000013") == ["Szukana"]
    assert _found(alice_client, q="SP/2025/000013") == []


@on_postgresql
def test_on_postgresql_the_unaccent_extension_is_installed(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT unaccent('ciepło')")
        assert cursor.fetchone()[0] == "cieplo"
