"""Run a function in several threads that start at the same moment, as concurrent processes would."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections


def run_at_once(target: Callable[[], object], count: int) -> list:
    """Each thread gets its own database connection; returns the results, raises the first error."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:  # re-raised below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
