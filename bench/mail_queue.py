"""The mail queue at month-end size: queue N notices, then send them with W mail workers.

    createdb -h 127.0.0.1 -U postgres ebok_bench_mail
    DATABASE_URL=postgres://postgres@127.0.0.1/ebok_bench_mail .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1/ebok_bench_mail .venv/bin/python bench/mail_queue.py 100000 2

Mail goes to a local SMTP server (aiosmtpd's Sink, started here), never outside. The workers are
`manage.py send_queued_mail --once` processes, as cron would start them. Refuses a database whose
outbox is not empty, and removes what it queued at the end.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTEXT = {"customer_number": "100001", "reset_url": "https://ebok.example.pl/nie-pamietam-hasla/"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main(count: int, workers: int) -> None:
    port = free_port()
    env = {**os.environ, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "EMAIL_USE_TLS": "0"}
    env.update({"EMAIL_USE_SSL": "0", "LOG_LEVEL": "ERROR", "DEBUG": "1"})
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ebok.settings")
    import django

    django.setup()
    from django.db import transaction

    from ebok import mail
    from ebok.models import OutboundEmail

    if OutboundEmail.objects.exists():
        sys.exit("The outbox of this database is not empty: use a throwaway database (see the docstring).")
    sink = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"]
    )
    try:
        started = time.perf_counter()
        for start in range(0, count, 500):
            with transaction.atomic():
                mail.send_many(
                    [
                        mail.Message("accounts-password-changed", f"k{i}@example.pl", CONTEXT)
                        for i in range(start, min(count, start + 500))
                    ]
                )
        queued = time.perf_counter() - started
        started = time.perf_counter()
        command = [sys.executable, "manage.py", "send_queued_mail", "--once", "-v0"]
        procs = [subprocess.Popen(command, cwd=ROOT, env=env) for _ in range(workers)]  # noqa: S603
        if any(p.wait() for p in procs):
            sys.exit("a worker failed")
        sent = time.perf_counter() - started
        done = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count()
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"{count} e-mails: queued in {queued:.0f} s ({count / queued:.0f}/s, send_many in batches of 500); "
            f"sent by {workers} worker(s) in {sent:.0f} s ({done / sent:.0f}/s); {done} sent; load average {load}"
        )
    finally:
        sink.terminate()
        OutboundEmail.objects.all().delete()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000, int(sys.argv[2]) if len(sys.argv) > 2 else 1)
