"""A counting SMTP sink on loopback for bench/mail_month.py: `smtp_counter.py PORT OUT.json`.

aiosmtpd in a process of its own. It keeps no bodies: per message it counts the message, its
bytes and recipients, and remembers the Message-ID (to count duplicates). On SIGTERM it writes the
counts, the time from the first to the last message and its own peak RSS to OUT.json.
"""

from __future__ import annotations

import json
import re
import resource
import signal
import sys
import threading
import time

from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


class Counter:
    def __init__(self):
        self.messages = 0
        self.bytes = 0
        self.recipients = 0
        self.ids: set[bytes] = set()
        self.duplicates = 0
        self.first = self.last = None

    async def handle_DATA(self, server, session, envelope):
        now = time.monotonic()
        self.first = self.first or now
        self.last = now
        content = envelope.original_content or envelope.content
        self.messages += 1
        self.bytes += len(content)
        self.recipients += len(envelope.rcpt_tos)
        head = content[: content.find(b"\r\n\r\n")]
        found = MESSAGE_ID.search(head)
        if found:
            if found.group(1) in self.ids:
                self.duplicates += 1
            self.ids.add(found.group(1))
        return "250 OK"


def main(port: int, out: str) -> None:
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port, data_size_limit=64 * 1024 * 1024)
    controller.start()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    controller.stop()
    span = (counter.last - counter.first) if counter.first else 0.0
    result = {
        "messages": counter.messages,
        "bytes": counter.bytes,
        "recipients": counter.recipients,
        "distinct_message_ids": len(counter.ids),
        "duplicates": counter.duplicates,
        "first_to_last_seconds": span,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    with open(out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
