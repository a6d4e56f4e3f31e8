"""Helpers for the page cache tests (ebok.pagecache): fill the cache as a browser would, read the versions."""

from __future__ import annotations

from django.core.cache import cache

from ebok import pagecache


def warm(client, url: str):
    """View ``url`` until it is served from the page cache, and return that cached response.

    A browser's first page sets the CSRF cookie (a response that sets cookies is not stored), the
    second is rendered and stored, the third comes from the cache.
    """
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    response = client.get(url)
    assert response.page_cache == "hit", f"{url} was not served from the page cache"
    return response


def page(client, url: str) -> tuple[str, str]:
    """(the page's HTML, "hit" or "miss") of one view of ``url``."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode(), response.page_cache


def customer_version(customer_id) -> str | None:
    return cache.get(pagecache._customer_key(customer_id))


def generation() -> str | None:
    return cache.get(pagecache.GENERATION_KEY)


def changes_version(customer, change) -> bool:
    """Whether ``change()`` changed the version of the customer's pages, and no other customer's.

    For tests with real commits (``transactional_db``): in one test transaction a second change
    bumps nothing new until the commit (ebok.pagecache._bumped_in_this_transaction).
    """
    from billing.models import Customer

    others = {pk: customer_version(pk) for pk in Customer.objects.exclude(pk=customer.pk).values_list("pk", flat=True)}
    before = customer_version(customer.pk)
    change()
    assert others == {pk: customer_version(pk) for pk in others}, "another customer's version changed"
    return customer_version(customer.pk) not in (None, before)
