"""One customer's history for the browser tests: every customer page has something on it."""

from __future__ import annotations

import datetime as dt

from tests import factories


def fill(customer) -> dict:
    objects = factories.make_history(customer, 26, start=dt.date(2024, 10, 1))
    meter = objects["meter"]
    meter.legalisation_until = dt.date(2027, 1, 31)
    meter.save()
    factories.make_document(
        customer, "FV/2026/11/BIG", gross="12000.00", issue_date=dt.date(2026, 11, 10), pdf="pdf/big.pdf"
    )
    factories.make_other_document(
        customer, title=f"Umowa kompleksowa {objects['contract'].number}", pdf=factories.write_pdf("pdf/umowa.pdf")
    )
    return objects
