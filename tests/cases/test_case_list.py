import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case
from tests import factories

URL = "/sprawy/"


def test_it_shows_the_seeds_columns_and_row(alice_client, alice):
    factories.make_case(
        alice.customer,
        subject="test ekon",
        status=Case.Status.CLOSED,
        created_at=timezone.make_aware(dt.datetime(2024, 4, 19, 10, 0)),
    )
    response = alice_client.get(URL)
    html = response.content.decode()
    headers = ["Lp.", "Status", "Data wysłania", "Typ sprawy", "Temat", "Nieprzeczytane"]
    for header in headers:
        assert f">{header}</th>" in html
    row = response.context["page"][0]
    assert (row.get_status_display(), row.type.name, row.subject, row.unread) == (
        "Zakończona",
        "Ekonomiczne",
        "test ekon",
        0,
    )
    assert "19.04.2024" in html
    for link in ("Nowa sprawa", "Lista wysłanych spraw", "Lista wysłanych wiadomości", "Wyszukiwanie zaawansowane"):
        assert link in html


def test_unread_counts_only_staff_messages_the_customer_has_not_opened(alice_client, alice):
    case = factories.make_case(alice.customer)
    factories.make_staff_message(case)
    factories.make_staff_message(case)
    factories.make_staff_message(case, read=True)
    [row] = alice_client.get(URL).context["page"]
    assert row.unread == 2


def test_newest_cases_come_first_and_pages_hold_twenty(alice_client, alice):
    start = timezone.make_aware(dt.datetime(2026, 1, 1))
    for day in range(25):
        factories.make_case(alice.customer, subject=f"sprawa {day}", created_at=start + dt.timedelta(days=day))
    first = alice_client.get(URL).context["page"]
    assert [c.subject for c in first][:2] == ["sprawa 24", "sprawa 23"]
    assert len(first) == 20
    second = alice_client.get(URL + "?strona=2")
    assert [c.subject for c in second.context["page"]] == [f"sprawa {d}" for d in range(4, -1, -1)]
    assert "21." in second.content.decode()  # Lp. continues across pages


def test_it_never_lists_another_customers_cases(alice_client, alice, bob):
    factories.make_case(alice.customer, subject="Sprawa Alicji")
    factories.make_case(bob.customer, subject="Sprawa Bobexu")
    response = alice_client.get(URL)
    assert response.status_code == 200
    assert [c.subject for c in response.context["page"]] == ["Sprawa Alicji"]
    assert "Sprawa Bobexu" not in response.content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/sprawy/", "/sprawy/wiadomosci/", "/sprawy/szukaj/?q=faktura&status=nowa"])
def test_the_number_of_queries_does_not_grow_with_cases_and_messages(alice_client, alice, url, settings):
    settings.EBOK_PAGE_CACHE = False  # the page's own render (tests/queries.py)

    def grow(n):
        for _ in range(n):
            case = factories.make_case(alice.customer, subject="faktura", body="faktura")
            factories.make_staff_message(case)
            factories.make_staff_message(case, read=True)
            Case.objects.filter(pk=case.pk).update(status="nowa")

    grow(3)
    small = _queries(alice_client, url)
    grow(27)
    assert _queries(alice_client, url) == small
