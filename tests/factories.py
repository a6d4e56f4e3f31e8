"""Small builders for test data. Each takes keyword overrides and fills the rest sensibly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import count

from accounts.models import CustomerAccess, User
from billing.models import Contract, Customer, DeliveryPoint, Document, OtherDocument, Payment
from meters.models import Meter, Reading

_seq = count(1)
PASSWORD = "Tajne123haslo"


def nrb(seed: int) -> str:
    """A valid 26-digit NRB (IBAN check digits computed for 'PL')."""
    bban = f"10205356{seed:016d}"
    numeric = int(bban + "252100")  # P=25, L=21, then '00'
    check = 98 - numeric % 97
    return f"{check:02d}{bban}"


def make_customer(number: str | None = None, **kw) -> Customer:
    n = next(_seq)
    number = number or f"{900000 + n}"
    defaults = {
        "kind": Customer.Kind.PERSON,
        "name": f"Odbiorca {number}",
        "street": "Wolności 1",
        "postal_code": "39-300",
        "city": "Mielec",
        "email": f"odbiorca{number}@example.pl",
        "bank_account": nrb(int(number)),
    }
    defaults.update(kw)
    return Customer.objects.create(number=number, **defaults)


def make_user(customer: Customer | None = None, *, password: str = PASSWORD, **kw) -> User:
    if customer is None:
        customer = make_customer()
    kw.setdefault("email", f"login{customer.number}@example.pl")
    return User.objects.create_user(customer.number, password=password, customer=customer, **kw)


def make_login(username: str = "zarzadca", *, password: str = PASSWORD, **kw) -> User:
    """A login of its own customer number-less kind: a representative (zarządca, family member)."""
    kw.setdefault("email", f"{username}@zarzadca.example.pl")
    return User.objects.create_user(username, password=password, **kw)


def grant(user: User, customer: Customer, role: str = CustomerAccess.Role.PROXY, **kw) -> CustomerAccess:
    """Give ``user`` access to ``customer`` with ``role`` (by invitation unless told otherwise)."""
    kw.setdefault("source", CustomerAccess.Source.INVITATION)
    return CustomerAccess.objects.create(user=user, customer=customer, role=role, **kw)


def make_staff(username: str = "pracownik", *, password: str = PASSWORD, superuser: bool = False, **kw) -> User:
    kw.setdefault("email", f"{username}@mpec.example.pl")
    if superuser:
        return User.objects.create_superuser(username, password=password, **kw)
    return User.objects.create_user(username, password=password, is_staff=True, **kw)


def make_contract(customer: Customer, number: str | None = None, **kw) -> Contract:
    defaults = {
        "signed_on": dt.date(2019, 5, 5),
        "valid_from": dt.date(2019, 5, 5),
        "tariff_group": "A1",
        "ordered_power_mw": Decimal("0.125"),
    }
    defaults.update(kw)
    return Contract.objects.create(number=number or f"UM/2019/{next(_seq):05d}", customer=customer, **defaults)


def make_point(contract: Contract, code: str | None = None, **kw) -> DeliveryPoint:
    defaults = {
        "street": "Pisarka 20",
        "postal_code": "39-300",
        "city": "Mielec",
        "substation": "W-100",
        "kind": DeliveryPoint.Kind.BOTH,
        "tariff_group": contract.tariff_group,
        "ordered_power_mw": contract.ordered_power_mw,
    }
    defaults.update(kw)
    return DeliveryPoint.objects.create(
        code=code or f"PO-{next(_seq):06d}", contract=contract, customer=contract.customer, **defaults
    )


def make_document(customer: Customer, number: str | None = None, **kw) -> Document:
    gross = Decimal(kw.pop("gross", "123.00"))
    vat = Decimal(kw.pop("vat", (gross * Decimal("23") / Decimal("123")).quantize(Decimal("0.01"))))
    issue = kw.pop("issue_date", dt.date(2026, 10, 5))
    defaults = {
        "kind": Document.Kind.INVOICE,
        "issue_date": issue,
        "due_date": issue + dt.timedelta(days=14),
        "net": gross - vat,
        "vat": vat,
        "gross": gross,
    }
    defaults.update(kw)
    return Document.objects.create(number=number or f"FV/2026/10/{next(_seq):06d}", customer=customer, **defaults)


def make_other_document(customer: Customer, ext_id: str | None = None, **kw) -> OtherDocument:
    defaults = {"kind": OtherDocument.Kind.CONTRACT, "title": "Umowa kompleksowa", "date": dt.date(2019, 5, 5)}
    defaults.update(kw)
    return OtherDocument.objects.create(ext_id=ext_id or f"D-{next(_seq)}", customer=customer, **defaults)


def make_payment(customer: Customer, amount: str = "123.00", ext_id: str | None = None, **kw) -> Payment:
    defaults = {"date": dt.date(2026, 10, 10), "title": f"{customer.number}"}
    defaults.update(kw)
    return Payment.objects.create(
        ext_id=ext_id or f"BANK-{next(_seq)}", customer=customer, amount=Decimal(amount), **defaults
    )


def make_meter(point: DeliveryPoint, serial: str | None = None, **kw) -> Meter:
    defaults = {
        "kind": Meter.Kind.HEAT,
        "unit": Meter.Unit.GJ,
        "installed_on": dt.date(2019, 5, 5),
        "legalisation_until": dt.date(2029, 6, 30),
    }
    defaults.update(kw)
    return Meter.objects.create(
        serial=serial or f"SN{next(_seq):08d}", delivery_point=point, customer=point.customer, **defaults
    )


def make_reading(meter: Meter, date: dt.date, value: str, source: str = Reading.Source.REMOTE) -> Reading:
    return Reading.objects.create(meter=meter, date=date, value=Decimal(value), source=source)


def write_pdf(relative: str, content: bytes = b"%PDF-1.4\n% test\n%%EOF\n") -> str:
    """Put a small PDF under PRIVATE_ROOT (the tests' own temporary one) and return its path."""
    from pathlib import Path

    from django.conf import settings

    path = Path(settings.PRIVATE_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return relative


def make_history(customer: Customer, months: int, *, start: dt.date = dt.date(2024, 1, 1)) -> dict:
    """A customer's history of ``months`` months: a contract, a point, a heat meter with monthly
    readings, a monthly invoice with a PDF, a payment for all but the last, a letter a month.
    For tests that must show a page costs the same number of queries whatever the history length.
    """
    contract = make_contract(customer)
    point = make_point(contract)
    meter = make_meter(point, installed_on=start)
    value = Decimal("100.000")
    for i in range(months):
        year, month = start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1
        day = dt.date(year, month, 1)
        value += Decimal(10 + i % 7)
        make_reading(meter, day, str(value))
        number = f"FV/{year}/{month:02d}/{customer.number}{i:04d}"
        make_document(customer, number, issue_date=day, gross="200.00", pdf=write_pdf(f"pdf/{customer.number}/{i}.pdf"))
        if i < months - 1:
            make_payment(customer, "200.00", date=day + dt.timedelta(days=10))
        make_other_document(
            customer, kind=OtherDocument.Kind.LETTER, title=f"Pismo {i}", date=day, pdf=write_pdf(f"pdf/l{i}.pdf")
        )
    return {"contract": contract, "point": point, "meter": meter}


def login_staff(client, user: User) -> None:
    """Log staff into the test client as if they had passed the admin's TOTP step.

    The 2FA login itself is tested in tests/ebok/test_admin_otp.py; admin feature tests start
    from a verified session.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="telefon", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


# --- cases ---
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def upload(name: str = "skan.pdf", content: bytes = PDF_BYTES, content_type: str = "application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def make_case(customer: Customer, subject: str = "Pytanie o fakturę", body: str = "Proszę o wyjaśnienie.", **kw):
    """A case with its first customer message, made directly (no e-mail)."""
    from cases.models import Case, CaseNumberCounter, CaseType, Message

    case_type = kw.pop("type", None) or CaseType.objects.get(name=kw.pop("type_name", "Ekonomiczne"))
    case = Case.objects.create(
        number=kw.pop("number", None) or CaseNumberCounter.next_number(2026),
        customer=customer,
        type=case_type,
        subject=subject,
        **kw,
    )
    Message.objects.create(case=case, body=body, author=getattr(customer, "user", None))
    return case


def make_staff_message(case, body: str = "Odpowiadamy.", *, read: bool = False, author=None):
    import datetime as _dt

    from cases.models import Message

    return Message.objects.create(
        case=case,
        body=body,
        from_staff=True,
        author=author,
        read_at=_dt.datetime(2026, 11, 1, 12, 0, tzinfo=_dt.UTC) if read else None,
    )


# --- customer two-factor authentication ---
def totp_code(device, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows now, or ``steps_ahead`` periods (30 s) later.

    A device accepts each period's code once; a test that needs a second code right after a
    first one uses the next period's, which the device's tolerance of one period accepts.
    """
    import time

    from django_otp.oath import TOTP

    generator = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    generator.time = time.time() + steps_ahead * device.step
    return f"{generator.token():0{device.digits}d}"


def enable_two_factor(user: User, backup_codes: tuple[str, ...] = ("1111122222", "3333344444")):
    """A confirmed authenticator app for the customer, plus the given backup codes."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="aplikacja", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="kody zapasowe", confirmed=True)
    for code in backup_codes:
        static.token_set.create(token=code)
    return device
