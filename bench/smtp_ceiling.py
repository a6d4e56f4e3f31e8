"""The SMTP server's ceiling for bench/mail_month.py: `smtp_ceiling.py SPOOL PORT`.

Sends every message of SPOOL (written by `mail_side.py spool`: the very bytes the mail worker
sent) with a bare smtplib loop over one connection, nothing else in the loop: no database, no
rendering, no MIME building. Prints JSON: messages and seconds.
"""

from __future__ import annotations

import json
import smtplib
import sys
import time


def messages(path: str):
    with open(path, "rb") as spool:
        while header := spool.readline():
            size, sender, recipients = header.decode().rstrip("\n").split(" ", 2)
            yield sender, recipients.split(","), spool.read(int(size))


def main(path: str, port: int) -> None:
    count = 0
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for sender, recipients, data in messages(path):
            smtp.sendmail(sender, recipients, data)
            count += 1
    print(json.dumps({"messages": count, "seconds": time.perf_counter() - started}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
