"""`make bench`: pages as customers use them (first views), import speed against a bare COPY.

Steps (each printed as it runs):
1. Fresh PostgreSQL databases BENCH_DATABASE_URL (default ebok_bench) and <name>_copy, migrated.
2. A billing export for SCALE customers (bench/generate.py) under bench/work/.
3. `manage.py import_billing` into the bench database: wall time and peak RSS, and the peak RSS
   of an idle Django process for the increment. Then the same rows, converted to COPY-ready
   files beforehand (not timed), COPYed with psycopg2 into the same, empty tables of the copy
   database: the baseline.
4. Cases and messages (bulk SQL), accounts and logged-in sessions for BENCH_CUSTOMERS customers
   (5000 by default, at most the third of SCALE that has cases), a few of them set aside to warm
   the workers up.
5. SQL queries per page for a customer with a long history and one with a short one.
6. gunicorn with production settings on 127.0.0.1:BENCH_PORT, driven by wrk (bench/wrk.lua) at
   BENCH_CONNECTIONS connections: first views (every session opens each page exactly once, no
   session reused within a page's run, /healthz round and round for BENCH_SECONDS before and after as the baseline),
   then the same first views at BENCH_LOW_CONNECTIONS connections (2: one per CPU, a server that
   is busy but not queueing) by sessions of their own, for the latency a customer sees below
   saturation, then repeat views (the same sessions round and round, BENCH_SECONDS per page), then
   the login POST (Argon2) of BENCH_LOGINS accounts.
7. The figures on screen, in bench/results/YYYY-MM-DD-scaleN.md and in bench/results/latest.json.

Only databases whose name starts with ebok_bench are ever created or dropped.

BENCH_IMPORT_ONLY=1: steps 1-3 only, the import against COPY, printed (no results file).

BENCH_REDIS_URL (e.g. redis://127.0.0.1:6379/5): cache and sessions in that Redis database, as with
several app hosts (docs/deployment.md). Nothing in it is removed: the sessions are new. Unset: the
database cache and database sessions of a single host.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PY = sys.executable
sys.path.insert(0, str(BENCH))

from generate import customer_number, generate, history_months, sample_indexes  # noqa: E402

SCALE = int(os.environ.get("SCALE", "10000"))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ebok_bench")
PORT = int(os.environ.get("BENCH_PORT", "8030"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "20"))
# First views again at this concurrency, by sessions set aside for it: latency below saturation.
LOW_CONNECTIONS = int(os.environ.get("BENCH_LOW_CONNECTIONS", "2"))
LOW_SESSIONS = 400  # at most; a tenth of the measured sessions at small scales
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "5000"))
WARM_SESSIONS = 40  # sessions that only warm the workers up
LOGINS = int(os.environ.get("BENCH_LOGINS", "300"))
ONCE_CAP_SECONDS = 900  # a first-views run ends when its sessions are used up; this is only a cap
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
KEEP = os.environ.get("KEEP", "") not in ("", "0")
LABEL = os.environ.get("BENCH_LABEL", "")  # e.g. "before" / "after": a suffix of the results file
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")
BENCH_PASSWORD = "bench-password-not-secret"  # noqa: S105 (bench accounts on a throwaway database)
IMPORT_ONLY = os.environ.get("BENCH_IMPORT_ONLY", "") not in ("", "0")

# Tables in dependency order, with the CSV they come from.
TABLES = [
    ("billing_customer", "odbiorcy.csv"),
    ("billing_contract", "umowy.csv"),
    ("billing_deliverypoint", "punkty.csv"),
    ("meters_meter", "liczniki.csv"),
    ("billing_document", "faktury.csv"),
    ("billing_otherdocument", "dokumenty.csv"),
    ("billing_payment", "wplaty.csv"),
    ("meters_reading", "odczyty.csv"),
]
# Every customer page; the paths are filled in per session (its case and delivery point).
PATHS = {
    "healthz": "/healthz",
    "start": "/pulpit/",
    "contracts": "/umowa/",
    "points": "/punkty-odbioru/",
    "point": "/punkty-odbioru/{point}/",
    "payments": "/platnosci/",
    "documents": "/dokumenty/",
    "meters": "/liczniki/",
    "cases": "/sprawy/",
    "case detail": "/sprawy/{case}/",
    "messages": "/sprawy/wiadomosci/",
}
PAGES = [page for page in PATHS if page != "healthz"]


def say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", flush=True)


def dsn_for(url: str, name: str | None = None) -> str:
    parts = urlparse(url)
    dbname = name if name is not None else parts.path.lstrip("/")
    return psycopg2.extensions.make_dsn(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname=dbname,
    )


def url_with_name(url: str, name: str) -> str:
    return urlparse(url)._replace(path=f"/{name}").geturl()


def drop_database(url: str, *, recreate: bool = False, prefixes: tuple[str, ...] = ("ebok_bench",)) -> None:
    """Drop the database of ``url`` (and create it empty with ``recreate``): only a name starting
    with one of ``prefixes``, any other is refused."""
    name = urlparse(url).path.lstrip("/")
    if not name.startswith(prefixes):
        named = " or ".join(f"{prefix}*" for prefix in prefixes)
        raise SystemExit(f"Refusing to drop {name!r}: the bench only uses databases named {named}.")
    admin = psycopg2.connect(dsn_for(url, "postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if recreate:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def django_env(url: str, work: Path) -> dict[str, str]:
    """Production settings (DEBUG off) on plain HTTP at 127.0.0.1."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DEBUG="0",
        SECRET_KEY="bench-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="0",
        SECURE_PROXY_SSL_HEADER="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        RECAPTCHA_PUBLIC_KEY="bench-dummy-public-key",
        RECAPTCHA_PRIVATE_KEY="bench-dummy-private-key",
        RECAPTCHA_DISABLED="0",
        STATIC_ROOT=str(work / "static"),
        PRIVATE_ROOT=str(work / "private"),
        EBOK_SITE_URL=f"http://127.0.0.1:{PORT}",
        DJANGO_SETTINGS_MODULE="ebok.settings",
        REDIS_URL=REDIS_URL,
    )
    env.pop("EBOK_TESTING", None)
    return env


def manage(env: dict[str, str], *args: str, quiet: bool = True) -> None:
    subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def measured(command: list[str], env: dict[str, str]) -> dict:
    """Wall time and peak RSS of one command, via bench/measure.py (a process of its own)."""
    out = subprocess.run(
        [PY, str(BENCH / "measure.py"), *command], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["returncode"] != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{out.stderr[-3000:]}")
    result["stdout"] = out.stdout
    return result


# --- the bare COPY baseline --------------------------------------------------------------------


def _copy_text(value: str) -> str:
    if value == "":
        return "\\N"
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def prepare_copy_files(export: Path, out: Path) -> None:
    """CSV → COPY text format per table: columns renamed, decimal comma → dot, empty → NULL
    where the column is nullable, the denormalised customer of points and meters looked up,
    the PDF path replaced by its storage name. This is the preprocessing the COPY timing excludes."""
    out.mkdir(parents=True, exist_ok=True)
    contract_customer: dict[str, str] = {}
    point_customer: dict[str, str] = {}
    pdf_names: dict[str, tuple[str, str]] = {}

    def pdf(raw: str) -> tuple[str, str]:
        if raw == "":
            return "", ""
        if raw not in pdf_names:
            sha = hashlib.sha256((export / raw).read_bytes()).hexdigest()
            pdf_names[raw] = (f"documents/{sha[:2]}/{sha}.pdf", sha)
        return pdf_names[raw]

    def dec(value: str) -> str:
        return value.replace(",", ".")

    def blank(value: str) -> str:
        return value.replace("\\", "\\\\") if value else ""  # NOT NULL text: empty string, not \N

    converters = {
        "billing_customer": (
            "number kind name nip street postal_code city email phone bank_account",
            lambda r: [
                r["nr_odbiorcy"],
                r["typ"],
                r["nazwa"],
                blank(r["nip"]),
                r["ulica"],
                r["kod_pocztowy"],
                r["miejscowosc"],
                blank(r["email"]),
                blank(r["telefon"]),
                r["rachunek"],
            ],
        ),
        "billing_contract": (
            "number customer_id signed_on valid_from valid_until tariff_group ordered_power_mw",
            lambda r: [
                r["nr_umowy"],
                r["nr_odbiorcy"],
                r["data_zawarcia"],
                r["obowiazuje_od"],
                _copy_text(r["obowiazuje_do"]),
                r["grupa_taryfowa"],
                dec(r["moc_zamowiona_mw"]),
            ],
        ),
        "billing_deliverypoint": (
            "code contract_id customer_id street postal_code city substation kind tariff_group ordered_power_mw",
            lambda r: [
                r["kod_punktu"],
                r["nr_umowy"],
                contract_customer[r["nr_umowy"]],
                r["ulica"],
                r["kod_pocztowy"],
                r["miejscowosc"],
                blank(r["wezel"]),
                r["rodzaj"],
                r["grupa_taryfowa"],
                dec(r["moc_zamowiona_mw"]),
            ],
        ),
        "meters_meter": (
            "serial delivery_point_id customer_id kind unit installed_on removed_on legalisation_until",
            lambda r: [
                r["nr_fabryczny"],
                r["kod_punktu"],
                point_customer[r["kod_punktu"]],
                r["rodzaj"],
                r["jednostka"],
                r["data_montazu"],
                _copy_text(r["data_demontazu"]),
                _copy_text(r["legalizacja_do"]),
            ],
        ),
        "billing_document": (
            "number customer_id kind issue_date due_date net vat gross corrects_id ksef_number pdf pdf_sha256",
            lambda r: [
                r["nr_dokumentu"],
                r["nr_odbiorcy"],
                r["rodzaj"],
                r["data_wystawienia"],
                r["termin_platnosci"],
                dec(r["netto"]),
                dec(r["vat"]),
                dec(r["brutto"]),
                _copy_text(r["dotyczy"]),
                blank(r["nr_ksef"]),
                *pdf(r["plik"]),
            ],
        ),
        "billing_otherdocument": (
            "ext_id customer_id kind title date pdf pdf_sha256",
            lambda r: [r["id_dokumentu"], r["nr_odbiorcy"], r["rodzaj"], r["tytul"], r["data"], *pdf(r["plik"])],
        ),
        "billing_payment": (
            "ext_id customer_id date amount title",
            lambda r: [r["id_wplaty"], r["nr_odbiorcy"], r["data"], dec(r["kwota"]), blank(r["tytul"])],
        ),
        "meters_reading": (
            "meter_id date value source",
            lambda r: [r["nr_fabryczny"], r["data"], dec(r["wskazanie"]), r["zrodlo"]],
        ),
    }
    for table, filename in TABLES:
        columns, convert = converters[table]
        with (
            (export / filename).open(encoding="utf-8", newline="") as src,
            (out / f"{table}.tsv").open("w", encoding="utf-8") as dst,
        ):
            dst.write("\t".join(columns.split()) + "\n")
            for row in csv.DictReader(src, delimiter=";"):
                if table == "billing_contract":
                    contract_customer[row["nr_umowy"]] = row["nr_odbiorcy"]
                elif table == "billing_deliverypoint":
                    point_customer[row["kod_punktu"]] = contract_customer[row["nr_umowy"]]
                dst.write("\t".join(convert(row)) + "\n")


def row_counts(url: str) -> dict[str, int]:
    connection = psycopg2.connect(dsn_for(url))
    with connection.cursor() as cursor:
        counts = {}
        for table, _ in TABLES:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
    connection.close()
    return counts


def vacuum_analyze(url: str) -> None:
    connection = psycopg2.connect(dsn_for(url))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


# --- load ----------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("wrk is missing: apt-get install -y wrk")
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL)
        found = shutil.which("wrk")
    if not found:
        raise SystemExit("The benchmark needs wrk (Debian/Ubuntu: apt-get install wrk).")
    return found


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (127.0.0.1 only)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url} in {seconds} s")


WRK_THREADS = 2


def run_wrk(
    wrk: str, targets: Path, *, once: bool, seconds: int = 0, expected: int = 200, connections: int = CONNECTIONS
) -> dict:
    """One wrk run over the (method, cookie, path, body) lines of ``targets``: each line sent at most
    once (``once``; the run ends when they are used up, bench/wrk.lua) or round and round for
    ``seconds``. req/s is the requests answered over the run's wall time."""
    cap = seconds if not once else ONCE_CAP_SECONDS
    per_thread = -(-connections // WRK_THREADS)
    if once and len(targets.read_text().splitlines()) < 4 * per_thread * WRK_THREADS:
        raise SystemExit(f"{targets.name}: too few lines for one request each at {connections} connections")
    markers = [targets.with_name(f"{targets.name}.done.{i}") for i in range(WRK_THREADS)]
    for marker in markers:
        marker.unlink(missing_ok=True)
    started = time.perf_counter()
    process = subprocess.Popen(
        [wrk, f"-t{WRK_THREADS}", f"-c{connections}", f"-d{cap}s", "--timeout", "60s", "-s", str(BENCH / "wrk.lua"),
         f"http://127.0.0.1:{PORT}", "--", str(targets), "once" if once else "cycle", str(expected),
         str(WRK_THREADS), str(2 * per_thread)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    if once:
        while process.poll() is None and not all(marker.exists() for marker in markers):
            time.sleep(0.01)
        elapsed = time.perf_counter() - started
        process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=cap + 60)
    if process.returncode != 0:
        raise SystemExit(f"wrk failed ({process.returncode}): {stderr[-2000:]}")
    line = next(line for line in stdout.splitlines() if line.startswith("BENCH "))
    result = json.loads(line[len("BENCH ") :])
    if once:
        result["seconds"] = elapsed
    result["rps"] = result["requests"] / result["seconds"]
    return result


def write_targets(path: Path, lines: list[tuple[str, str, str, str]]) -> Path:
    path.write_text("".join("\t".join(line) + "\n" for line in lines))
    return path


def page_lines(page: str, sessions: list[dict]) -> list[tuple[str, str, str, str]]:
    if page == "healthz":
        return [("GET", "", PATHS[page], "")] * len(sessions)
    return [("GET", f"sessionid={s['session']}; csrftoken={s['csrf']}", PATHS[page].format(**s), "") for s in sessions]


def login_lines(sessions: list[dict]) -> list[tuple[str, str, str, str]]:
    # The CSRF form field may carry the cookie's 32-character secret unmasked (Django accepts both).
    return [
        ("POST", f"csrftoken={s['csrf']}", "/logowanie/",
         f"csrfmiddlewaretoken={s['csrf']}&username={s['customer']}&password={BENCH_PASSWORD}")
        for s in sessions
    ]  # fmt: skip


def show(name: str, r: dict) -> None:
    say(
        f"{name:<24} {r['requests']:6d} req {r['rps']:8.1f} req/s  p50 {r['p50_ms']:6.1f} ms"
        f"  p99 {r['p99_ms']:6.1f} ms  unexpected: {r['bad']}  socket errors: {r['socket_errors']}"
    )


def first_views(wrk: str, path: Path, page: str, sessions: list[dict], connections: int = CONNECTIONS) -> dict:
    """``page`` opened once by each of ``sessions``. /healthz has no session, so no first view: it
    runs round and round for SECONDS. Sent once per line, its runs of ~2 s showed a p99 of 3-4 s
    that the same server never shows round and round, which cut the baseline to a third
    (bench/results, 2 December)."""
    targets = write_targets(path, page_lines(page, sessions))
    if page == "healthz":
        return run_wrk(wrk, targets, once=False, seconds=SECONDS, connections=connections)
    return run_wrk(wrk, targets, once=True, connections=connections)


def load(env: dict[str, str], sessions: list[dict], low: list[dict], warm: list[dict], work: Path) -> dict[str, dict]:
    """First views of every page (at CONNECTIONS by ``sessions``, then at LOW_CONNECTIONS by
    ``low``), then repeat views, then logins: all against one gunicorn."""
    wrk = ensure_wrk()
    log = (work / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "ebok.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", str(WORKERS),
         "--worker-class", "sync", "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True,
    )  # fmt: skip
    results: dict[str, dict] = {"load_average": {"before": os.getloadavg()}, "first": {}, "low": {}, "repeat": {}}
    try:
        wait_for(f"http://127.0.0.1:{PORT}/healthz")
        # The workers' own warm-up (imports, compiled templates, connections): sessions set aside
        # for it, never used in the measurement.
        lines = [line for page in PAGES for line in page_lines(page, warm)]
        run_wrk(wrk, write_targets(work / "warm.tsv", lines), once=True)

        say(f"first views: {len(sessions)} sessions, each opens each page once")
        for page in ["healthz", *PAGES, "healthz"]:
            r = first_views(wrk, work / "first.tsv", page, sessions)
            name = "healthz (again)" if page == "healthz" and "healthz" in results["first"] else page
            results["first"][name] = r
            show(f"{name} first", r)

        say(f"first views at {LOW_CONNECTIONS} connections: {len(low)} other sessions, each opens each page once")
        for page in ["healthz", *PAGES]:
            results["low"][page] = r = first_views(wrk, work / "low.tsv", page, low, LOW_CONNECTIONS)
            show(f"{page} first at {LOW_CONNECTIONS}", r)

        say(f"repeat views: the same sessions, round and round for {SECONDS} s per page")
        for page in PAGES:
            targets = write_targets(work / "repeat.tsv", page_lines(page, sessions))
            results["repeat"][page] = r = run_wrk(wrk, targets, once=False, seconds=SECONDS)
            show(f"{page} repeat", r)

        # Last: a login may end nothing, but it adds sessions and login history.
        chosen = sessions[:LOGINS]
        r = run_wrk(wrk, write_targets(work / "login.tsv", login_lines(chosen)), once=True, expected=302)
        results["login"] = r
        show("login (POST, Argon2)", r)
        results["load_average"]["after"] = os.getloadavg()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    return results


# --- the report --------------------------------------------------------------------------------


def server_version(url: str) -> str:
    connection = psycopg2.connect(dsn_for(url))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    connection.close()
    return version


def command() -> str:
    extra = "".join(
        f" {name}={value}"
        for name, value in (("BENCH_REDIS_URL", REDIS_URL), ("BENCH_CUSTOMERS", os.environ.get("BENCH_CUSTOMERS")))
        if value
    )
    return f"make bench SCALE={SCALE}{extra}"


def healthz_rps(load: dict) -> float:
    """/healthz measured at the start and the end of the first views: their mean is the baseline."""
    first = load["first"]
    return (first["healthz"]["rps"] + first["healthz (again)"]["rps"]) / 2


def latest_json(figures: dict) -> dict:
    load, base = figures["load"], healthz_rps(figures["load"])
    imp, copy = figures["import"], figures["copy"]

    def entry(r: dict, page: str | None, healthz: float = base) -> dict:
        q = figures["queries"].get(page, {}) if page else {}
        return {
            "rps": round(r["rps"], 1),
            "p50_ms": round(r["p50_ms"], 1),
            "p99_ms": round(r["p99_ms"], 1),
            "vs_healthz": round(r["rps"] / healthz, 3),
            "queries": max(q.values()) if q else 0,
            "requests": r["requests"],
            "unexpected": r["bad"],
            "socket_errors": r["socket_errors"],
        }

    return {
        "date": figures["date"],
        "commit": figures["commit"],
        "scale": SCALE,
        "sessions": len(figures["sessions"]),
        "connections": CONNECTIONS,
        "workers": WORKERS,
        "cpus": figures["cpus"],
        "load_average": {k: [round(v, 2) for v in values] for k, values in load["load_average"].items()},
        "healthz_rps": round(base, 1),
        "pages": {page: entry(load["first"][page], page) for page in PAGES},
        "first_views_low_concurrency": {
            "connections": LOW_CONNECTIONS,
            "sessions": len(figures["low"]),
            # vs_healthz here: to /healthz at the same concurrency
            "pages": {
                page: entry(load["low"][page], page, load["low"]["healthz"]["rps"]) for page in ["healthz", *PAGES]
            },
        },
        "repeat_views": {page: entry(load["repeat"][page], page) for page in PAGES},
        "healthz": {name: entry(load["first"][name], None) for name in ("healthz", "healthz (again)")},
        "login": entry(load["login"], None),
        "queries_per_history": figures["queries"],
        "import": {
            "seconds": round(imp["seconds"], 2),
            "copy_seconds": round(copy["copy_seconds"], 2),
            "ratio": round(imp["seconds"] / copy["copy_seconds"], 3),
            "peak_rss_mb": round(imp["peak_rss_mb"], 1),
            "idle_django_rss_mb": round(figures["idle"]["peak_rss_mb"], 1),
            "rows": sum(figures["rows"].values()),
        },
    }


def report(figures: dict) -> str:
    imp, copy, idle = figures["import"], figures["copy"], figures["idle"]
    rows = figures["rows"]
    total_rows = sum(rows.values())
    load = figures["load"]
    base = healthz_rps(load)
    sessions = len(figures["sessions"])
    before, after = load["load_average"]["before"], load["load_average"]["after"]
    lines = [
        f"# Benchmark {figures['date']}, SCALE={figures['scale']}{' (' + LABEL + ')' if LABEL else ''}",
        "",
        f"Machine: {figures['cpus']} CPUs, {figures['memory_gb']:.0f} GB RAM; Python {platform.python_version()}, "
        f"PostgreSQL {figures['postgres']}; gunicorn {WORKERS} sync workers; wrk {WRK_THREADS} threads, "
        f"{CONNECTIONS} connections. Cache and sessions: {'Redis ' + REDIS_URL if REDIS_URL else 'the database'}. "
        f"Commit {figures['commit']}. Command: `{command()}`.",
        "",
        f"Load average (1, 5, 15 min) when the load test started: {', '.join(f'{v:.1f}' for v in before)}; "
        f"when it ended: {', '.join(f'{v:.1f}' for v in after)} (the benchmark itself included; above "
        f"{figures['cpus']} other processes competed for the CPUs, which lowers every figure, /healthz "
        "included: compare pages by their ratio to /healthz of the same run).",
        "",
        "## First views (the headline)",
        "",
        f"{sessions:,} logged-in sessions of distinct customers (spread over the customer numbers, "
        "short and long histories), each opening each page exactly once: wrk sends one request per "
        "session and page and ends when they are used up, so no page is ever seen twice by a session "
        "and nothing was viewed before (no prewarm). Each session's first request of a page run may "
        "save the session (its idle timeout moves on after a minute), as in real use. /healthz (no "
        f"session, no database, so no first view) ran round and round for {SECONDS} s before and after "
        f"the pages; the ratio is to the mean of both ({base:.0f} req/s). Before the measurement, "
        f"{len(figures['warm'])} other sessions opened each page once to warm the gunicorn workers "
        "(imports, compiled templates, database connections).",
        "",
        "| page | requests | req/s | p50 | p99 | vs /healthz | SQL queries (long / short history) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def row(name: str, path: str, r: dict, page: str | None) -> str:
        q = figures["queries"].get(page) if page else None
        counts = " / ".join(str(v) for v in q.values()) if q else "0"
        bad = f" ({r['bad']} unexpected!)" if r["bad"] or r["socket_errors"] else ""
        return (
            f"| {name} `{path}` | {r['requests']:,} | {r['rps']:.1f}{bad} | {r['p50_ms']:.1f} ms | "
            f"{r['p99_ms']:.1f} ms | {100 * r['rps'] / base:.0f}% | {counts} |"
        )

    for name in ("healthz", *PAGES, "healthz (again)"):
        lines.append(row(name, PATHS[name.removesuffix(" (again)")], load["first"][name], name))
    low = load["low"]
    lines += [
        "",
        f"## First views at {LOW_CONNECTIONS} connections (latency below saturation)",
        "",
        f"{len(figures['low']):,} further sessions, never used above, each opening each page once at "
        f"{LOW_CONNECTIONS} connections (one request in flight per CPU): the latency of a server that is "
        f"busy but not queueing. At {CONNECTIONS} connections every request waits behind the others "
        f"(Little's law: the mean latency there is {CONNECTIONS} ÷ req/s), so its p99 measures the queue.",
        "",
        "| page | requests | req/s | p50 | p99 | vs /healthz at the same concurrency |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in ("healthz", *PAGES):
        r = low[name]
        lines.append(
            f"| {name} `{PATHS[name]}` | {r['requests']:,} | {r['rps']:.1f} | {r['p50_ms']:.1f} ms | "
            f"{r['p99_ms']:.1f} ms | {100 * r['rps'] / low['healthz']['rps']:.0f}% |"
        )
    lines += [
        "",
        "## Repeat views",
        "",
        f"The same sessions, after their first views, cycling over the page for {SECONDS} s each "
        "(a session sees the page again every few seconds). Nothing is cached per page: a repeat view "
        "renders like a first one, with the database's and the processes' caches warmer.",
        "",
        "| page | requests | req/s | p50 | p99 | vs /healthz | SQL queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in PAGES:
        lines.append(row(page, PATHS[page], load["repeat"][page], page))
    r = load["login"]
    lines += [
        "",
        "## Login",
        "",
        f"The login form POSTed once for each of {r['requests']:,} accounts (the password checked with "
        f"Argon2, a new session, the login history): {r['rps']:.1f} logins/s, p50 {r['p50_ms']:.0f} ms, "
        f"p99 {r['p99_ms']:.0f} ms{' (' + str(r['bad']) + ' not redirected!)' if r['bad'] else ''}"
        f"{' (' + str(r['socket_errors']) + ' timed out or failed)' if r['socket_errors'] else ''}. "
        "Argon2 is slow by design; this is the price of a login, not of a page.",
        "",
        f"SQL queries counted with the Django test client in-process on the bench database for customer "
        f"{figures['long']} ({history_months(int(figures['long']) - 1_000_000)} months of history) and "
        f"{figures['short']} ({history_months(int(figures['short']) - 1_000_000)} months).",
        "",
        "## Import",
        "",
        f"Rows: {total_rows:,} ({', '.join(f'{t} {n:,}' for t, n in rows.items())}); export "
        f"{figures['export_mb']:.0f} MB of CSV, generated in {figures['generate_seconds']:.0f} s.",
        "",
        "| | time | peak RSS (process) | peak RSS over idle Django |",
        "| --- | ---: | ---: | ---: |",
        f"| `manage.py import_billing` | {imp['seconds']:.1f} s | {imp['peak_rss_mb']:.0f} MB | "
        f"{imp['peak_rss_mb'] - idle['peak_rss_mb']:.0f} MB |",
        f"| bare `COPY` (psycopg2 `copy_expert`) | {copy['copy_seconds']:.1f} s | {copy['peak_rss_mb']:.0f} MB | n/a |",
        f"| idle Django process (`manage.py shell -c` + a connection) | {idle['seconds']:.1f} s | "
        f"{idle['peak_rss_mb']:.0f} MB | 0 |",
        f"| **ratio import / COPY** | **{imp['seconds'] / copy['copy_seconds']:.2f}×** | "
        f"{imp['peak_rss_mb'] / copy['peak_rss_mb']:.2f}× | |",
        "",
        "The import's time is the whole command (Django start-up included), into empty tables. The COPY "
        "baseline loads the same rows into the same empty tables (same indexes and constraints) of a "
        "fresh database in one transaction; its time is only the COPY statements and the commit. "
        "Excluded from it: converting the CSVs to COPY text (renamed columns, decimal comma to dot, "
        "empty cells to NULL, the denormalised customer of points and meters, PDF hashing), "
        f"which took {copy['prepare_seconds']:.1f} s in Python. Both databases hold the same row counts.",
        "",
        "Targets (issue #17, at SCALE=100000): every page's first view ≥ 20% of /healthz, p99 < 50 ms at "
        "20 connections, ≤ 10 queries per page at short and long histories; import ≤ 2× COPY with flat "
        "memory.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    started = time.monotonic()
    copy_url = url_with_name(DATABASE_URL, urlparse(DATABASE_URL).path.lstrip("/") + "_copy")
    (BENCH / "work").mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"scale{SCALE}-", dir=BENCH / "work"))
    env = django_env(DATABASE_URL, work)
    figures: dict = {"scale": SCALE, "date": dt.date.today().isoformat(), "cpus": os.cpu_count()}
    figures["commit"] = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    figures["memory_gb"] = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    try:
        say(f"SCALE={SCALE}; work folder {work}")
        for url in (DATABASE_URL, copy_url):
            drop_database(url, recreate=True)
            manage(django_env(url, work), "migrate", "--noinput")
        manage(env, "createcachetable")  # as a deploy does before anything runs
        figures["postgres"] = server_version(DATABASE_URL)

        export = work / "export"
        t = time.perf_counter()
        counts = generate(export, SCALE)
        figures["generate_seconds"] = time.perf_counter() - t
        figures["export_mb"] = sum(f.stat().st_size for f in export.glob("*.csv")) / 1024**2
        say(f"generated {sum(counts.values()):,} rows in {figures['generate_seconds']:.0f} s: {counts}")

        idle = measured(
            [PY, "manage.py", "shell", "-c", "from django.db import connection; connection.ensure_connection()"], env
        )
        figures["idle"] = idle
        say("importing with manage.py import_billing …")
        figures["import"] = measured([PY, "manage.py", "import_billing", str(export), "-v", "0"], env)
        imp = figures["import"]
        say(
            f"import: {imp['seconds']:.1f} s, peak {imp['peak_rss_mb']:.0f} MB"
            f" (idle Django {idle['peak_rss_mb']:.0f} MB)"
        )

        t = time.perf_counter()
        prepare_copy_files(export, work / "copy")
        prepare = time.perf_counter() - t
        tables = [table for table, _ in TABLES]
        copy = measured([PY, str(BENCH / "copy_load.py"), dsn_for(copy_url), str(work / "copy"), *tables], env)
        copy["copy_seconds"] = json.loads(copy["stdout"].strip().splitlines()[0])["seconds"]  # COPY + commit only
        copy["prepare_seconds"] = prepare
        figures["copy"] = copy
        say(
            f"bare COPY: {copy['copy_seconds']:.1f} s, peak {copy['peak_rss_mb']:.0f} MB"
            f" (preparing the files: {prepare:.1f} s)"
        )
        figures["rows"] = row_counts(DATABASE_URL)
        if figures["rows"] != row_counts(copy_url):
            raise SystemExit(f"Row counts differ: import {figures['rows']} vs COPY {row_counts(copy_url)}")
        drop_database(copy_url)
        shutil.rmtree(work / "copy")
        if IMPORT_ONLY:
            say(f"BENCH_IMPORT_ONLY: import / COPY = {imp['seconds'] / copy['copy_seconds']:.2f}x; pages not measured")
            return

        say("cases, messages, accounts and sessions …")
        manage(env, "collectstatic", "--noinput")
        sessions_file = work / "sessions.tsv"
        subprocess.run(
            [PY, str(BENCH / "django_side.py"), "seed", str(SCALE), str(CUSTOMERS), str(sessions_file), BENCH_PASSWORD],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        vacuum_analyze(DATABASE_URL)
        fields = ("session", "customer", "case", "point", "csrf")
        sessions = [dict(zip(fields, line.split("\t"), strict=True)) for line in sessions_file.read_text().splitlines()]
        # Every n-th session warms the workers up; the rest are measured.
        step = max(2, len(sessions) // WARM_SESSIONS)
        figures["warm"] = sessions[::step]
        rest = [s for i, s in enumerate(sessions) if i % step]
        keep = min(LOW_SESSIONS, len(rest) // 10)
        figures["low"], figures["sessions"] = rest[:keep], rest[keep:]

        sample = sample_indexes(SCALE, CUSTOMERS)
        figures["long"] = customer_number(max(sample, key=history_months))
        figures["short"] = customer_number(min(sample, key=history_months))
        out = subprocess.run(
            [PY, str(BENCH / "django_side.py"), "queries", figures["long"], figures["short"]],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        figures["queries"] = json.loads(out.stdout.strip().splitlines()[-1])
        say(f"queries per page (long, short history): {figures['queries']}")

        figures["load"] = load(env, figures["sessions"], figures["low"], figures["warm"], work)

        text = report(figures)
        results = BENCH / "results"
        results.mkdir(exist_ok=True)
        path = results / f"{figures['date']}-scale{SCALE}{'-' + LABEL if LABEL else ''}.md"
        path.write_text(text, encoding="utf-8")
        (results / "latest.json").write_text(json.dumps(latest_json(figures), indent=2) + "\n", encoding="utf-8")
        print()
        print(text)
        say(f"written to {path.relative_to(ROOT)}; {time.monotonic() - started:.0f} s in all")
    finally:
        if KEEP:
            say(f"KEEP=1: the work folder {work} and the database stay")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
