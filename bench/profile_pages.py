"""In-process cost of each customer page's first view, in milliseconds: `make profile-pages`.

For each of N customers with an account, and each customer page, a fresh logged-in session
(Django's test client, `force_login`, a CSRF cookie as a browser has it after the login form)
opens the page once; only the request is timed. Printed per page: the median wall time, the
median CPU time of this process (PostgreSQL's share excluded: the steadiest figure on a loaded
machine), each the best of a few rounds, and the SQL queries. Three rows show the fixed cost
every page pays: /healthz (the middleware, no session), and the accessibility statement (a page
with no data of its own) opened anonymously (the middleware and base.html) and logged in (plus
the session, the user, the tab bar and the unread badge).

Production settings (DEBUG off, the cached template loader, the static manifest) on the database
of DATABASE_URL, which needs customers with accounts and cases, e.g. the bench database after
`make bench SCALE=2000 BENCH_CUSTOMERS=500` (it stays), or: `bench/generate.py`, `manage.py
import_billing`, `bench/django_side.py seed` (see bench/run.py).

    .venv/bin/python bench/profile_pages.py --customers 60
    .venv/bin/python bench/profile_pages.py --customers 20 --profile payments   # cProfile, top 40
    .venv/bin/python bench/profile_pages.py --customers 10 --instructions       # valgrind, minutes
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import operator
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Production settings, as bench/run.py gives gunicorn (plain HTTP on the test client's host).
for name, value in {
    "DEBUG": "0",
    "SECRET_KEY": "bench-" + "x" * 50,
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_PROXY_SSL_HEADER": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "RECAPTCHA_PUBLIC_KEY": "bench-dummy-public-key",
    "RECAPTCHA_PRIVATE_KEY": "bench-dummy-private-key",
    "RECAPTCHA_DISABLED": "0",
    "STATIC_ROOT": str(ROOT / "bench" / "work" / "profile-static"),
    "DJANGO_SETTINGS_MODULE": "ebok.settings",
}.items():
    os.environ.setdefault(name, value)
os.environ.pop("EBOK_TESTING", None)

sys.path.insert(0, str(ROOT))
import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402
from django_side import PAGES  # noqa: E402

from accounts.models import User  # noqa: E402
from billing.models import DeliveryPoint  # noqa: E402
from cases.models import Case  # noqa: E402

FIXED = {
    "healthz": (lambda case, point: reverse("healthz"), False),
    "static page, anonymous": (lambda case, point: reverse("accessibility"), False),
    "static page, logged in": (lambda case, point: reverse("accessibility"), True),
}


def customers(count: int) -> list[tuple[User, int, str]]:
    """``count`` accounts spread over the customer numbers, each with a case and a delivery point."""
    users = list(User.objects.filter(customer__isnull=False, is_active=True).order_by("username"))
    cases = dict(Case.objects.order_by("-pk").values_list("customer_id", "pk"))
    points = dict(DeliveryPoint.objects.order_by("-pk").values_list("customer_id", "code"))
    users = [u for u in users if u.customer_id in cases and u.customer_id in points]
    if not users:
        raise SystemExit("No customer with an account, a case and a delivery point in this database (see --help).")
    step = max(1, len(users) // count)
    return [(u, cases[u.customer_id], points[u.customer_id]) for u in users[::step][:count]]


CLIENT = Client()  # one handler (its middleware loaded once, as in a server process); new cookies per view


def fresh_client(user: User | None) -> Client:
    client = CLIENT
    client.cookies.clear()
    client.cookies["csrftoken"] = get_random_string(32)
    if user is not None:
        client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def first_view(user, url: str, profiler: cProfile.Profile | None = None, measured: bool = True) -> tuple[float, float]:
    """(wall ms, CPU ms) of one request of ``url`` in a new session of ``user``."""
    client = fresh_client(user)
    gc.collect()  # each view starts from a clean heap, rather than paying for garbage of the ones before
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    # Under --instructions, valgrind counts only inside methodcaller's C function, i.e. this request.
    response = operator.methodcaller("get", url)(client) if measured else client.get(url)
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if response.status_code != 200:
        raise SystemExit(f"{url} for {user}: HTTP {response.status_code}")
    return wall * 1000, cpu * 1000


def queries(user, url: str) -> int:
    client = fresh_client(user)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


UNDER_CALLGRIND = "PROFILE_PAGES_UNDER_CALLGRIND"


def count_instructions(args) -> None:
    """Run this script again under valgrind's callgrind, which counts instructions only inside
    ``operator.methodcaller`` (the measured requests: see first_view) and writes one file per page.
    Instructions do not change with the load on the machine, unlike milliseconds."""
    pages = args.only or [*FIXED, *PAGES]
    with tempfile.TemporaryDirectory() as out:
        command = [
            "valgrind", "--tool=callgrind", "--toggle-collect=methodcaller_call", f"--callgrind-out-file={out}/cg",
            sys.executable, __file__, "--rounds", "1", "--customers", str(args.customers),
            *(f"--only={page}" for page in pages),
        ]  # fmt: skip
        subprocess.run(command, env={**os.environ, UNDER_CALLGRIND: "1"}, check=True, capture_output=True)
        totals = []
        for n in range(1, len(pages) + 1):
            text = Path(out, f"cg.{n}").read_text()
            totals.append(int(next(line for line in text.splitlines() if line.startswith("totals:")).split()[1]))
    print(f"{args.customers} customers, a fresh session per page view; millions of instructions per view (callgrind)")
    print(f"| {'page':<22} | M instructions |")
    print(f"| {'-' * 22} | ---: |")
    for page, total in zip(pages, totals, strict=True):
        print(f"| {page:<22} | {total / args.customers / 1e6:14.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=40)
    parser.add_argument("--profile", metavar="PAGE", help=f"one of: {', '.join([*FIXED, *PAGES])}")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--only", metavar="PAGE", action="append", help="time only this page (repeatable)")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions per view under valgrind (slow, steady)"
    )
    args = parser.parse_args()
    if args.instructions:
        return count_instructions(args)

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    # The request log stays on (its cost is real) but is written nowhere.
    import logging

    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(open(os.devnull, "w"))  # noqa: SIM115

    chosen = customers(args.customers)
    pages = {**FIXED, **{name: (url, True) for name, url in PAGES.items()}}
    if args.profile or args.only:
        pages = {name: pages[name] for name in ([args.profile] if args.profile else args.only)}
    # Warm-up: imports, compiled templates, the database connection, translations.
    for user, case, point in chosen[:3]:
        for url, logged_in in pages.values():
            first_view(user if logged_in else None, url(case, point), measured=False)

    profiler = cProfile.Profile() if args.profile else None
    rounds = 1 if profiler else args.rounds
    # Rounds interleave the pages, so a burst of load elsewhere on the machine hits one round of
    # each rather than one page: each page's figure is its best round's median.
    medians: dict[str, list[tuple[float, float]]] = {name: [] for name in pages}
    for _round in range(rounds):
        for name, (url, logged_in) in pages.items():
            who = [(user if logged_in else None, url(case, point)) for user, case, point in chosen]
            times = [first_view(user, path, profiler) for user, path in who]
            if os.environ.get(UNDER_CALLGRIND):  # the counts so far go to a file of this page's own
                subprocess.run(["callgrind_control", "--dump", str(os.getpid())], check=True, capture_output=True)
            medians[name].append((statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)))
    print(f"{len(chosen)} customers, a fresh session per page view, best of {rounds} rounds; times in ms")
    print(f"| {'page':<22} | wall p50 | CPU p50 | queries (max) |")
    print(f"| {'-' * 22} | ---: | ---: | ---: |")
    if os.environ.get(UNDER_CALLGRIND):
        return  # the parent prints the instructions; counting queries under valgrind only takes time
    for name, (url, logged_in) in pages.items():
        counts = [queries(user if logged_in else None, url(case, point)) for user, case, point in chosen[:5]]
        wall = min(m[0] for m in medians[name])
        cpu = min(m[1] for m in medians[name])
        print(f"| {name:<22} | {wall:8.2f} | {cpu:7.2f} | {max(counts)} |")
    if profiler:
        if os.environ.get("PROFILE_PAGES_DUMP"):
            profiler.dump_stats(os.environ["PROFILE_PAGES_DUMP"])
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    sys.exit(main())
