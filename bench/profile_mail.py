"""The mail worker's cost per message, in this process: `bench/profile_mail.py [--profile]`.

On the database a `KEEP=1 make bench-mail` run leaves (it prints its work folder), this puts the
sent outbox rows back in the queue (pending, due now, no attempts), starts the bench's counting
SMTP server on loopback (bench/smtp_counter.py) and runs the worker's `deliver_due()` here, as
`send_queued_mail --once` does, without the process start-up. Printed: messages, wall and CPU
milliseconds a message, SQL queries a batch; with --profile, cProfile's top functions too.

    BENCH_MAIL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ebok_mailbench \\
    PRIVATE_ROOT=bench/work/mail-scale2000-XXXX/private .venv/bin/python bench/profile_mail.py --profile

Only a database whose name starts with ebok_mailbench or ebok_bench is touched.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))
from mail_month import free_port  # noqa: E402
from run import django_env  # noqa: E402

URL = os.environ.get("BENCH_MAIL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ebok_mailbench")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", action="store_true", help="cProfile the delivery: its top 40 functions")
    parser.add_argument("--sort", default="tottime", help="cProfile's order (default tottime; e.g. cumulative)")
    parser.add_argument("--limit", type=int, default=0, help="re-queue at most this many rows (0: all)")
    args = parser.parse_args()
    if not urlparse(URL).path.lstrip("/").startswith(("ebok_mailbench", "ebok_bench")):
        raise SystemExit("Only a bench database (ebok_mailbench*, ebok_bench*).")
    private = os.environ.get("PRIVATE_ROOT")
    if not private:
        raise SystemExit("PRIVATE_ROOT: the private folder of the kept bench run's work folder.")
    port = free_port()
    env = django_env(URL, Path(tempfile.mkdtemp()))
    env.update(
        PRIVATE_ROOT=private,
        LOG_LEVEL="ERROR",
        EBOK_MAIL_RATE_PER_MINUTE="0",
        DEFAULT_FROM_EMAIL="eBOK MPEC <ebok@mpec.example.pl>",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        EMAIL_USE_TLS="0",
    )
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from ebok import mail
    from ebok.models import OutboundEmail

    rows = OutboundEmail.objects.order_by("pk")
    if args.limit:
        rows = rows.filter(pk__in=list(rows.values_list("pk", flat=True)[: args.limit]))
    queued = rows.update(status="pending", next_attempt_at=timezone.now(), attempts=0, claim="", sent_at=None)
    out = Path(tempfile.mkdtemp()) / "smtp.json"
    counter = [sys.executable, str(BENCH / "smtp_counter.py"), str(port), str(out)]
    server = subprocess.Popen(counter, stdout=subprocess.PIPE, text=True)  # noqa: S603
    assert server.stdout.readline().strip() == "ready"
    profile = cProfile.Profile() if args.profile else None
    try:
        with CaptureQueriesContext(connection) as queries:
            wall, cpu = time.perf_counter(), time.process_time()
            if profile:
                profile.enable()
            sent, failed = mail.deliver_due()
            if profile:
                profile.disable()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        server.terminate()
        server.wait()
    received = json.loads(out.read_text())
    batches = -(-queued // mail.BATCH_SIZE)
    print(
        f"{queued} queued, {sent} sent, {failed} failed, {received['messages']} received; "
        f"{1000 * wall / max(1, sent):.2f} ms wall, {1000 * cpu / max(1, sent):.2f} ms CPU a message; "
        f"{len(queries) / max(1, batches):.1f} queries a batch of {mail.BATCH_SIZE}"
    )
    if profile:
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats(args.sort).print_stats(40)
        print(text.getvalue())


if __name__ == "__main__":
    main()
