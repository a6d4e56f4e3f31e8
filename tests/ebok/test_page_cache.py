"""The page cache (ebok.pagecache): what is served from it, to whom, and what it costs.

What bumps the data versions is tested beside each app (tests/<app>/test_page_cache.py).
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import SEEN_KEY
from ebok import pagecache
from tests import factories
from tests.pagecache import customer_version, page, warm

pytestmark = pytest.mark.usefixtures("today")


def _pages(customer) -> list[str]:
    """Every cached customer page, for a customer with one of everything."""
    contract = factories.make_contract(customer)
    point = factories.make_point(contract)
    factories.make_meter(point)
    factories.make_document(customer)
    case = factories.make_case(customer)
    return [
        reverse("start"),
        reverse("billing:contracts"),
        reverse("billing:points"),
        reverse("billing:point", args=[point.code]),
        reverse("billing:payments"),
        reverse("billing:documents"),
        reverse("meters:list"),
        reverse("cases:list"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:messages"),
    ]


CSRF_MARKER = 'name="csrfmiddlewaretoken" value="'


def _csrf_tokens(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split(CSRF_MARKER)[1:]]


def _without_csrf_tokens(html: str) -> str:
    """Each render masks the CSRF secret afresh; the rest of two renders of one page is the same."""
    parts = html.split(CSRF_MARKER)
    return CSRF_MARKER.join([parts[0], *(part.split('"', 1)[1] for part in parts[1:])])


def test_every_customer_page_is_served_again_from_the_cache_unchanged(alice_client, alice):
    for url in _pages(alice.customer):
        rendered = alice_client.get(url)
        cached = warm(alice_client, url)
        assert _without_csrf_tokens(cached.content.decode()) == _without_csrf_tokens(rendered.content.decode()), url
        assert cached["Content-Type"] == rendered["Content-Type"]
        assert page(alice_client, url)[1] == "hit"


def test_a_cached_view_costs_the_session_the_user_and_one_cache_read(alice_client, alice, django_assert_num_queries):
    url = reverse("billing:payments")
    factories.make_history(alice.customer, 6)
    warm(alice_client, url)
    # The session, the user with their customer, then the page and both versions in one read.
    with django_assert_num_queries(3):
        assert alice_client.get(url).page_cache == "hit"


def test_a_cached_view_still_has_the_headers_of_a_rendered_one(alice_client, alice):
    url = reverse("cases:detail", args=[factories.make_case(alice.customer).pk])
    rendered = alice_client.get(url)
    cached = warm(alice_client, url)
    for header in ("Cache-Control", "Content-Security-Policy", "X-Frame-Options", "Content-Language"):
        assert cached[header] == rendered[header], header


def test_another_customer_never_gets_the_page_of_the_first(alice_client, alice, bob):
    factories.make_document(alice.customer, "FV/ALICJA", gross="111.00")
    factories.make_document(bob.customer, "FV/BOBEX", gross="222.00")
    url = reverse("billing:payments")
    warm(alice_client, url)
    bob_client = Client()
    bob_client.force_login(bob)
    # Even with alice's CSRF cookie: the key is the session's (and the customer's).
    bob_client.cookies[settings.CSRF_COOKIE_NAME] = alice_client.cookies[settings.CSRF_COOKIE_NAME].value
    for _ in range(3):
        html, _state = page(bob_client, url)
        assert "FV/BOBEX" in html and "FV/ALICJA" not in html


def test_a_second_session_of_the_same_customer_gets_its_own_csrf_tokens(alice_client, alice):
    url = reverse("start")
    warm(alice_client, url)
    other = Client()
    other.force_login(alice)
    first, state = page(other, url)
    assert state == "miss"
    warm(other, url)
    html, state = page(other, url)
    assert state == "hit"
    secret = other.cookies[settings.CSRF_COOKIE_NAME].value
    tokens = _csrf_tokens(html)
    assert tokens and all(_unmask_cipher_token(token) == secret for token in tokens)
    first_secret = alice_client.cookies[settings.CSRF_COOKIE_NAME].value
    assert secret != first_secret
    assert all(_unmask_cipher_token(t) == first_secret for t in _csrf_tokens(page(alice_client, url)[0]))


def test_a_new_csrf_cookie_is_a_new_page(alice_client, alice):
    url = reverse("start")
    warm(alice_client, url)
    alice_client.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32  # a browser that lost its cookie and got one
    html, state = page(alice_client, url)
    assert state == "miss"
    assert all(_unmask_cipher_token(token) == "x" * 32 for token in _csrf_tokens(html))


def test_english_and_polish_pages_do_not_mix(alice_client, alice):
    url = reverse("billing:payments")
    polish = warm(alice_client, url).content.decode()
    assert "Płatności" in polish
    alice_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english, state = page(alice_client, url)
    assert state == "miss" and "Payments" in english and "Płatności" not in english
    assert warm(alice_client, url).content.decode() == english
    alice_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"
    assert page(alice_client, url) == (polish, "hit")


def test_each_query_string_is_its_own_page(alice_client, alice):
    factories.make_document(alice.customer, "FV/2025", issue_date=dt.date(2025, 3, 1))
    factories.make_document(alice.customer, "FV/2026", issue_date=dt.date(2026, 3, 1))
    warm(alice_client, reverse("billing:payments"))
    html, state = page(alice_client, reverse("billing:payments") + "?rok=2025")
    assert state == "miss" and "FV/2025" in html and "FV/2026" not in html


def test_tomorrow_a_page_is_rendered_again(alice_client, alice, monkeypatch, today):
    factories.make_document(alice.customer, "FV/DUE", issue_date=today - dt.timedelta(days=14))  # due today
    url = reverse("start")
    overdue = '<span class="status-overdue">FV/DUE</span>'
    assert overdue not in warm(alice_client, url).content.decode()  # due today: not overdue yet
    monkeypatch.setattr(timezone, "localdate", lambda value=None, timezone=None: today + dt.timedelta(days=1))
    html, state = page(alice_client, url)
    assert state == "miss" and overdue in html


def test_pending_messages_are_shown_and_the_page_with_them_is_not_kept(alice_client, alice):
    case = factories.make_case(alice.customer, status="zakonczona")
    url = reverse("cases:detail", args=[case.pk])
    warm(alice_client, url)
    alice_client.post(url, {"body": "Jeszcze jedno"})  # refused: a message, no change
    html, state = page(alice_client, url)
    assert state == "miss" and "nie przyjmuje odpowiedzi" in html
    html, state = page(alice_client, url)
    assert state == "hit" and "nie przyjmuje odpowiedzi" not in html


def test_a_response_that_sets_a_cookie_is_not_stored(alice_client, alice):
    url = reverse("start")
    alice_client.get(url)  # sets the CSRF cookie
    session = alice_client.session
    session[SEEN_KEY] = 0  # the idle expiry is due for renewal: the session cookie is sent again
    session.save()
    response = alice_client.get(url)
    assert response.page_cache == "miss" and settings.SESSION_COOKIE_NAME in response.cookies
    assert page(alice_client, url)[1] == "miss"  # the one before was not stored
    assert page(alice_client, url)[1] == "hit"


def test_only_a_complete_page_without_cookies_messages_or_a_nonce_is_kept(rf):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.http import HttpResponse, StreamingHttpResponse

    request = rf.get("/pulpit/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    assert pagecache.storable(request, HttpResponse("<p>strona</p>"))
    assert not pagecache.storable(request, HttpResponse("brak", status=404))
    assert not pagecache.storable(request, StreamingHttpResponse(iter([b"a"])))
    assert not pagecache.storable(request, HttpResponse('<script nonce="abc"></script>'))
    with_cookie = HttpResponse("<p>strona</p>")
    with_cookie.set_cookie("x", "1")
    assert not pagecache.storable(request, with_cookie)
    request._messages.add(20, "Zapisano.")
    assert not pagecache.storable(request, HttpResponse("<p>strona</p>"))


def test_the_first_view_without_a_csrf_cookie_leaves_the_cache_alone(alice_client, alice, django_assert_num_queries):
    url = reverse("cases:list")
    with django_assert_num_queries(4):  # session, user, the badge, the cases: no cache read or write
        response = alice_client.get(url)
    assert settings.CSRF_COOKIE_NAME in response.cookies


def test_a_logged_out_session_never_gets_its_cached_page(alice_client, alice):
    url = reverse("start")
    warm(alice_client, url)
    session_key = alice_client.session.session_key
    alice_client.post(reverse("accounts:logout"))
    alice_client.cookies[settings.SESSION_COOKIE_NAME] = session_key  # a copy of the old cookie
    response = alice_client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_the_absolute_session_limit_ends_a_session_with_cached_pages(alice_client, alice):
    url = reverse("start")
    warm(alice_client, url)
    session = alice_client.session
    session["ebok_login_at"] = int(timezone.now().timestamp()) - settings.EBOK_SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    assert alice_client.get(url).status_code == 302


def test_a_password_changed_elsewhere_ends_this_session_despite_its_cached_pages(alice_client, alice):
    url = reverse("start")
    warm(alice_client, url)
    alice.set_password("Inne-Haslo-123")
    alice.save()
    assert alice_client.get(url).status_code == 302


def test_it_can_be_turned_off(alice_client, alice, settings):
    settings.EBOK_PAGE_CACHE = False
    url = reverse("start")
    for _ in range(4):
        assert page(alice_client, url)[1] == "miss"
    assert cache.get(pagecache.GENERATION_KEY) is None  # not even a version was made


def test_a_page_stored_before_its_version_was_lost_is_never_served(alice_client, alice):
    url = reverse("start")
    warm(alice_client, url)
    cache.delete(pagecache._customer_key(alice.customer_id))  # evicted or culled
    assert page(alice_client, url)[1] == "miss"
    assert customer_version(alice.customer_id) is not None
    assert page(alice_client, url)[1] == "hit"


def test_a_page_rendered_while_its_data_changed_is_not_kept(alice_client, alice):
    case = factories.make_case(alice.customer)
    factories.make_staff_message(case)
    url = reverse("cases:detail", args=[case.pk])
    alice_client.get(reverse("start"))  # the CSRF cookie
    html, state = page(alice_client, url)  # marks the message read: the data changed under the view
    assert state == "miss" and 'text-bg-danger">nowa<' in html
    html, state = page(alice_client, url)
    assert state == "miss" and 'text-bg-danger">nowa<' not in html  # the one before was not stored
    assert page(alice_client, url) == (html, "hit")


def test_a_bump_inside_a_transaction_is_made_at_once_and_again_after_the_commit(transactional_db):
    customer = factories.make_customer()
    before = customer_version(customer.pk)
    with transaction.atomic():
        pagecache.bump_customer(customer.pk)
        during = customer_version(customer.pk)
        assert during not in (None, before)
        pagecache.bump_customer(customer.pk)  # a second change in the transaction: nothing new to see yet
        assert customer_version(customer.pk) == during
    assert customer_version(customer.pk) not in (None, during)


def test_a_page_stored_between_two_changes_of_one_transaction_is_not_served_after_the_second(alice_client, alice):
    url = reverse("start")
    warm(alice_client, url)
    factories.make_payment(alice.customer, "11.11")  # (the test runs in one transaction)
    assert page(alice_client, url)[1] == "miss"
    assert page(alice_client, url)[1] == "hit"
    factories.make_payment(alice.customer, "22.22")
    html, state = page(alice_client, url)
    assert state == "miss" and "33,33" in html


def test_the_key_changes_with_the_release(alice_client, alice, monkeypatch):
    url = reverse("start")
    warm(alice_client, url)
    monkeypatch.setattr(pagecache, "release", lambda: "another-deploy")
    assert page(alice_client, url)[1] == "miss"


REDIS_TEST_URL = os.environ.get("EBOK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


@pytest.mark.skipif(not _redis_available(), reason=f"no Redis at {REDIS_TEST_URL}")
def test_with_redis_a_cached_view_costs_one_query(client, alice, settings, django_assert_num_queries):
    """EBOK_TEST_REDIS_URL: a Redis database the test may empty (as REDIS_URL: cache and cached_db sessions)."""
    redis_cache = {"BACKEND": "ebok.cache.RedisCache", "LOCATION": REDIS_TEST_URL}
    settings.CACHES = {"default": redis_cache}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    cache.clear()
    client.force_login(alice)
    url = reverse("billing:payments")
    warm(client, url)
    with django_assert_num_queries(1):  # the user; the session and the page come from Redis
        assert client.get(url).page_cache == "hit"
    factories.make_payment(alice.customer, "77.77")
    html, state = page(client, url)
    assert state == "miss" and "77,77" in html
    cache.clear()


def test_a_miss_reads_the_login_and_customer_again(rf, alice, bob):
    """They were read before the versions: a change committed in between must reach the page."""
    from accounts.backends import UserWithCustomerBackend
    from accounts.models import User
    from billing.models import Customer

    def request_of(user):
        request = rf.get("/platnosci/")
        request.user = UserWithCustomerBackend().get_user(user.pk)
        request.customer = request.user.customer
        return request

    request = request_of(alice)
    Customer.objects.filter(pk=alice.customer_id).update(bank_account=factories.nrb(777))
    assert pagecache._read_login_again(request)
    assert request.customer.bank_account == factories.nrb(777) and request.user.customer is request.customer

    request = request_of(alice)
    other = factories.make_customer()
    User.objects.filter(pk=alice.pk).update(customer=other)
    assert not pagecache._read_login_again(request)  # now another customer's login: rendered, not kept
    assert request.customer.pk == alice.customer_id

    request = request_of(bob)
    User.objects.filter(pk=bob.pk).delete()
    assert not pagecache._read_login_again(request)
