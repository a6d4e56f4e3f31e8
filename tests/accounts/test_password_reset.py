import datetime as dt
import re

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountAttempt, AccountToken, User
from tests import factories
from tests.accounts.conftest import link_from, run_reset_worker
from tests.pages import login_redirect

URL = reverse("accounts:password_reset")
SENT = reverse("accounts:password_reset_sent")


def _page(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _request(client, number="100001", **extra):
    response = client.post(URL, {"customer_number": number}, **extra)
    run_reset_worker()
    return response


def test_an_active_account_gets_a_single_use_link(client, alice, send_queued_mail, settings):
    response = _request(client)
    assert response["Location"] == SENT
    (message,) = send_queued_mail()
    assert message.to == ["alice@example.pl"]
    assert "/nowe-haslo/" in message.body
    token = AccountToken.objects.get(user=alice)
    assert abs((token.expires_at - token.created_at) - dt.timedelta(minutes=60)) < dt.timedelta(seconds=5)


def test_an_unknown_number_gets_the_same_response_and_no_mail(client, alice, send_queued_mail):
    known = _request(client)
    unknown = _request(client, "999999")
    assert known["Location"] == unknown["Location"] == SENT
    assert len(send_queued_mail()) == 1


def test_a_pending_account_gets_a_new_set_password_link(client, alice, send_queued_mail):
    User.objects.filter(pk=alice.pk).update(status=User.Status.PENDING)
    _request(client)
    (message,) = send_queued_mail()
    assert "/ustaw-haslo/" in message.body


def test_resetting_sets_the_password_ends_other_sessions_and_sends_a_notice(client, alice, send_queued_mail):
    other = Client()
    other.force_login(alice)
    assert other.get(reverse("accounts:my_account")).status_code == 200
    _request(client)
    link = link_from(send_queued_mail()[0], "/nowe-haslo/")
    page = client.get(link)
    assert "Nowe hasło" in page.content.decode() and "Wymagania dot. hasła" in page.content.decode()
    response = client.post(link, {"new_password1": "NoweHaslo9", "new_password2": "NoweHaslo9"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("NoweHaslo9")
    ended = other.get(reverse("accounts:my_account"))
    assert ended.status_code == 302 and ended["Location"] == login_redirect(reverse("accounts:my_account"))
    assert SESSION_KEY not in other.session
    notice = send_queued_mail()[-1]
    assert notice.subject == "Hasło do eBOK zostało zmienione"
    assert notice.to == ["alice@example.pl"]


def test_the_reset_link_works_once(client, alice, send_queued_mail):
    _request(client)
    link = link_from(send_queued_mail()[0], "/nowe-haslo/")
    client.post(link, {"new_password1": "NoweHaslo9", "new_password2": "NoweHaslo9"})
    assert client.post(link, {"new_password1": "Inne2026x", "new_password2": "Inne2026x"}).status_code == 410
    alice.refresh_from_db()
    assert alice.check_password("NoweHaslo9")


def test_an_expired_reset_link_is_refused(client, alice, send_queued_mail):
    _request(client)
    link = link_from(send_queued_mail()[0], "/nowe-haslo/")
    AccountToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(link)
    assert response.status_code == 410 and "Wyślij nowy link" in response.content.decode()


def test_a_newer_link_retires_the_older_one(client, alice, send_queued_mail):
    _request(client)
    _request(client)
    first, second = (link_from(m, "/nowe-haslo/") for m in send_queued_mail())
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_a_set_password_link_is_not_a_reset_link(client, alice, send_queued_mail):
    _request(client)
    link = link_from(send_queued_mail()[0], "/nowe-haslo/")
    assert client.get(link.replace("/nowe-haslo/", "/ustaw-haslo/")).status_code == 410


def test_requests_are_throttled_per_number_with_a_429(client, alice, settings, send_queued_mail):
    settings.EBOK_RESET_LIMIT_PER_NUMBER_AND_IP = 2
    _request(client)
    _request(client)
    response = _request(client)
    assert response.status_code == 429
    assert "Zbyt wiele prób" in response.content.decode()
    assert 'value="100001"' in response.content.decode()
    assert len(send_queued_mail()) == 2
    assert AccountAttempt.objects.filter(kind="reset", outcome="throttled").count() == 1


def test_a_third_party_cannot_lock_the_customer_out_of_reset(client, alice, settings):
    settings.EBOK_RESET_LIMIT_PER_NUMBER_AND_IP = 2
    settings.EBOK_RESET_LIMIT_PER_NUMBER = 6
    for _ in range(2):
        _request(client, REMOTE_ADDR="10.6.6.6")
    assert _request(client, REMOTE_ADDR="10.6.6.6").status_code == 429
    assert _request(client, REMOTE_ADDR="10.1.1.1").status_code == 302  # alice at home


def test_requests_are_throttled_per_ip(client, alice, settings):
    settings.EBOK_RESET_LIMIT_PER_IP = 3
    for n in range(3):
        _request(client, f"77700{n}")
    assert _request(client).status_code == 429
    assert _request(client, REMOTE_ADDR="10.2.2.2").status_code == 302


def test_throttling_treats_known_and_unknown_numbers_alike(client, alice, settings):
    settings.EBOK_RESET_LIMIT_PER_NUMBER_AND_IP = 1
    _request(client)
    _request(client, "999999")
    assert _page(_request(client)).replace("100001", "X") == _page(_request(client, "999999")).replace("999999", "X")


def test_a_bad_login_is_an_error_and_keeps_what_was_typed(client, db):
    response = _request(client, "abc")
    page = response.content.decode()
    assert "Podaj numer odbiorcy (same cyfry) lub adres e-mail, którym się logujesz." in page
    assert 'value="abc"' in page
    assert "To nie wygląda na adres e-mail" in _request(client, "jan@").content.decode()
    assert "Podaj numer odbiorcy lub adres e-mail, którym się logujesz." in _request(client, "").content.decode()


def test_a_representative_resets_by_the_e_mail_address_it_logs_in_with(client, alice, send_queued_mail):
    """A representative's login has no customer number of its own: its address is its login."""
    address = "zarzadca.nieruchomosci.wspolnoty.mieszkaniowe@example.pl"  # longer than 40 characters
    manager = factories.make_login(address, email=address)
    factories.grant(manager, alice.customer, "proxy")
    response = _request(client, address.upper())
    assert response["Location"] == SENT
    (message,) = send_queued_mail()
    assert message.to == [address]
    assert AccountToken.objects.filter(user=manager, purpose=AccountToken.Purpose.RESET_PASSWORD).exists()


def test_an_address_shared_by_two_logins_or_unknown_sends_nothing_and_answers_the_same(client, db, send_queued_mail):
    for number in ("100001", "100002"):
        factories.make_user(factories.make_customer(number), email="rodzina@example.pl")
    shared = _request(client, "rodzina@example.pl")
    unknown = _request(client, "nikt@example.pl")
    assert shared["Location"] == unknown["Location"] == SENT
    assert send_queued_mail() == []


def test_a_staff_address_gets_no_customer_reset_link(client, staff, send_queued_mail):
    assert _request(client, staff.email)["Location"] == SENT
    assert send_queued_mail() == []


def test_bad_new_passwords_are_refused(client, alice, send_queued_mail):
    _request(client)
    link = link_from(send_queued_mail()[0], "/nowe-haslo/")
    response = client.post(link, {"new_password1": "abc", "new_password2": "abc"})
    assert response.status_code == 200
    assert "Minimalna długość hasła" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(factories.PASSWORD)


# --- the same work on every path (timing must not tell whether a number has an account) ---------


def _view_queries(client, number: str) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, {"customer_number": number})
    assert response.status_code == 302
    # The statements, without the values (numbers, times, ids differ from one request to the next).
    return [q["sql"].split(" WHERE ")[0].split(" VALUES ")[0] for q in queries.captured_queries]


def test_the_request_does_the_same_queries_for_an_account_an_unfinished_one_and_none(client, alice, carol):
    from accounts.models import User

    User.objects.create(username=carol.number, customer=carol, email="c@example.pl", status=User.Status.PENDING)
    known = _view_queries(client, alice.username)
    pending = _view_queries(client, carol.number)
    unknown = _view_queries(client, "999999")
    assert known == pending == unknown
    assert not any('"accounts_user"' in sql for sql in known), "the request itself never looks the number up"


def test_nothing_is_sent_until_the_worker_runs(client, alice, send_queued_mail):
    client.post(URL, {"customer_number": alice.username})
    assert send_queued_mail() == []
    assert AccountAttempt.objects.get().outcome == AccountAttempt.Outcome.REQUESTED
    run_reset_worker()
    assert [m.to for m in send_queued_mail()] == [["alice@example.pl"]]
    assert AccountAttempt.objects.get().outcome == AccountAttempt.Outcome.OK
    run_reset_worker()  # a task that runs again sends nothing more
    assert len(send_queued_mail()) == 1
