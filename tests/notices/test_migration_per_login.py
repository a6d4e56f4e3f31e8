"""Migrations notices/0002-0004 (#12): each record so far goes to its customer's właściciel, on
SQLite and PostgreSQL alike; a record whose customer has no login left is dropped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("notices", "0001_document_notices_and_reminders"), ("accounts", "0011_attempt_login_length")]
AFTER = [("notices", "0004_notices_per_login")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_records_go_to_the_customers_owner_login():
    apps = migrate(BEFORE)
    Customer = apps.get_model("billing", "Customer")
    User = apps.get_model("accounts", "User")
    Access = apps.get_model("accounts", "CustomerAccess")
    Document = apps.get_model("billing", "Document")
    Notice = apps.get_model("notices", "DocumentNotice")
    Reminder = apps.get_model("notices", "PaymentReminder")
    for number in ("800001", "800002", "800003"):
        customer = Customer.objects.create(number=number, kind="osoba", name="X")
        doc = Document.objects.create(
            number=f"FV/{number}",
            customer=customer,
            kind="faktura",
            issue_date=dt.date(2026, 10, 1),
            due_date=dt.date(2026, 10, 15),
            net="1.00",
            vat="0.00",
            gross="1.00",
        )
        Notice.objects.create(customer=customer, document=doc)
        Reminder.objects.create(customer=customer, document=doc, rest="1.00")
    owner = User.objects.create(username="800001", customer_id="800001")
    Access.objects.create(user=owner, customer_id="800001", role="owner", source="registration")
    registered = User.objects.create(username="800002", customer_id="800002")  # no access row: its own login
    # 800003 has no login left.
    try:
        apps = migrate(AFTER)
        Notice = apps.get_model("notices", "DocumentNotice")
        Reminder = apps.get_model("notices", "PaymentReminder")
        for model in (Notice, Reminder):
            assert sorted(model.objects.values_list("customer_id", "user_id")) == [
                ("800001", owner.pk),
                ("800002", registered.pk),
            ]
    finally:
        # Leave the schema as the other tests expect it (the flush of transaction=True empties the rows).
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
