"""The mail worker: send the e-mail queued in the outbox.

The outbox rows (ebok.models.OutboundEmail) are the one mail queue. Each round claims a batch of
due rows (PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so several workers take disjoint batches),
sends it over one SMTP connection, and marks each row sent or sets its next attempt (back-off in
ebok.mail.retry_delay). A claim is a lease: the rows of a worker that died come back by
themselves. Run it as a service (it loops, waiting ``--interval`` seconds when nothing is due) or
from cron with ``--once``, which sends everything due and exits.
"""

from __future__ import annotations

import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from ebok import mail

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Send the queued e-mail: loop as the mail worker, or --once for cron."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Send everything due, then exit.")
        parser.add_argument(
            "--interval", type=float, default=2, help="Seconds to wait when nothing is due (default 2)."
        )
        parser.add_argument(
            "--batch-size", type=int, default=mail.BATCH_SIZE, help=f"Rows per claim (default {mail.BATCH_SIZE})."
        )

    def handle(self, *args, once: bool = False, interval: float = 2, batch_size: int = mail.BATCH_SIZE, **options):
        if batch_size < 1 or interval <= 0:
            raise CommandError("--batch-size must be at least 1 and --interval above 0.")
        self.verbosity = options["verbosity"]
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

    def report(self, sent: int, failed: int) -> None:
        if self.verbosity >= 1:
            style = self.style.SUCCESS if not failed else self.style.WARNING
            self.stdout.write(style(f"sent: {sent}, failed: {failed}"))
