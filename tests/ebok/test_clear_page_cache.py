"""`manage.py clear_page_cache`: after data changed outside Django, every cached page renders again."""

from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from tests import factories
from tests.pagecache import page, warm


def test_a_change_made_with_sql_shows_after_the_command(alice_client, alice, today):
    document = factories.make_document(alice.customer, "FV/SQL", gross="100.00")
    url = reverse("billing:payments")
    warm(alice_client, url)
    with connection.cursor() as cursor:  # behind Django's back: no signal, no bump
        cursor.execute("UPDATE billing_document SET number = 'FV/PSQL' WHERE number = %s", [document.number])
    assert "FV/PSQL" not in page(alice_client, url)[0]
    out = StringIO()
    call_command("clear_page_cache", stdout=out)
    assert "rendered again" in out.getvalue()
    html, state = page(alice_client, url)
    assert state == "miss" and "FV/PSQL" in html
