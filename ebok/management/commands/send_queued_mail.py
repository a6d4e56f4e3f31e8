"""The mail worker: send the e-mail queued in the outbox.

The outbox rows (ebok.models.OutboundEmail) are the one mail queue. Each round claims a batch of
due rows (PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so several workers take disjoint batches),
sends it over one SMTP connection, and marks each row sent or sets its next attempt (back-off in
ebok.mail.retry_delay). A claim is a lease: the rows of a worker that died come back by
themselves. Run it as a service (it loops, waiting ``--interval`` seconds when nothing is due) or
from cron with ``--once``, which sends everything due and exits.

``--workers N`` (default EBOK_MAIL_WORKERS) starts N such workers as processes of their own and
waits for them (SIGTERM/SIGINT is passed on: each finishes its batch). All of them together keep
to EBOK_MAIL_RATE_PER_MINUTE, counted in the database.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from ebok import mail

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Send the queued e-mail: loop as the mail worker, or --once for cron."
    # The system checks import every view (the URL checks) and run at each start of each worker
    # process (--workers N starts N more): a quarter of a worker's start-up, for checks the web
    # processes and `manage.py check --deploy` run anyway.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Send everything due, then exit.")
        parser.add_argument(
            "--interval", type=float, default=2, help="Seconds to wait when nothing is due (default 2)."
        )
        parser.add_argument(
            "--batch-size", type=int, default=mail.BATCH_SIZE, help=f"Rows per claim (default {mail.BATCH_SIZE})."
        )
        parser.add_argument(
            "--workers", type=int, default=None, help="Worker processes (default: the setting EBOK_MAIL_WORKERS)."
        )

    def handle(
        self,
        *args,
        once: bool = False,
        interval: float = 2,
        batch_size: int = mail.BATCH_SIZE,
        workers: int | None = None,
        **options,
    ):
        workers = settings.EBOK_MAIL_WORKERS if workers is None else workers
        if batch_size < 1 or interval <= 0 or workers < 1:
            raise CommandError("--batch-size and --workers must be at least 1 and --interval above 0.")
        self.verbosity = options["verbosity"]
        if workers > 1:
            self.run_workers(workers, once=once, interval=interval, batch_size=batch_size)
            return
        if once:
            self.report(*mail.deliver_due(batch_size))
            return
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())  # finish the batch in hand, then exit
        while not stop.is_set():
            close_old_connections()  # a worker lives long: drop a connection the database closed
            try:
                claimed, sent, failed = mail.deliver_batch(batch_size)
            except DatabaseError:
                log.exception("mail worker: the database is unavailable, trying again in %s s", interval)
                claimed = 0
            else:
                if claimed:
                    self.report(sent, failed)
            if claimed < batch_size:  # a full batch means more may be due: go on at once
                stop.wait(interval)

    def run_workers(self, workers: int, *, once: bool, interval: float, batch_size: int) -> None:
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "send_queued_mail", "--workers", "1"]
        command += ["--interval", str(interval), "--batch-size", str(batch_size), "-v", str(self.verbosity)]
        command += ["--once"] if once else []
        procs = [subprocess.Popen(command) for _ in range(workers)]  # noqa: S603 (our own command)

        def pass_on(signum, _frame):
            for proc in procs:
                proc.send_signal(signum)

        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, pass_on)
        codes = [proc.wait() for proc in procs]
        if any(codes):
            raise CommandError(f"a mail worker failed (exit codes {codes})")

    def report(self, sent: int, failed: int) -> None:
        if self.verbosity >= 1:
            style = self.style.SUCCESS if not failed else self.style.WARNING
            self.stdout.write(style(f"sent: {sent}, failed: {failed}"))
