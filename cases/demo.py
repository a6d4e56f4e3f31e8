"""Demo cases for `make run`: a few cases in each status, some with staff replies not yet read.

Idempotent: a customer who already has a case is left alone. Works with whatever customers the
demo export created (the first few by number). No e-mail is sent: the rows are made directly.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from billing.models import Customer
from cases.models import Case, CaseNumberCounter, CaseType, Message

CUSTOMERS = 3

# (type, subject, status, [(from_staff, body, read)], days ago)
STORIES = [
    (
        "Ekonomiczne",
        "test ekon",
        Case.Status.CLOSED,
        [
            (False, "Proszę o wyjaśnienie naliczenia opłaty stałej na ostatniej fakturze.", None),
            (True, "Opłata stała wynika z mocy zamówionej w umowie; szczegóły w taryfie w zakładce Dokumenty.", True),
        ],
        210,
    ),
    (
        "Reklamacja",
        "Reklamacja faktury za październik",
        Case.Status.IN_PROGRESS,
        [
            (False, "Faktura za październik zawiera zużycie wyższe niż odczyt z licznika.", None),
            (True, "Dziękujemy, sprawdzamy odczyt. Odpowiemy w ciągu 14 dni.", False),
        ],
        6,
    ),
    (
        "Techniczne",
        "Brak ciepłej wody w budynku",
        Case.Status.NEW,
        [(False, "Od wczoraj w budynku nie ma ciepłej wody użytkowej.", None)],
        1,
    ),
    (
        "Inne",
        "Zmiana adresu korespondencyjnego",
        Case.Status.CLOSED,
        [
            (False, "Proszę o zmianę adresu do korespondencji.", None),
            (True, "Adres został zmieniony.", False),
        ],
        40,
    ),
]


@transaction.atomic
def seed() -> int:
    """Create the demo cases; return how many were created."""
    types = {t.name: t for t in CaseType.objects.all()}
    created = 0
    now = timezone.now()
    for customer in Customer.objects.order_by("number")[:CUSTOMERS]:
        if Case.objects.filter(customer=customer).exists():
            continue
        user = getattr(customer, "user", None)
        point = customer.delivery_points.order_by("code").first()
        for type_name, subject, status, thread, days_ago in STORIES:
            when = now - timedelta(days=days_ago)
            case = Case.objects.create(
                number=CaseNumberCounter.next_number(timezone.localtime(when).year),
                customer=customer,
                type=types.get(type_name) or CaseType.objects.order_by("order").first(),
                subject=subject,
                delivery_point=point if type_name == "Techniczne" else None,
                status=status,
                created_at=when,
                last_message_at=when,
                waiting_for_staff=not thread[-1][0],
            )
            for hours, (from_staff, body, read) in enumerate(thread):
                at = when + timedelta(hours=4 * hours)
                Message.objects.create(
                    case=case,
                    from_staff=from_staff,
                    author=None if from_staff else user,
                    body=body,
                    created_at=at,
                    read_at=at + timedelta(hours=1) if read else None,
                )
            created += 1
    return created
