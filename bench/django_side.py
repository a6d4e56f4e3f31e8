"""The benchmark's steps that need Django, run against the bench database (bench/run.py).

`seed SCALE N OUT PASSWORD`: cases and messages for a third of the customers (bulk SQL: they are
not in the billing export), active accounts (with PASSWORD) and logged-in sessions for N customers
spread over the customer numbers; writes one line per customer to OUT: session key, customer, a
case id, a delivery point code, and the CSRF cookie a browser holds after its first page.
`queries LONG SHORT`: SQL queries of each page's view for two customers, with the test client
in-process; prints JSON.
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
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402
from generate import FIRST_NUMBER, customer_number, sample_indexes  # noqa: E402

from accounts.models import CustomerAccess, User  # noqa: E402
from billing.models import DeliveryPoint  # noqa: E402
from cases.models import Case  # noqa: E402

OWNER, REGISTRATION = CustomerAccess.Role.OWNER, CustomerAccess.Source.REGISTRATION

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


def seed(scale: int, count: int, out: Path, password: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(CASES_SQL, {"first": FIRST_NUMBER})
        cursor.execute(MESSAGES_SQL, {"messages": 4})
        cursor.execute("ANALYZE cases_case; ANALYZE cases_message")
    numbers = [customer_number(i) for i in sample_indexes(scale, count)]
    password = make_password(password)
    User.objects.bulk_create(
        [User(username=n, customer_id=n, email=f"konto{n}@example.pl", password=password) for n in numbers],
        ignore_conflicts=True,
    )
    # bulk_create sends no post_save: each login is made its customer's właściciel here, as
    # registration does (accounts.signals).
    CustomerAccess.objects.bulk_create(
        [
            CustomerAccess(user_id=pk, customer_id=n, role=OWNER, source=REGISTRATION)
            for pk, n in User.objects.filter(username__in=numbers).values_list("pk", "customer_id")
        ],
        ignore_conflicts=True,
    )
    cases = dict(Case.objects.filter(customer_id__in=numbers).order_by("-pk").values_list("customer_id", "pk"))
    points = dict(
        DeliveryPoint.objects.filter(customer_id__in=numbers).order_by("-pk").values_list("customer_id", "code")
    )
    now = int(timezone.now().timestamp())
    with out.open("w") as f:
        for user in User.objects.filter(username__in=numbers).order_by("username"):
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session["ebok_login_at"] = now
            session.create()
            # A browser has had the CSRF cookie since its first page (the login form's).
            csrf = get_random_string(32)
            case, point = cases[user.customer_id], points[user.customer_id]
            f.write(f"{session.session_key}\t{user.customer_id}\t{case}\t{point}\t{csrf}\n")


PAGES = {
    "start": lambda case, point: reverse("start"),
    "contracts": lambda case, point: reverse("billing:contracts"),
    "points": lambda case, point: reverse("billing:points"),
    "point": lambda case, point: reverse("billing:point", args=[point]),
    "payments": lambda case, point: reverse("billing:payments"),
    "documents": lambda case, point: reverse("billing:documents"),
    "meters": lambda case, point: reverse("meters:list"),
    "cases": lambda case, point: reverse("cases:list"),
    "case detail": lambda case, point: reverse("cases:detail", args=[case]),
    "messages": lambda case, point: reverse("cases:messages"),
}


def queries(numbers: list[str]) -> dict[str, dict[str, int]]:
    """{page: {customer: n}}: SQL queries of a logged-in first view of each page."""
    counts: dict[str, dict[str, int]] = {page: {} for page in PAGES}
    for number in numbers:
        user = User.objects.get(username=number)
        case = Case.objects.filter(customer_id=number).order_by("pk").values_list("pk", flat=True).first()
        point = DeliveryPoint.objects.filter(customer_id=number).values_list("code", flat=True).first()
        client = Client()
        client.get(reverse("accounts:login"))  # the CSRF cookie, as a browser has it after the login page
        client.force_login(user)
        for page, url in PAGES.items():
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url(case, point))
            if response.status_code != 200:
                raise SystemExit(f"{page} for {number}: HTTP {response.status_code}")
            counts[page][number] = len(captured)
    return counts


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        seed(int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]), sys.argv[5])
    elif sys.argv[1] == "queries":
        print(json.dumps(queries(sys.argv[2:])))
    else:
        raise SystemExit(__doc__)
