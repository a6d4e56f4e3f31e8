"""A customer whose data stresses page widths: long names, addresses, subjects and file names,
unbroken tokens (KSeF numbers, URLs, e-mail addresses), seven-digit amounts, and many rows.

Used by the 390 px test of every page; each value is as long as a real one can be.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from django.utils import timezone

from accounts.models import ConsentEvent, LoginEvent
from accounts.services import issue_token
from billing.models import Document
from cases.models import Attachment, Case
from meters.models import Meter, SelfReading
from outages import services as outage_services
from outages.models import AffectedStreet, Interruption
from tests import factories

LONG_NAME = (
    "Spółdzielnia Mieszkaniowa Lokatorsko-Własnościowa „Zacisze-Przedmieście Południowe” im. Kazimierza Wielkiego"
)
LONG_STREET = "ul. Generała Władysława Sikorskiego-Andersa 125/37A lok. 12"
LONG_CITY = "Mielec-Przedmieście Południowe"
LONG_EMAIL = "administracja.osiedla.zacisze-przedmiescie@spoldzielnia-mieszkaniowa-zacisze.pl"
LONG_SUBJECT = (
    "Reklamacja faktury za ciepło i podgrzanie wody użytkowej za październik 2026 dla węzła cieplnego "
    "przy ulicy Generała Władysława Sikorskiego-Andersa, prosimy o korektę naliczenia mocy zamówionej"
)
LONG_URL = "https://spoldzielnia-mieszkaniowa-zacisze.pl/dokumenty/protokol-odczytu-licznikow-2026-10-31-wezel-W-PRZEMYSLOWA.pdf"
LONG_FILE = "protokol_odczytu_licznikow_ciepla_wezel_W-PRZEMYSLOWA-POLNOCNA-12_pazdziernik_2026_podpisany.pdf"
LONG_OUTAGE = (
    "Awaria magistrali ciepłowniczej DN500 pod skrzyżowaniem: wymiana uszkodzonego odcinka rury preizolowanej, "
    "brak ogrzewania i ciepłej wody w budynkach zasilanych z węzłów W-PRZEMYSLOWA-POLNOCNA-12 i sąsiednich."
)
LONG_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; SM-S918B Build/UP1A.231005.007; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.39 Mobile Safari/537.36"
)


def fill(user) -> dict:
    """Everything a customer page can show, at its longest. Returns what the page paths need."""
    customer = user.customer
    customer.name, customer.street, customer.city = LONG_NAME, LONG_STREET, LONG_CITY
    customer.save()
    user.email = LONG_EMAIL
    user.save()
    objects = factories.make_history(customer, 30, start=dt.date(2024, 6, 1))
    contract = objects["contract"]
    points = [objects["point"]]
    for n in range(2):
        point = factories.make_point(
            contract,
            f"PO-MIELEC-PRZEMYSLOWA-POLNOCNA-{n:06d}-A",
            street=LONG_STREET,
            city=LONG_CITY,
            substation="W-PRZEMYSLOWA-POLNOCNA-12",
            tariff_group="A2-WCO-XL",
        )
        factories.make_meter(point, f"HEAT-KAMSTRUP-603-{n:012d}", legalisation_until=dt.date(2026, 12, 31))
        water = factories.make_meter(point, f"WATER-APATOR-JS90-{n:012d}", kind=Meter.Kind.WATER, unit=Meter.Unit.M3)
        for month in range(1, 13):
            factories.make_reading(water, dt.date(2026, month, 1), str(1_234_500 + 17 * month))
        points.append(point)
    SelfReading.objects.create(
        customer=customer, meter=objects["meter"], value="4506.900", reading_date=dt.date(2026, 11, 20)
    )

    big = factories.make_document(
        customer,
        "FV/2026/11/KOREKTA-ZBIORCZA/200401/000123",
        gross="1234567.89",
        issue_date=dt.date(2026, 11, 3),
        ksef_number="5265877635-20261103-010080DD2B5E-26",
        pdf=factories.write_pdf("pdf/big.pdf"),
    )
    factories.make_document(
        customer,
        "FK/2026/11/KOREKTA-ZBIORCZA/200401/000124",
        kind=Document.Kind.CORRECTION,
        corrects=big,
        gross="-234567.89",
        issue_date=dt.date(2026, 11, 10),
        ksef_number="5265877635-20261110-010080DD2B5F-27",
        pdf=factories.write_pdf("pdf/kor.pdf"),
    )
    factories.make_document(customer, "FV/2026/11/BEZ-PLIKU", pdf="pdf/nie-ma-takiego-pliku.pdf")
    factories.make_payment(
        customer,
        "1000000.00",
        date=dt.date(2026, 11, 12),
        title="Wpłata za fakturę FV/2026/11/KOREKTA-ZBIORCZA/200401/000123 oraz odsetki, odbiorca 200401, "
        "przelew z rachunku firmowego spółdzielni",
    )
    factories.make_other_document(
        customer,
        title=f"Aneks nr 4 do umowy kompleksowej {contract.number} o dostarczanie ciepła i podgrzanie wody",
        pdf=factories.write_pdf("pdf/aneks.pdf"),
    )

    cases = []
    for n in range(24):
        case = factories.make_case(
            customer,
            subject=LONG_SUBJECT if n % 2 else f"Pytanie {n} o fakturę",
            body=f"Proszę o wyjaśnienie, szczegóły w protokole: {LONG_URL}",
            delivery_point=points[n % len(points)],
        )
        cases.append(case)
    case = cases[-1]
    case.refers_to = cases[0]
    case.save()
    reply = factories.make_staff_message(case, f"Odpowiadamy na zgłoszenie. Protokół: {LONG_URL}")
    attachment = Attachment.objects.create(
        message=reply, path="cases/odpowiedz.pdf", filename=LONG_FILE, content_type="application/pdf", size=123_456
    )
    closed = cases[1]
    closed.status = Case.Status.CLOSED
    closed.save()

    for kind in ConsentEvent.Kind.values:
        for given in (True, False, True):
            ConsentEvent.objects.create(
                customer=customer, kind=kind, given=given, document_version="2026-01-01", source="moje-konto"
            )
    for n in range(10):
        LoginEvent.objects.create(
            user=user,
            at=timezone.now() - timedelta(days=n),
            ip="2001:db8:85a3::8a2e:370:7334",
            user_agent=LONG_USER_AGENT,
        )
    outage = add_interruptions(points)
    return {
        "outage": outage.pk,
        "point": points[-1].code,
        "meter": objects["meter"].serial,
        "water_meter": f"WATER-APATOR-JS90-{1:012d}",
        "case": case.pk,
        "closed_case": closed.pk,
        "attachment": attachment.pk,
        "missing_pdf": "FV/2026/11/BEZ-PLIKU",
        "email_token": issue_token(
            user=user, purpose="change_email", lifetime=timedelta(hours=1), new_email="nowy." + LONG_EMAIL
        ),
    }


def add_interruptions(points) -> Interruption:
    """A failure going on beyond the standard (it offers the compensation request) and a planned
    break next week, both on every point and on a long street. Returns the failure."""
    now = timezone.now()
    failure = Interruption.objects.create(
        kind=Interruption.Kind.UNPLANNED,
        starts_at=now - timedelta(hours=30),
        expected_end_at=now + timedelta(hours=6),
        description=LONG_OUTAGE,
    )
    planned = Interruption.objects.create(
        kind=Interruption.Kind.PLANNED,
        starts_at=now + timedelta(days=8),
        expected_end_at=now + timedelta(days=10),
        description=LONG_OUTAGE,
    )
    for interruption in (failure, planned):
        interruption.points.set(points)
        AffectedStreet.objects.create(interruption=interruption, city=LONG_CITY, street=LONG_STREET)
        outage_services.publish(interruption=interruption)
    return failure


def online_payment(user) -> str:
    """A payment online waiting for the bank, for a long document number; returns its reference."""
    from payments import PaymentStatus

    from onlinepay.models import OnlinePayment

    payment = OnlinePayment.objects.create(
        variant="payu", customer=user.customer, user=user, currency="PLN", total="12345.67", status=PaymentStatus.INPUT
    )
    payment.lines.create(document_number="FV/2026/06/ROZLICZENIE-ZBIORCZE/200401/000077", amount="12345.67")
    return payment.reference
