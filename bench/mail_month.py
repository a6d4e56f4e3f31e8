"""`make bench-mail`: month-end at utility scale (issue #15), on PostgreSQL.

Steps (each printed as it runs):
1. A fresh database BENCH_MAIL_DATABASE_URL (default ebok_mailbench), migrated; the full billing
   export for SCALE customers (bench/generate.py) imported with `import_billing`; an account for
   every customer, BENCH_EINVOICE_PERCENT (60) % of them with the e-invoice consent.
2. A month's delta export: per customer one new invoice with its own ~50 kB PDF, a payment and
   the readings of each meter (bench/generate.py generate_delta).
3. Timed, each a process of its own (wall time and peak RSS, bench/measure.py):
   - the delta import (`import_billing` with the notices' listener off, bench/mail_side.py);
   - the notices (`manage.py send_document_notices`);
   - delivery: `manage.py send_queued_mail --once --workers BENCH_MAIL_WORKERS` (default 3) to a
     counting aiosmtpd server on loopback, a process of its own that keeps no bodies
     (bench/smtp_counter.py); it also counts duplicate Message-IDs.
4. The server's ceiling: the very bytes the workers sent (spooled beforehand, not timed) sent by
   a bare smtplib loop over one connection (bench/smtp_ceiling.py) to a fresh counting server;
   a rate, so measured on every n-th message (the same mix), at most BENCH_CEILING_SAMPLE (20000).
5. The figures on screen, in bench/results/YYYY-MM-DD-mail-scaleN.md and as the `mail` section
   of bench/results/latest.json (the rest of that file is kept).

SCALE (default 100000). BENCH_MAIL_DKIM=1 signs with a throwaway DKIM key (dkimpy, see the
report for its cost). KEEP=1 keeps the work folder and the database. Only a database whose name
starts with ebok_mailbench or ebok_bench is ever dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PY = sys.executable
sys.path.insert(0, str(BENCH))

from generate import generate, generate_delta  # noqa: E402
from run import django_env, drop_database, dsn_for, measured, say, server_version  # noqa: E402

SCALE = int(os.environ.get("SCALE", "100000"))
DATABASE_URL = os.environ.get("BENCH_MAIL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ebok_mailbench")
WORKERS = int(os.environ.get("BENCH_MAIL_WORKERS", "3"))  # more than the CPUs: a worker waits on replies
BATCH = int(os.environ.get("BENCH_MAIL_BATCH", "200"))
PERCENT = int(os.environ.get("BENCH_EINVOICE_PERCENT", "60"))
PDF_BYTES = int(os.environ.get("BENCH_PDF_BYTES", "50000"))
DKIM = os.environ.get("BENCH_MAIL_DKIM", "") not in ("", "0")
KEEP = os.environ.get("KEEP", "") not in ("", "0")
END_TO_END_TARGET = 30 * 60
CEILING_TARGET = 0.5
# The ceiling is a rate: measured on every n-th of the sent messages (the same mix), at most this
# many, so that building the spool and the loop do not double the run at SCALE=100000.
CEILING_SAMPLE = int(os.environ.get("BENCH_CEILING_SAMPLE", "20000"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpCounter:
    """bench/smtp_counter.py on a free port; ``stop()`` returns its counts."""

    def __init__(self, work: Path, name: str):
        self.port = free_port()
        self.out = work / f"smtp-{name}.json"
        self.proc = subprocess.Popen(  # noqa: S603
            [PY, str(BENCH / "smtp_counter.py"), str(self.port), str(self.out)], stdout=subprocess.PIPE, text=True
        )
        assert self.proc.stdout.readline().strip() == "ready"

    def stop(self) -> dict:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=120)
        return json.loads(self.out.read_text())


def side(env: dict, *args: str) -> dict:
    out = subprocess.run(
        [PY, str(BENCH / "mail_side.py"), *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def loadavg() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    started = time.monotonic()
    (BENCH / "work").mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"mail-scale{SCALE}-", dir=BENCH / "work"))
    env = django_env(DATABASE_URL, work)
    env.update(LOG_LEVEL="ERROR", EBOK_MAIL_RATE_PER_MINUTE="0", DEFAULT_FROM_EMAIL="eBOK MPEC <ebok@mpec.example.pl>")
    f: dict = {"scale": SCALE, "date": dt.date.today().isoformat(), "cpus": os.cpu_count(), "workers": WORKERS}
    f["commit"] = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    f["batch_size"], f["einvoice_percent"], f["pdf_bytes"], f["dkim"] = BATCH, PERCENT, PDF_BYTES, DKIM
    f["load_average_start"] = loadavg()
    try:
        say(f"SCALE={SCALE}; work folder {work}; load average {f['load_average_start']}")
        drop_database(DATABASE_URL, recreate=True, prefixes=("ebok_mailbench", "ebok_bench"))
        subprocess.run(
            [PY, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
        subprocess.run([PY, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
        f["postgres"] = server_version(DATABASE_URL)
        if DKIM:
            key = work / "dkim.pem"
            subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True)
            env.update(EBOK_DKIM_SELECTOR="bench", EBOK_DKIM_DOMAIN="mpec.example.pl", EBOK_DKIM_KEY_FILE=str(key))

        export = work / "export"
        t = time.perf_counter()
        counts = generate(export, SCALE)
        say(f"full export: {sum(counts.values()):,} rows in {time.perf_counter() - t:.0f} s; importing it …")
        full = measured([PY, "manage.py", "import_billing", str(export), "-v", "0"], env)
        f["full_import"] = {"seconds": full["seconds"], "rows": sum(counts.values())}
        shutil.rmtree(export)
        say(f"full import: {full['seconds']:.0f} s; accounts …")
        t = time.perf_counter()
        side(env, "accounts", str(PERCENT))
        f["accounts_seconds"] = time.perf_counter() - t

        delta = work / "delta"
        t = time.perf_counter()
        f["delta_rows"] = generate_delta(delta, SCALE, PDF_BYTES)
        f["delta_mb"] = sum(p.stat().st_size for p in delta.rglob("*") if p.is_file()) / 1024**2
        say(f"delta export: {f['delta_rows']}, {f['delta_mb']:.0f} MB in {time.perf_counter() - t:.0f} s")
        subprocess.run(["psql", dsn_for(DATABASE_URL), "-qc", "VACUUM ANALYZE"], check=True)

        idle = measured(
            [PY, "manage.py", "shell", "-c", "from django.db import connection; connection.ensure_connection()"], env
        )
        f["idle_rss_mb"] = idle["peak_rss_mb"]
        say("delta import …")
        f["delta_import"] = measured([PY, str(BENCH / "mail_side.py"), "import", str(delta)], env)
        say(
            f"delta import: {f['delta_import']['seconds']:.1f} s, "
            f"peak {f['delta_import']['peak_rss_mb']:.0f} MB; notices …"
        )
        f["notices"] = measured([PY, "manage.py", "send_document_notices", "-v", "0"], env)
        f["queued"] = side(env, "status")
        say(f"notices: {f['notices']['seconds']:.1f} s, peak {f['notices']['peak_rss_mb']:.0f} MB; {f['queued']}")

        server = SmtpCounter(work, "delivery")
        mail_env = {**env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(server.port), "EMAIL_USE_TLS": "0"}
        say(f"delivery with {WORKERS} worker(s) …")
        command = [PY, "manage.py", "send_queued_mail", "--once", "--workers", str(WORKERS), "--batch-size", str(BATCH)]
        f["delivery"] = measured([*command, "-v", "0"], mail_env)
        f["delivery"]["server"] = server.stop()
        f["delivered"] = side(env, "status")
        d = f["delivery"]
        d["messages_per_second"] = d["server"]["messages"] / d["seconds"]
        say(f"delivery: {d['seconds']:.1f} s, {d['messages_per_second']:.0f} messages/s; server {d['server']}")

        every = -(-d["server"]["messages"] // CEILING_SAMPLE)  # ceil: at most CEILING_SAMPLE messages
        f["ceiling_every"] = every
        say(f"spooling every {every}. of the same messages for the ceiling (not timed) …")
        spool = work / "spool.bin"
        f["spooled"] = side(mail_env, "spool", str(spool), str(every))["spooled"]
        server = SmtpCounter(work, "ceiling")
        ceiling = measured([PY, str(BENCH / "smtp_ceiling.py"), str(spool), str(server.port)], env)
        ceiling["server"] = server.stop()
        spool.unlink()
        c = f["ceiling"] = ceiling
        c["messages_per_second"] = c["server"]["messages"] / c["seconds"]
        f["ratio"] = d["messages_per_second"] / c["messages_per_second"]
        f["end_to_end_seconds"] = f["delta_import"]["seconds"] + f["notices"]["seconds"] + d["seconds"]
        f["load_average_end"] = loadavg()
        say(f"ceiling: {c['seconds']:.1f} s, {c['messages_per_second']:.0f} messages/s; ratio {f['ratio']:.2f}")

        text = report(f)
        results = BENCH / "results"
        results.mkdir(exist_ok=True)
        path = results / f"{f['date']}-mail-scale{SCALE}.md"
        path.write_text(text, encoding="utf-8")
        latest = results / "latest.json"
        data = json.loads(latest.read_text()) if latest.exists() else {}
        data["mail"] = summary(f)
        latest.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print()
        print(text)
        say(f"written to {path.relative_to(ROOT)} and latest.json (mail); {time.monotonic() - started:.0f} s in all")
    finally:
        if KEEP:
            say(f"KEEP=1: the work folder {work} and the database stay")
        else:
            shutil.rmtree(work, ignore_errors=True)


def summary(f: dict) -> dict:
    d, c = f["delivery"], f["ceiling"]
    return {
        "date": f["date"],
        "commit": f["commit"],
        "scale": f["scale"],
        "cpus": f["cpus"],
        "workers": f["workers"],
        "batch_size": f["batch_size"],
        "einvoice_percent": f["einvoice_percent"],
        "dkim": f["dkim"],
        "load_average_start": f["load_average_start"],
        "load_average_end": f["load_average_end"],
        "messages": d["server"]["messages"],
        "duplicates": d["server"]["duplicates"],
        "delta_import_seconds": round(f["delta_import"]["seconds"], 1),
        "notices_seconds": round(f["notices"]["seconds"], 1),
        "delivery_seconds": round(d["seconds"], 1),
        "delivery_messages_per_second": round(d["messages_per_second"], 1),
        "ceiling_messages_per_second": round(c["messages_per_second"], 1),
        "delivery_to_ceiling": round(f["ratio"], 3),
        "end_to_end_seconds": round(f["end_to_end_seconds"], 1),
        "cpu_seconds": {
            "delta_import": round(f["delta_import"]["cpu_seconds"], 1),
            "notices": round(f["notices"]["cpu_seconds"], 1),
            "mail_workers": round(d["cpu_seconds"], 1),
            "ceiling_loop": round(c["cpu_seconds"], 1),
        },
        "peak_rss_mb": {
            "idle_django": round(f["idle_rss_mb"], 1),
            "delta_import": round(f["delta_import"]["peak_rss_mb"], 1),
            "notices": round(f["notices"]["peak_rss_mb"], 1),
            "mail_worker": round(d["peak_rss_mb"], 1),
            "smtp_server_delivery": round(d["server"]["peak_rss_mb"], 1),
            "ceiling_loop": round(c["peak_rss_mb"], 1),
            "smtp_server_ceiling": round(c["server"]["peak_rss_mb"], 1),
        },
    }


def report(f: dict) -> str:
    s = summary(f)
    d, c, rss = f["delivery"], f["ceiling"], s["peak_rss_mb"]
    ok = lambda good: "met" if good else "NOT met"  # noqa: E731
    gb = d["server"]["bytes"] / 1024**3
    lines = [
        f"# Month-end mail benchmark {f['date']}, SCALE={f['scale']}",
        "",
        f"`make bench-mail SCALE={f['scale']}` at commit {f['commit']}, PostgreSQL {f['postgres']}, "
        f"{f['cpus']} CPUs shared with other work (load average at the start {f['load_average_start']}, "
        f"at the end {f['load_average_end']}).",
        "",
        f"Database: the full export of {f['scale']:,} customers ({f['full_import']['rows']:,} rows, imported in "
        f"{f['full_import']['seconds']:.0f} s, not part of the figures), an account for every customer, "
        f"{f['einvoice_percent']} % with the e-invoice consent. Delta: {f['delta_rows']} "
        f"({f['delta_mb']:.0f} MB with one PDF of {f['pdf_bytes'] // 1000} kB per invoice). "
        f"Outbox after the notices: {f['queued']}. "
        f"Delivery: {f['workers']} worker processes (`send_queued_mail --once --workers {f['workers']}`, "
        f"batches of {f['batch_size']}, one SMTP connection per batch), DKIM {'on' if f['dkim'] else 'off'}.",
        "",
        "| step | wall time | peak RSS |",
        "| --- | ---: | ---: |",
        f"| delta import (`import_billing`) | {s['delta_import_seconds']:.1f} s | {rss['delta_import']:.0f} MB |",
        f"| notices (`send_document_notices`) | {s['notices_seconds']:.1f} s | {rss['notices']:.0f} MB |",
        f"| delivery ({d['server']['messages']:,} messages, {gb:.2f} GB) | {s['delivery_seconds']:.1f} s | "
        f"{rss['mail_worker']:.0f} MB per worker; SMTP server {rss['smtp_server_delivery']:.0f} MB |",
        f"| **end to end** (import + notices + delivery) | **{s['end_to_end_seconds']:.0f} s** "
        f"({s['end_to_end_seconds'] / 60:.1f} min) | |",
        f"| ceiling: bare smtplib loop, one connection, the same bytes of every {f['ceiling_every']}. message "
        f"({c['server']['messages']:,}) | {c['seconds']:.1f} s | "
        f"{rss['ceiling_loop']:.0f} MB; SMTP server {rss['smtp_server_ceiling']:.0f} MB |",
        "",
        f"Idle Django process: {rss['idle_django']:.0f} MB. CPU time (user + system): delta import "
        f"{s['cpu_seconds']['delta_import']:.0f} s, notices {s['cpu_seconds']['notices']:.0f} s, mail workers "
        f"{s['cpu_seconds']['mail_workers']:.0f} s together "
        f"({1000 * s['cpu_seconds']['mail_workers'] / max(1, d['server']['messages']):.1f} ms a message), "
        f"ceiling loop {1000 * s['cpu_seconds']['ceiling_loop'] / max(1, c['server']['messages']):.1f} ms a message. "
        f"The SMTP server received the delivered messages within {d['server']['first_to_last_seconds']:.1f} s "
        f"of the first (the rest of the delivery's time is the workers' start-up).",
        "",
        f"- Delivery: **{s['delivery_messages_per_second']:.0f} messages/s**; ceiling "
        f"{s['ceiling_messages_per_second']:.0f} messages/s; **ratio {s['delivery_to_ceiling']:.2f}** "
        f"(target ≥ {CEILING_TARGET:.2f}: {ok(s['delivery_to_ceiling'] >= CEILING_TARGET)}).",
        f"- End to end {s['end_to_end_seconds'] / 60:.1f} min (target well under 30 min: "
        f"{ok(s['end_to_end_seconds'] < END_TO_END_TARGET)}).",
        f"- Received by the server: {d['server']['messages']:,} messages, {d['server']['distinct_message_ids']:,} "
        f"distinct Message-IDs, {d['server']['duplicates']} duplicates; "
        f"outbox after delivery: {f['delivered']['status']}.",
        "",
        "Memory is flat when the peak RSS figures stay the same at every SCALE (compare the "
        "SCALE=2000 run in bench/results/); the worker holds one batch, the notices one batch of customers.",
        "",
        "In production the notices run inside `import_billing` (billing.signals.import_committed); here "
        "the listener is off during the import so that each step has its own time and memory.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
