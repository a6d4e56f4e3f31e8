"""Django's own floor for a logged-in page, against a no-op view: `make bench-floor`.

A Django project of a dozen lines (this file, not eBOK): the session and authentication
middleware only, database sessions on PostgreSQL (ebok_bench_floor), and two views. /healthz
answers "ok" and touches neither the session nor the user; /page loads the session and the user
(two queries) and renders a one-line template naming the user. Both run in one gunicorn (5 sync
workers, as bench/run.py starts eBOK's) under wrk at 20 connections, twice each, interleaved.

The ratio page / healthz is what any logged-in Django page pays before it renders anything of its
own: the ceiling a "first view >= N % of /healthz" target leaves for the page's content, for
comparison with eBOK's /healthz (its middleware included) in bench/results/.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

if __name__ == "__main__":
    BENCH = Path(__file__).resolve().parent
    sys.path.insert(0, str(BENCH))
    from run import CONNECTIONS, ROOT, WORKERS, drop_database, ensure_wrk, say, url_with_name, wait_for

    sys.path.insert(0, str(ROOT))
    from ebok.env import parse_database_url

    URL = url_with_name(
        os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ebok_bench"), "ebok_bench_floor"
    )
    PORT = int(os.environ.get("BENCH_PORT", "8030"))
    SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
else:  # imported by gunicorn, in a process of its own
    import django
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY="floor-" + "x" * 50,
        ALLOWED_HOSTS=["127.0.0.1"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions"],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        DATABASES={"default": {**json.loads(os.environ["FLOOR_DATABASE"]), "CONN_MAX_AGE": 60}},
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates"}],
        USE_TZ=True,
    )
    django.setup()
    from django.core.wsgi import get_wsgi_application
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import path

    PAGE = engines["django"].from_string('<!doctype html><html lang="pl"><title>eBOK</title><p>{{ user }}</p></html>')

    def healthz(request):
        return HttpResponse("ok")

    def page(request):
        return HttpResponse(PAGE.render({"user": request.user.get_username()}, request))

    urlpatterns = [path("healthz", healthz), path("page", page)]
    application = get_wsgi_application()


def wrk_rps(wrk: str, path: str, cookie: str) -> float:
    out = subprocess.run(
        [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "-H", f"Cookie: {cookie}", f"http://127.0.0.1:{PORT}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main() -> None:
    wrk = ensure_wrk()
    drop_database(URL, recreate=True)
    env = {**os.environ, "FLOOR_DATABASE": json.dumps(parse_database_url(URL, ROOT))}
    setup = (
        "import floor; from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from django.contrib.auth.models import User; from django.test import Client;"
        "c = Client(); c.force_login(User.objects.create(username='floor')); print(c.cookies['sessionid'].value)"
    )
    session = subprocess.run(
        [sys.executable, "-c", setup], cwd=BENCH, env=env, capture_output=True, text=True, check=True
    ).stdout.split()[-1]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "floor:application", "--bind", f"127.0.0.1:{PORT}",
             "--workers", str(WORKERS), "--worker-class", "sync", "--access-logfile", "/dev/null"],
            cwd=BENCH, env=env, stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip
        try:
            wait_for(f"http://127.0.0.1:{PORT}/healthz")
            cookie = f"sessionid={session}"
            runs = {"healthz": [], "page": []}
            for _round in range(2):
                for name in runs:
                    runs[name].append(wrk_rps(wrk, f"/{name}", cookie))
                    say(f"{name}: {runs[name][-1]:.0f} req/s")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    drop_database(URL)
    healthz, page = (sum(values) / len(values) for values in runs.values())
    print(f"Django's floor, {WORKERS} sync workers, {CONNECTIONS} connections, {os.cpu_count()} CPUs:")
    print(f"| no-op /healthz | {healthz:.0f} req/s |")
    print(f"| logged-in one-line page (session + user, 2 queries) | {page:.0f} req/s ({100 * page / healthz:.0f} %) |")


if __name__ == "__main__":
    main()
