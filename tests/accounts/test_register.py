import datetime as dt
from decimal import Decimal
from urllib.error import URLError
from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from accounts.models import AccountAttempt, AccountToken, ConsentEvent, User
from accounts.services import parse_amount
from tests import factories
from tests.accounts.conftest import registration

URL = reverse("accounts:register")
SENT = reverse("accounts:register_sent")


def _post(client, **overrides):
    return client.post(URL, registration(**overrides))


def test_the_form_shows_the_seed_labels(client, db):
    response = client.get(URL)
    page = response.content.decode()
    for label in (
        "Rejestracja użytkownika",
        "Numer odbiorcy",
        "Numer ostatniej faktury",
        "Kwota ostatniego rozliczenia",
        "Akceptuję regulamin portalu i zgadzam się z jego postanowieniami",
        "Zgadzam się na przetwarzanie danych",
        "Zgadzam się na otrzymywanie e-faktur",
        "Zarejestruj się",
        "Zaloguj się",
        reverse("accounts:terms"),
        reverse("accounts:privacy"),
    ):
        assert label in page
    assert 'autocomplete="email"' in page
    assert 'inputmode="numeric"' in page


def test_it_creates_a_pending_account_and_mails_a_set_password_link(client, carol, send_queued_mail):
    response = _post(client)
    assert response.status_code == 302 and response["Location"] == SENT
    user = User.objects.get(customer=carol)
    assert user.username == "100003"
    assert user.status == User.Status.PENDING
    assert not user.has_usable_password()
    outbox = send_queued_mail()
    assert len(outbox) == 1
    assert outbox[0].to == ["carol@example.pl"]
    assert "Ustaw hasło" in outbox[0].subject
    assert "/ustaw-haslo/" in outbox[0].body
    token = AccountToken.objects.get(user=user)
    assert token.purpose == AccountToken.Purpose.SET_PASSWORD
    assert AccountAttempt.objects.get().outcome == AccountAttempt.Outcome.OK


def test_it_records_the_consents_with_the_terms_version(client, carol, settings):
    settings.EBOK_TERMS_VERSION = "2026-11"
    _post(client, e_invoices=None)
    events = {e.kind: e for e in ConsentEvent.objects.filter(customer=carol)}
    assert events["regulamin"].given and events["regulamin"].document_version == "2026-11"
    assert events["dane"].given
    assert events["e-faktury"].given is False
    assert {e.source for e in events.values()} == {"rejestracja"}


def test_it_accepts_the_second_latest_invoice_ignoring_case_and_spaces(client, carol):
    _post(client, invoice_number="  fv/2026/09/000200 ")
    assert User.objects.filter(customer=carol).exists()


def test_it_rejects_an_older_invoice(client, carol, send_queued_mail):
    response = _post(client, invoice_number="FV/2026/08/000100")
    assert response["Location"] == SENT
    assert not User.objects.exists()
    assert send_queued_mail() == []
    assert AccountAttempt.objects.get().outcome == AccountAttempt.Outcome.FAILED


def test_it_ignores_settlements_and_notes_when_checking_invoices(client, carol):
    # Both newer than the two latest invoices: counted as invoices, either would push FV/2026/09 out.
    factories.make_document(carol, "NO/2026/11/1", kind="nota", issue_date=dt.date(2026, 11, 10))
    factories.make_document(carol, "RO/2026/11/1", kind="rozliczenie", vat="0.00", issue_date=dt.date(2026, 11, 12))
    _post(client, invoice_number="FV/2026/09/000200")
    assert User.objects.filter(customer=carol).exists()


@pytest.mark.parametrize("amount", ["1234,56", "1 234,56", "1234.56", "1234,56 zł", "1\u00a0234,56 zł"])
def test_a_tenant_registers_with_the_latest_settlement_amount(client, dorota, amount):
    _post(client, customer_number="100004", invoice_number="", settlement_amount=amount)
    assert User.objects.filter(customer=dorota).exists()


@pytest.mark.parametrize("amount", ["1234,55", "980,00", "1234,57"])
def test_a_tenant_with_a_wrong_or_older_amount_is_not_registered(client, dorota, amount):
    _post(client, customer_number="100004", invoice_number="", settlement_amount=amount)
    assert not User.objects.exists()


def test_a_customer_who_is_not_a_tenant_cannot_use_an_amount(client, carol):
    factories.make_document(
        carol, "RO/X/1", kind="rozliczenie", gross="50.00", vat="0.00", issue_date=dt.date(2026, 11, 1)
    )
    _post(client, invoice_number="", settlement_amount="50,00")
    assert not User.objects.exists()


def _page_without_csrf(response) -> str:
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _what_the_visitor_sees(response, client) -> tuple:
    """Everything a response tells its visitor, and the page its redirect leads to (with the same cookies)."""
    # Every header, and its value too where it does not differ per request (a fresh nonce, id and moment).
    per_request = {"Content-Security-Policy", "X-Request-ID", "Expires"}
    headers = {k: None if k in per_request else v for k, v in response.headers.items()}
    # The names and attributes of any cookie set; a session's or CSRF token's value is random for everyone.
    cookies = {name: {k: v for k, v in morsel.items() if k != "expires"} for name, morsel in response.cookies.items()}
    followed = client.get(response["Location"])
    return (
        response.status_code,
        headers,
        response.content,
        cookies,
        followed.status_code,
        _page_without_csrf(followed),
    )


def test_unknown_customer_wrong_invoice_registered_and_new_customer_get_the_same_response(
    carol, alice, send_queued_mail
):
    from django.test import Client

    factories.make_document(alice.customer, "FV/A/1")
    outcomes = {}
    for name, overrides in {
        "unknown customer": {"customer_number": "999999"},
        "wrong invoice": {"invoice_number": "FV/NIE/MA"},
        "already registered": {"customer_number": alice.username, "invoice_number": "FV/A/1"},
        "registered now": {},
    }.items():
        client = Client()  # a visitor of their own: nothing carried over from another outcome
        response = _post(client, **overrides)
        assert response.status_code == 302 and response["Location"] == SENT, name
        outcomes[name] = _what_the_visitor_sees(response, client)
    assert User.objects.filter(customer=carol).exists()  # the last one really registered
    first = outcomes["unknown customer"]
    for name, seen in outcomes.items():
        assert seen == first, name


def test_a_registered_customer_gets_a_note_and_no_second_account(client, alice, send_queued_mail):
    factories.make_document(alice.customer, "FV/A/1")
    _post(client, customer_number=alice.username, invoice_number="FV/A/1", email="intruder@example.pl")
    assert User.objects.filter(customer=alice.customer).count() == 1
    alice.refresh_from_db()
    assert alice.email == "alice@example.pl" and alice.check_password(factories.PASSWORD)
    outbox = send_queued_mail()
    assert [m.to for m in outbox] == [["alice@example.pl"]]
    assert "próbował zarejestrować" in outbox[0].body
    assert "/nie-pamietam-hasla/" in outbox[0].body


def test_registering_again_while_pending_sends_a_new_link_and_retires_the_old(client, carol, send_queued_mail):
    _post(client)
    _post(client)
    user = User.objects.get(customer=carol)
    assert AccountToken.objects.usable().filter(user=user).count() == 1
    assert [m.to for m in send_queued_mail()] == [["carol@example.pl"], ["carol@example.pl"]]


def test_moving_a_pending_registration_to_another_address_tells_the_address_it_leaves(client, carol, send_queued_mail):
    _post(client)
    send_queued_mail().clear()
    _post(client, email="carol2@example.pl")
    user = User.objects.get(customer=carol)
    assert user.email == "carol2@example.pl"
    assert AccountToken.objects.usable().filter(user=user).count() == 1
    outbox = send_queued_mail()
    (left,) = [m for m in outbox if m.to == ["carol@example.pl"] and "ponownie zarejestrował" in m.body]
    assert "100003" in left.body
    assert any(m.to == ["carol2@example.pl"] and "/ustaw-haslo/" in m.body for m in outbox)


def test_a_pending_registration_moves_at_most_once_a_day(client, carol, send_queued_mail):
    _post(client)
    _post(client, email="carol2@example.pl")
    send_queued_mail().clear()
    _post(client, email="intruz@example.com")  # the day's notice went out already: no silent move
    user = User.objects.get(customer=carol)
    assert user.email == "carol2@example.pl"
    assert send_queued_mail() == []
    assert client.post(URL, registration(email="intruz@example.com"))["Location"] == SENT  # the same answer


def test_an_account_holder_hears_of_repeated_registrations_once_a_day(client, alice, bob, send_queued_mail):
    from datetime import timedelta

    from django.utils import timezone

    factories.make_document(alice.customer, "FV/A/1")
    factories.make_document(bob.customer, "FV/B/1")
    for _ in range(5):
        _post(client, customer_number=alice.username, invoice_number="FV/A/1", email="intruder@example.pl")
    _post(client, customer_number=bob.username, invoice_number="FV/B/1", email="intruder@example.pl")
    outbox = send_queued_mail()
    assert sorted(m.to[0] for m in outbox if "próbował zarejestrować" in m.body) == [
        "alice@example.pl",
        "bob@example.pl",
    ]
    outbox.clear()
    AccountAttempt.objects.update(at=timezone.now() - timedelta(days=1, minutes=1))
    _post(client, customer_number=alice.username, invoice_number="FV/A/1", email="intruder@example.pl")
    assert [m.to for m in send_queued_mail()] == [["alice@example.pl"]]


def test_the_database_allows_one_account_per_customer(carol):
    from django.db import IntegrityError, transaction

    User.objects.create(username="100003", customer=carol)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="100003-b", customer=carol)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"customer_number": ""}, "customer_number", "Podaj numer odbiorcy: przepisz go z faktury"),
        ({"customer_number": "10A003"}, "customer_number", "Numer odbiorcy składa się z samych cyfr."),
        ({"customer_number": "1" * 13}, "customer_number", "Numer odbiorcy ma najwyżej 12 cyfr"),
        ({"invoice_number": ""}, "invoice_number", "Podaj numer ostatniej faktury albo"),
        ({"invoice_number": "X" * 61}, "invoice_number", "Numer faktury ma najwyżej 60 znaków"),
        ({"invoice_number": "", "settlement_amount": "dużo"}, "settlement_amount", "Podaj kwotę w złotych"),
        ({"invoice_number": "", "settlement_amount": "12,345"}, "settlement_amount", "Podaj kwotę w złotych"),
        ({"invoice_number": "", "settlement_amount": "-5"}, "settlement_amount", "Podaj kwotę w złotych"),
        ({"email": ""}, "email", "Podaj adres e-mail: wyślemy na niego link"),
        ({"email": "carol@"}, "email", "Wpisz adres e-mail w postaci nazwa@domena.pl"),
        ({"accept_terms": None}, "accept_terms", "Zaakceptuj regulamin portalu"),
        ({"accept_data": None}, "accept_data", "Zgoda na przetwarzanie danych jest potrzebna"),
    ],
)
def test_every_bad_input_gets_a_clear_error_and_keeps_the_typed_values(client, carol, overrides, field, message):
    response = _post(client, **overrides)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'href="#id_{field}"' in page  # the error summary links to the field
    assert "data-error-summary" in page
    # Once in the summary, once beside the field, and never Django's generic wording.
    assert page.count(message) == 2
    for generic in ("To pole jest wymagane", "Wprowadź poprawny adres", "Upewnij się, że ta wartość"):
        assert generic not in page
    assert "<title>Błąd: Rejestracja użytkownika" in page
    if overrides.get("email", "x") and field != "email":
        assert 'value="carol@example.pl"' in page
    assert not User.objects.exists()
    assert not AccountAttempt.objects.exists()


def test_an_invoice_and_an_amount_together_are_refused_once_linked_to_the_field(client, carol):
    page = _post(client, settlement_amount="10,00").content.decode()
    assert page.count("Podaj numer faktury albo kwotę rozliczenia, nie oba.") == 2  # summary and field
    assert 'href="#id_invoice_number"' in page
    assert not User.objects.exists()


def test_the_invoice_number_and_the_amount_sit_under_one_question(client, db):
    page = client.get(URL).content.decode()
    fieldset = page[page.index("<fieldset") : page.index("</fieldset>")]
    assert "Numer ostatniej faktury albo kwota ostatniego rozliczenia" in fieldset
    assert "Wypełnij jedno z dwóch pól" in fieldset and "spółdzielni" in fieldset
    assert 'name="invoice_number"' in fieldset and 'name="settlement_amount"' in fieldset
    assert 'name="email"' not in fieldset


def test_required_fields_are_marked_one_way_and_the_mark_is_explained(client, db):
    page = client.get(URL).content.decode()
    assert "Pola oznaczone gwiazdką (*) trzeba wypełnić" in page
    assert "<title>Rejestracja użytkownika" in page  # no "Błąd:" before a submit


def test_check_your_inbox_repeats_the_address_and_says_how_long_the_link_works(client, carol, settings):
    settings.EBOK_SET_PASSWORD_LINK_HOURS = 48
    page = client.get(_post(client)["Location"]).content.decode()
    assert "<strong>carol@example.pl</strong>" in page
    assert "Link jest ważny przez 48 godz." in page


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1234,56", Decimal("1234.56")),
        ("1 234,56", Decimal("1234.56")),
        ("1234.56", Decimal("1234.56")),
        ("1234,56 zł", Decimal("1234.56")),
        ("1 234 567,5", Decimal("1234567.50")),
        ("12", Decimal("12.00")),
        ("12,345", None),
        ("1 23,00", None),
        ("1,234.56", None),
        ("abc", None),
        ("", None),
    ],
)
def test_amounts_are_read_in_polish_formats(text, amount):
    assert parse_amount(text) == amount


# --- throttling ---------------------------------------------------------------------------


def test_too_many_failed_checks_for_one_number_get_429(client, carol, settings):
    settings.EBOK_REGISTRATION_LIMIT_PER_NUMBER_AND_IP = 3
    for _ in range(3):
        assert _post(client, invoice_number="FV/ZLA").status_code == 302
    response = _post(client)  # even the right invoice is refused now
    assert response.status_code == 429
    page = response.content.decode()
    assert "Zbyt wiele prób" in page
    assert 'value="carol@example.pl"' in page
    assert not User.objects.exists()
    assert AccountAttempt.objects.filter(outcome="throttled").count() == 1


def test_a_third_party_cannot_lock_the_customer_out_of_registration(client, carol, settings):
    settings.EBOK_REGISTRATION_LIMIT_PER_NUMBER_AND_IP = 3
    settings.EBOK_REGISTRATION_LIMIT_PER_NUMBER = 8
    for n in range(6):  # two attacking addresses, up to their own limit on carol's number
        client.post(URL, registration(invoice_number="FV/ZLA"), REMOTE_ADDR=f"10.6.6.{n % 2}")
    assert client.post(URL, registration(), REMOTE_ADDR="10.6.6.0").status_code == 429
    # Carol from her own address still gets through.
    assert client.post(URL, registration(), REMOTE_ADDR="10.1.1.1").status_code == 302
    assert User.objects.filter(customer=carol).exists()


def test_many_addresses_together_hit_the_loose_per_number_limit(client, carol, settings):
    settings.EBOK_REGISTRATION_LIMIT_PER_NUMBER = 4
    for n in range(4):
        client.post(URL, registration(invoice_number="FV/ZLA"), REMOTE_ADDR=f"10.7.7.{n}")
    assert client.post(URL, registration(), REMOTE_ADDR="10.7.7.200").status_code == 429


def test_too_many_failed_checks_from_one_ip_get_429(client, carol, settings):
    settings.EBOK_REGISTRATION_LIMIT_PER_IP = 4
    for n in range(4):
        _post(client, customer_number=f"55500{n}")
    assert _post(client).status_code == 429
    other_ip = client.post(URL, registration(), REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 302
    assert User.objects.filter(customer=carol).exists()


def test_failed_checks_older_than_the_window_do_not_count(client, carol, settings):
    import datetime as dt

    from django.utils import timezone

    settings.EBOK_REGISTRATION_LIMIT_PER_NUMBER_AND_IP = 2
    for _ in range(2):
        _post(client, invoice_number="FV/ZLA")
    AccountAttempt.objects.update(at=timezone.now() - dt.timedelta(minutes=61))
    assert _post(client).status_code == 302


def test_successful_checks_do_not_count_towards_the_limit(client, carol, settings):
    settings.EBOK_REGISTRATION_LIMIT_PER_NUMBER_AND_IP = 1
    _post(client)
    assert _post(client).status_code == 302


# --- reCAPTCHA ----------------------------------------------------------------------------


def test_without_the_setting_the_captcha_is_not_on_the_form(client, db, settings):
    settings.RECAPTCHA_DISABLED = True
    assert "g-recaptcha" not in client.get(URL).content.decode()


def test_the_captcha_widget_has_no_inline_script(client, db, captcha_on):
    page = client.get(URL).content.decode()
    assert 'class="g-recaptcha"' in page
    assert 'data-sitekey="test-public-key"' in page
    assert "<script>" not in page
    assert "https://www.google.com/recaptcha/api.js" in page


def test_a_solved_captcha_lets_the_registration_through(client, carol, captcha_on, google):
    form = registration(**{"g-recaptcha-response": "token-from-the-widget"})
    response = client.post(URL, form, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    (sent,) = google["calls"]  # what goes to Google's siteverify: our secret key, the visitor's token and address
    assert parse_qs(sent.decode()) == {
        "secret": ["test-private-key"],
        "response": ["token-from-the-widget"],
        "remoteip": ["203.0.113.7"],
    }
    assert User.objects.filter(customer=carol).exists()


def test_a_missing_captcha_is_an_error(client, carol, captcha_on, google):
    response = _post(client)
    assert "Zaznacz „Nie jestem robotem”." in response.content.decode()
    assert not User.objects.exists()
    assert google["calls"] == []


def test_a_failed_captcha_is_an_error(client, carol, captcha_on, google):
    google["answer"] = False
    response = client.post(URL, registration(**{"g-recaptcha-response": "token"}))
    assert "Weryfikacja nie powiodła się, spróbuj ponownie" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize("outage", [URLError("no route to host"), TimeoutError("timed out"), ConnectionResetError()])
def test_google_unreachable_shows_a_retry_message_and_keeps_the_input(client, carol, captcha_on, google, outage):
    google["answer"] = outage
    response = client.post(URL, registration(**{"g-recaptcha-response": "token"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Weryfikacja nie powiodła się, spróbuj ponownie" in page
    assert 'value="carol@example.pl"' in page and 'value="100003"' in page
    assert not User.objects.exists()


def test_the_check_needs_the_same_number_of_queries_however_many_documents(client, carol):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        _post(client)
    big = factories.make_customer("100009", email="big@example.pl")  # billing's own address: no notice
    for n in range(30):
        factories.make_document(big, f"FV/BIG/{n:03d}", issue_date=dt.date(2026, 1, 1) + dt.timedelta(days=n))
    with CaptureQueriesContext(connection) as many:
        _post(client, customer_number="100009", invoice_number="FV/BIG/029", email="big@example.pl")
    # 23 for the check, the account (and its właściciel access row), its consents, link and mail;
    # 4 for the session that keeps the address for "Sprawdź skrzynkę" (exists?, savepoint, insert, release).
    assert len(many) == len(few) <= 27


def test_the_account_takes_the_language_of_the_page(client, carol):
    client.cookies["django_language"] = "en"  # chosen with the footer's switch
    client.post(URL, registration())
    assert User.objects.get(username="100003").language == "en"


def test_the_account_language_is_polish_by_default(client, carol):
    client.post(URL, registration())
    assert User.objects.get(username="100003").language == "pl"


# --- the stronger proof: invoice number and its gross amount (EBOK_REGISTRATION_PROOF) ----------


@pytest.fixture
def strong_proof(settings):
    settings.EBOK_REGISTRATION_PROOF = "invoice+amount"


def test_the_strong_proof_asks_for_the_number_and_the_amount(client, carol, strong_proof):
    page = client.get(URL).content.decode()
    assert "Kwota brutto tej faktury lub rozliczenia" in page
    response = _post(client)  # the number alone
    assert response.status_code == 200
    assert "To pole jest wymagane" in response.content.decode()
    assert not User.objects.exists()


def test_the_strong_proof_refuses_a_right_number_with_a_wrong_amount_like_any_failure(
    client, carol, alice, strong_proof
):
    response = _post(client, settlement_amount="123,01")
    assert response.status_code == 302 and response["Location"] == SENT
    assert not User.objects.filter(customer=carol).exists()
    assert AccountAttempt.objects.get().outcome == AccountAttempt.Outcome.FAILED


def test_the_strong_proof_opens_the_account_with_the_number_and_its_gross(client, carol, strong_proof):
    _post(client, settlement_amount="123,00 zł")
    assert User.objects.filter(customer=carol).exists()


def test_the_strong_proof_for_a_tenant_is_the_settlement_and_its_amount(client, dorota, strong_proof):
    _post(client, customer_number="100004", invoice_number="RO/2026/001", settlement_amount="1 234,56")
    assert User.objects.filter(customer=dorota).exists()


def test_the_strong_proof_takes_no_amount_of_an_older_document(client, dorota, strong_proof):
    _post(client, customer_number="100004", invoice_number="RO/2025/001", settlement_amount="980,00")
    assert not User.objects.exists()


def test_an_unknown_proof_setting_stops_start_up():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "EBOK_REGISTRATION_PROOF": "amount"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "EBOK_REGISTRATION_PROOF" in result.stderr


def test_the_audit_of_a_failed_check_keeps_the_client_address(client, carol):
    from ebok.models import AuditEvent

    client.post(URL, registration(invoice_number="FV/NIE/MA"), REMOTE_ADDR="198.51.100.7")
    event = AuditEvent.objects.get(event="registration_failed")
    assert (event.actor, event.ip, event.customer_number) == ("", "198.51.100.7", carol.number)
