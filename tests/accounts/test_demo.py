from io import StringIO

from accounts.demo import registration_hint
from tests import factories


def test_the_hint_names_a_customer_without_an_account_and_its_latest_invoice(alice, carol):
    factories.make_document(alice.customer, "FV/ALICE/1")
    out = StringIO()
    registration_hint(stdout=out)
    assert "customer number 100003, last invoice KOR/2026/10/000300" in out.getvalue()


def test_the_hint_changes_nothing_and_is_silent_without_candidates(alice):
    out = StringIO()
    registration_hint(stdout=out)
    assert out.getvalue() == ""


def test_the_hint_links_to_the_site_the_portal_runs_on(carol, settings):
    settings.EBOK_SITE_URL = "http://127.0.0.1:8041"  # make run PORT=8041
    out = StringIO()
    registration_hint(stdout=out)
    assert "Demo registration: http://127.0.0.1:8041/rejestracja/ " in out.getvalue()
