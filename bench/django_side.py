"""The benchmark's steps that need Django, run against the bench database (bench/run.py).

`seed SCALE N OUT`: cases and messages for a third of the customers (bulk SQL: they are not in
the billing export), active accounts and logged-in sessions for N customers spread over the
customer numbers; writes one line per customer to OUT: session key, customer, a case id, and the
CSRF cookie a browser holds after its first page.
`queries LONG SHORT`: SQL queries per page for two customers, with the test client in-process:
the page's own render (page cache off), the render stored in the page cache, and a repeat view
served from it; prints JSON.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ebok.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402
from generate import FIRST_NUMBER, customer_number, sample_indexes  # noqa: E402

from accounts.models import User  # noqa: E402
from cases.models import Case  # noqa: E402
from ebok import pagecache  # noqa: E402

CASES_SQL = """
INSERT INTO cases_case (number, customer_id, type_id, subject, delivery_point_id, status,
                        created_at, waiting_for_staff, last_message_at)
SELECT 'SP/2026/' || lpad((row_number() OVER (ORDER BY c.number, k))::text, 6, '0'),
       c.number, (SELECT min(id) FROM cases_casetype), 'Pytanie o rozliczenie nr ' || k,
       'PO-' || lpad((c.number::int - %(first)s)::text, 7, '0'),
       (ARRAY['zakonczona', 'w_realizacji'])[k],
       now() - make_interval(days => 40 * k), false, now() - make_interval(days => 40 * k - 3)
FROM billing_customer c CROSS JOIN generate_series(1, 2) AS k
WHERE (c.number::int - %(first)s) %% 3 = 0
"""
MESSAGES_SQL = """
INSERT INTO cases_message (case_id, from_staff, body, created_at, read_at)
SELECT s.id, m %% 2 = 0, repeat('Treść wiadomości w sprawie rozliczenia. ', 6),
       s.created_at + make_interval(hours => m),
       CASE WHEN m %% 2 = 0 AND m < %(messages)s THEN s.created_at + make_interval(hours => m + 1) END
FROM cases_case s CROSS JOIN generate_series(1, %(messages)s) AS m
"""


def seed(scale: int, count: int, out: Path) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(CASES_SQL, {"first": FIRST_NUMBER})
        cursor.execute(MESSAGES_SQL, {"messages": 4})
        cursor.execute("ANALYZE cases_case; ANALYZE cases_message")
    numbers = [customer_number(i) for i in sample_indexes(scale, count)]
    password = make_password("bench-password-not-secret")
    User.objects.bulk_create(
        [User(username=n, customer_id=n, email=f"konto{n}@example.pl", password=password) for n in numbers],
        ignore_conflicts=True,
    )
    cases = dict(Case.objects.filter(customer_id__in=numbers).order_by("pk").values_list("customer_id", "pk"))
    now = int(timezone.now().timestamp())
    with out.open("w") as f:
        for user in User.objects.filter(username__in=numbers).order_by("username"):
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session["ebok_login_at"] = now
            session.create()
            # A browser has had the CSRF cookie since its first page; without it every page would
            # set a new one (and the page cache stores no response that sets a cookie).
            csrf = get_random_string(32)
            f.write(f"{session.session_key}\t{user.customer_id}\t{cases[user.customer_id]}\t{csrf}\n")


PAGES = {
    "start": lambda case: reverse("start"),
    "payments": lambda case: reverse("billing:payments"),
    "documents": lambda case: reverse("billing:documents"),
    "meters": lambda case: reverse("meters:list"),
    "cases": lambda case: reverse("cases:list"),
    "case detail": lambda case: reverse("cases:detail", args=[case]),
}


def queries(numbers: list[str]) -> dict[str, dict[str, dict[str, int]]]:
    """{page: {"render": {customer: n}, "stored": {...}, "hit": {...}}}: SQL queries of a logged-in
    view of each page rendered (page cache off), rendered and stored in the page cache (the first
    view after a change), and served from it."""
    counts: dict[str, dict[str, dict[str, int]]] = {page: {"render": {}, "stored": {}, "hit": {}} for page in PAGES}
    for number in numbers:
        user = User.objects.get(username=number)
        case = Case.objects.filter(customer_id=number).order_by("pk").values_list("pk", flat=True).first()
        client = Client()
        client.force_login(user)
        for page, url in PAGES.items():
            client.get(url(case))  # warms per-process caches (templates, translations); sets the CSRF cookie
            with override_settings(EBOK_PAGE_CACHE=False), CaptureQueriesContext(connection) as captured:
                response = client.get(url(case))
            if response.status_code != 200:
                raise SystemExit(f"{page} for {number}: HTTP {response.status_code}")
            counts[page]["render"][number] = len(captured)
            if not settings.EBOK_PAGE_CACHE:
                counts[page]["stored"][number] = counts[page]["hit"][number] = len(captured)
                continue
            pagecache.bump_customer(number)  # as a change would
            for state in ("stored", "hit"):
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(url(case))
                if getattr(response, "page_cache", None) != ("hit" if state == "hit" else "miss"):
                    raise SystemExit(f"{page} for {number}: expected the page cache to {state} the page")
                counts[page][state][number] = len(captured)
    return counts


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        seed(int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
    elif sys.argv[1] == "queries":
        print(json.dumps(queries(sys.argv[2:])))
    else:
        raise SystemExit(__doc__)
