"""Assert a page costs the same number of SQL queries for a short and a long customer history.

The counts are of the page's own render: the page cache (ebok.pagecache) is off here; its hits
and misses are counted in tests/ebok/test_page_cache.py.
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from tests import factories


def queries_of(action) -> int:
    """The number of SQL queries ``action()`` makes."""
    with CaptureQueriesContext(connection) as ctx:
        action()
    return len(ctx)


def count_queries(client, url: str) -> int:
    with override_settings(EBOK_PAGE_CACHE=False), CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return len(ctx)


def queries_for_history_sizes(client, url_for, sizes=(2, 30)) -> list[int]:
    """Log in as a fresh customer with each history size; return the query count of each page view."""
    counts = []
    for months in sizes:
        user = factories.make_user()
        objects = factories.make_history(user.customer, months)
        client.force_login(user)
        counts.append(count_queries(client, url_for(objects)))
    return counts
