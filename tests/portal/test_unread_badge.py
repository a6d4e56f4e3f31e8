from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories


def _tab(response):
    [tab] = [t for t in response.context["customer_tabs"] if t["name"] == "cases:list"]
    return tab


def test_the_cases_tab_shows_the_number_of_unread_staff_messages(alice_client, alice):
    case = factories.make_case(alice.customer)
    factories.make_staff_message(case)
    factories.make_staff_message(factories.make_case(alice.customer))
    factories.make_staff_message(case, read=True)
    response = alice_client.get("/sprawy/wiadomosci/")
    assert _tab(response)["badge"] == 2
    assert response.context["unread_case_messages"] == 2
    assert '<span class="badge text-bg-danger">2<span class="visually-hidden"> nieprzeczytane</span></span>' in (
        response.content.decode()
    )


def test_opening_the_case_clears_the_badge_on_that_very_page(alice_client, alice):
    case = factories.make_case(alice.customer)
    factories.make_staff_message(case)
    response = alice_client.get(f"/sprawy/{case.pk}/")
    assert not _tab(response)["badge"]
    assert response.context["unread_case_messages"] == 0


def test_another_customers_unread_messages_do_not_count(alice_client, bob):
    factories.make_staff_message(factories.make_case(bob.customer))
    assert not _tab(alice_client.get("/sprawy/"))["badge"]


def test_the_badge_and_the_start_page_number_share_one_query(alice_client, alice, rf):
    from django.template import engines

    from cases.selectors import unread_count
    from ebok import access

    factories.make_staff_message(factories.make_case(alice.customer))
    request = rf.get("/")
    request.user = alice
    request.customer = alice.customer  # as @customer_required sets it, having read the access rows
    access.grants(alice)
    with CaptureQueriesContext(connection) as queries:
        assert unread_count(request) == 1
        assert unread_count(request) == 1
        engines["django"].from_string("{{ unread_case_messages }}").render({}, request)
    assert len(queries) == 1
