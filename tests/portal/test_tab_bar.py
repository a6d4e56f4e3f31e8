"""The customer tab bar: Pulpit comes first, and the current tab is marked on the pages under it too."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests import factories

CURRENT = re.compile(r'<a [^>]*aria-current="(\w+)"[^>]*>\s*([^<]+?)\s*<')


def _marked(response) -> list[tuple[str, str]]:
    """(aria-current, link text) of every marked link in the header: the tabs and "Moje konto"."""
    html = response.content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    return CURRENT.findall(header)


def test_pulpit_is_the_first_tab_and_marked_as_the_page(alice_client):
    response = alice_client.get("/pulpit/")
    assert [tab["label"] for tab in response.context["customer_tabs"]][:2] == ["Pulpit", "Umowa"]
    assert _marked(response) == [("page", "Pulpit")]


@pytest.mark.parametrize(
    "path, tab",
    [
        ("/umowa/", "Umowa"),
        ("/punkty-odbioru/", "Punkt odbioru"),
        ("/platnosci/", "Płatności"),
        ("/liczniki/", "Liczniki"),
        ("/sprawy/", "Lista spraw"),
        ("/dokumenty/", "Dokumenty"),
        ("/moje-konto/", "Moje konto"),
    ],
)
def test_each_tab_is_marked_on_its_own_page(alice_client, path, tab):
    assert _marked(alice_client.get(path)) == [("page", tab)]


def test_the_tab_stays_marked_on_the_pages_under_it(alice_client, alice):
    history = factories.make_history(alice.customer, 2, start=dt.date(2026, 9, 1))
    case = factories.make_case(alice.customer)
    missing = factories.make_document(alice.customer, "FV/2026/11/BRAK", pdf="pdf/brak.pdf")
    under = {
        f"/punkty-odbioru/{history['point'].code}/": "Punkt odbioru",
        f"/liczniki/{history['meter'].serial}/podaj-odczyt/": "Liczniki",
        f"/sprawy/{case.pk}/": "Lista spraw",
        "/sprawy/nowa/": "Lista spraw",
        "/sprawy/szukaj/": "Lista spraw",
        f"/dokumenty/faktura/{missing.number}/pdf/": "Dokumenty",
        "/dokumenty/zip/?zip-rok=": "Dokumenty",
        "/moje-konto/haslo/": "Moje konto",
        "/moje-konto/e-mail/": "Moje konto",
        "/moje-konto/weryfikacja-dwuetapowa/wlacz/": "Moje konto",
    }
    for path, tab in under.items():
        assert _marked(alice_client.get(path)) == [("true", tab)], path
