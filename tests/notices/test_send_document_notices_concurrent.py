"""Two `send_document_notices` at the same moment (cron and an import's hook) send each customer once.

Runs on PostgreSQL (CI): SQLite serialises writers with a file lock, so there is no race to show.
"""

import pytest
from django.db import connection
from django.utils import timezone

from ebok.mail import deliver_due
from ebok.models import OutboundEmail
from notices.models import DocumentNotice
from notices.services import send_document_notices
from tests import factories
from tests.threads import run_at_once


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_queue_one_email_per_customer():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real concurrent transactions (CI runs it)")
    for i in range(6):
        customer = factories.make_customer(f"4000{i:02d}")
        factories.make_user(customer, email=f"k{i}@example.pl")
        factories.make_document(customer, f"FV/{customer.number}/1", imported_at=timezone.now())
    results = run_at_once(lambda: send_document_notices(batch_size=2), 3)
    assert sum(results) == 6
    assert OutboundEmail.objects.filter(template="notices-documents").count() == 6
    assert DocumentNotice.objects.count() == 6
    assert deliver_due() == (6, 0)
