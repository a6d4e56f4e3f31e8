"""`make bench`: import speed against a bare COPY, page throughput under load, queries per page.

Steps (each printed as it runs):
1. Fresh PostgreSQL databases BENCH_DATABASE_URL (default ebok_bench) and <name>_copy, migrated.
2. A billing export for SCALE customers (bench/generate.py) under bench/work/.
3. `manage.py import_billing` into the bench database: wall time and peak RSS, and the peak RSS
   of an idle Django process for the increment. Then the same rows, converted to COPY-ready
   files beforehand (not timed), COPYed with psycopg2 into the same, empty tables of the copy
   database: the baseline.
4. Cases and messages (bulk SQL), accounts and sessions for BENCH_CUSTOMERS customers.
5. SQL queries per page for a customer with a long history and one with a short one.
6. gunicorn with production settings on 127.0.0.1:BENCH_PORT, driven by wrk: each page for
   BENCH_SECONDS at BENCH_CONNECTIONS connections after a warm-up, /healthz as the baseline. Before
   the warm-up each customer views the page BENCH_PREWARM times (2): the load is repeat views,
   served by the page cache; a page's first view after a change is what EBOK_PAGE_CACHE=0 measures.
7. The figures on screen and in bench/results/YYYY-MM-DD-scaleN.md.

Only databases whose name starts with ebok_bench are ever created or dropped.

BENCH_IMPORT_ONLY=1: steps 1-3 only, the import against COPY, printed (no results file).

BENCH_REDIS_URL (e.g. redis://127.0.0.1:6379/5): cache and sessions in that Redis database, as with
several app hosts (docs/deployment.md). Nothing in it is removed: the sessions are new, and the
page cache's entries are keyed by session and expire. Unset: the database cache and database
sessions of a single host. EBOK_PAGE_CACHE=0 measures the pages without the page cache.
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
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "300"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
KEEP = os.environ.get("KEEP", "") not in ("", "0")
LABEL = os.environ.get("BENCH_LABEL", "")  # e.g. "before" / "after": a suffix of the results file
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")
# Views of each customer's page before the warm-up: two, as a customer who has opened it before
# (the first view of a case marks it read, so only the second is kept by the page cache).
PREWARM = int(os.environ.get("BENCH_PREWARM", "2"))
PAGE_CACHE = os.environ.get("EBOK_PAGE_CACHE", "1") not in ("", "0")
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
PAGES = ["healthz", "start", "payments", "documents", "meters", "cases", "case detail"]
PATHS = {
    "healthz": "/healthz",
    "start": "/pulpit/",
    "payments": "/platnosci/",
    "documents": "/dokumenty/",
    "meters": "/liczniki/",
    "cases": "/sprawy/",
    "case detail": "/sprawy/{case}/",
}


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


def recreate_database(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    if not name.startswith("ebok_bench"):
        raise SystemExit(f"Refusing to drop {name!r}: the bench only uses databases named ebok_bench*.")
    admin = psycopg2.connect(dsn_for(url, "postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def drop_database(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    assert name.startswith("ebok_bench")
    admin = psycopg2.connect(dsn_for(url, "postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
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
        EBOK_PAGE_CACHE="1" if PAGE_CACHE else "0",
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


def run_wrk(wrk: str, targets: Path, seconds: int) -> dict:
    out = subprocess.run(
        [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "-s", str(BENCH / "wrk.lua"),
         f"http://127.0.0.1:{PORT}", "--", str(targets)],
        check=True, capture_output=True, text=True, timeout=seconds + 60,
    )  # fmt: skip
    line = next(line for line in out.stdout.splitlines() if line.startswith("BENCH "))
    result = json.loads(line[len("BENCH ") :])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def visit_each(targets: Path, times: int) -> None:
    """GET every (Cookie, path) line of ``targets`` ``times`` times, five at a time; each must be a 200."""
    from concurrent.futures import ThreadPoolExecutor

    lines = [line.split("\t") for line in targets.read_text().splitlines()]

    def visit(line: list[str]) -> None:
        cookie, path = line
        request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (127.0.0.1 only)
            if response.status != 200 or response.url != request.full_url:
                raise SystemExit(f"{path}: HTTP {response.status} ({response.url})")
            response.read()

    for _ in range(times):
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            list(pool.map(visit, lines))


def load(env: dict[str, str], sessions: list[tuple[str, ...]], work: Path) -> dict[str, dict]:
    wrk = ensure_wrk()
    log = (work / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "ebok.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", str(WORKERS),
         "--worker-class", "sync", "--access-logfile", "/dev/null"],
        cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True,
    )  # fmt: skip
    results: dict[str, dict] = {"load_average": {"before": os.getloadavg()[0]}}
    try:
        wait_for(f"http://127.0.0.1:{PORT}/healthz")
        for page in PAGES:
            targets = work / f"targets-{page.replace(' ', '-')}.tsv"
            with targets.open("w") as f:
                for session, _customer, case, csrf in sessions:
                    cookie = "" if page == "healthz" else f"sessionid={session}; csrftoken={csrf}"
                    f.write(f"{cookie}\t{PATHS[page].format(case=case)}\n")
            if page != "healthz":
                visit_each(targets, PREWARM)
            run_wrk(wrk, targets, WARMUP)
            results[page] = run_wrk(wrk, targets, SECONDS)
            r = results[page]
            say(
                f"{page:<12} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:6.1f} ms  p99 {r['p99_ms']:6.1f} ms"
                f"  non-200: {r['bad']}"
            )
        results["load_average"]["after"] = os.getloadavg()[0]
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
        for name, value in (("BENCH_REDIS_URL", REDIS_URL), ("EBOK_PAGE_CACHE", "" if PAGE_CACHE else "0"))
        if value
    )
    return f"make bench SCALE={SCALE}{extra}"


def report(figures: dict) -> str:
    imp, copy, idle = figures["import"], figures["copy"], figures["idle"]
    rows = figures["rows"]
    total_rows = sum(rows.values())
    lines = [
        f"# Benchmark {figures['date']}, SCALE={figures['scale']}{' (' + LABEL + ')' if LABEL else ''}",
        "",
        f"Machine: {figures['cpus']} CPUs, {figures['memory_gb']:.0f} GB RAM; Python {platform.python_version()}, "
        f"PostgreSQL {figures['postgres']}; gunicorn {WORKERS} sync workers; wrk 2 threads, "
        f"{CONNECTIONS} connections, {SECONDS} s per page after {WARMUP} s warm-up (before it, each customer's "
        f"page viewed {PREWARM} times), "
        f"{len(figures['sessions'])} distinct logged-in customers. Cache and sessions: "
        f"{'Redis ' + REDIS_URL if REDIS_URL else 'the database'}; page cache {'on' if PAGE_CACHE else 'off'}. "
        f"Command: `{command()}`.",
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
        "## Pages under load",
        "",
        "| page | req/s | p50 | p99 | vs /healthz | SQL queries: render (long / short history) | first view "
        "(rendered, stored) | cached view |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    base = figures["load"]["healthz"]["rps"]
    load_average = figures["load"]["load_average"]
    for page in PAGES:
        r = figures["load"][page]
        q = figures["queries"].get(page)

        def counts(state: str, q=q) -> str:
            if not q:
                return "0"
            return " / ".join(str(v) for v in q[state].values()) if PAGE_CACHE or state == "render" else "n/a"

        bad = f" ({r['bad']} non-200!)" if r["bad"] else ""
        lines.append(
            f"| {page} `{PATHS[page]}` | {r['rps']:.1f}{bad} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | "
            f"{100 * r['rps'] / base:.0f}% | {counts('render')} | {counts('stored')} | {counts('hit')} |"
        )
    lines += [
        "",
        f"Queries counted with the Django test client in-process on the bench database for customer "
        f"{figures['long']} ({history_months(int(figures['long']) - 1_000_000)} months of history) and "
        f"{figures['short']} ({history_months(int(figures['short']) - 1_000_000)} months): the page rendered "
        "(page cache off); its first view after a change, rendered and stored in the page cache (the login "
        "read again, and with the database cache the cache's own statements); a repeat view served from "
        "the page cache (ebok.pagecache: the session, the login, the cache read; with Redis only the login "
        "is SQL). Under wrk each customer's first view of a page renders it, the repeat views come from "
        "the page cache.",
        "",
        f"Load average (1 min) of the machine when the load test started: {load_average['before']:.1f}, "
        f"when it ended: {load_average['after']:.1f} "
        f"(the benchmark itself included; anything far above {figures['cpus']} means other processes competed for "
        "the CPUs, which lowers every figure above, /healthz included).",
        "",
        "Targets: import ≤ 2× COPY with flat memory; every page ≥ 30% of /healthz, p99 < 50 ms at 20 "
        "connections (at SCALE=100000); ≤ 10 queries per page.",
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
    figures["memory_gb"] = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    try:
        say(f"SCALE={SCALE}; work folder {work}")
        for url in (DATABASE_URL, copy_url):
            recreate_database(url)
            manage(django_env(url, work), "migrate", "--noinput")
        manage(env, "createcachetable")  # as a deploy does before anything runs (the import bumps the page cache)
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
            [PY, str(BENCH / "django_side.py"), "seed", str(SCALE), str(CUSTOMERS), str(sessions_file)],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        vacuum_analyze(DATABASE_URL)
        sessions = [tuple(line.split("\t")) for line in sessions_file.read_text().splitlines()]
        figures["sessions"] = sessions

        sample = sample_indexes(SCALE, CUSTOMERS)
        figures["long"] = customer_number(max(sample, key=history_months))
        figures["short"] = customer_number(min(sample, key=history_months))
        out = subprocess.run(
            [PY, str(BENCH / "django_side.py"), "queries", figures["long"], figures["short"]],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        figures["queries"] = json.loads(out.stdout.strip().splitlines()[-1])
        say(f"queries per page (render / cached view; long, short history): {figures['queries']}")

        figures["load"] = load(env, sessions, work)

        text = report(figures)
        results = BENCH / "results"
        results.mkdir(exist_ok=True)
        path = results / f"{figures['date']}-scale{SCALE}{'-' + LABEL if LABEL else ''}.md"
        path.write_text(text, encoding="utf-8")
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
