"""The project's own demo export: realistic, consistent and deterministic.

Every random choice is seeded by what it is about (customer, month), never by the order of
generation, so the export for a later reference date repeats the earlier months exactly; that is
what lets `--next-month` write only the new invoices and payments of the following month.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import random
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from billing.importer import SPECS
from billing.validators import complete_nip, format_decimal, nrb_check_digits

MONTHS = 18
VAT_RATE = Decimal("0.23")
CENT = Decimal("0.01")
UTILITY_NIP = "8170004774"  # the seller in KSeF numbers; a valid NIP (the settings default is not)
BANK = "10205356"  # the bank's routing part of every customer's individual account
KSEF_SINCE = dt.date(2026, 2, 1)  # invoices issued since then carry a KSeF number

# The demo writes exactly the columns the import reads.
HEADERS: dict[str, list[str]] = {spec.filename: spec.header for spec in SPECS}


# --- small pieces -----------------------------------------------------------------------------


def customer_account(number: str) -> str:
    """The customer's individual NRB: the bank's part, then the customer number, zero-padded."""
    bban = BANK + number.zfill(16)
    return nrb_check_digits(bban) + bban


def _ascii(text: str) -> str:
    """The standard PDF fonts have no Polish letters; the demo PDFs say it in plain ASCII."""
    text = text.replace("ł", "l").replace("Ł", "L")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def minimal_pdf(lines: Iterable[str]) -> bytes:
    """A valid one-page PDF (a few hundred bytes) with the given lines of text."""
    commands = ["BT /F1 12 Tf 72 760 Td 16 TL"]
    for line in lines:
        safe = _ascii(line).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        commands.append(f"({safe}) '")
    commands.append("ET")
    stream = "\n".join(commands).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _rng(*parts: object) -> random.Random:
    """A generator seeded by what the value is about, so it is the same in every export."""
    seed = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(seed[:8], "big"))


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month_starts(reference: dt.date) -> list[dt.date]:
    first = reference.replace(day=1)
    return [_add_months(first, -back) for back in range(MONTHS - 1, -1, -1)]


# Heating dominates in winter; hot water all year.
_SEASON = {1: 1.6, 2: 1.5, 3: 1.2, 4: 0.8, 5: 0.4, 6: 0.25, 7: 0.2, 8: 0.2, 9: 0.35, 10: 0.8, 11: 1.2, 12: 1.5}


# --- who is in the demo ----------------------------------------------------------------------


@dataclass(frozen=True)
class DemoPoint:
    code: str
    street: str
    substation: str
    kind: str  # co, cwu, co+cwu
    power: str


@dataclass(frozen=True)
class DemoCustomer:
    number: str
    kind: str  # firma, osoba, lokator
    name: str
    street: str
    contract: str
    signed: dt.date
    tariff: str
    points: tuple[DemoPoint, ...]
    monthly_net: Decimal  # a typical month's net amount (winter is more, summer less)
    nip: str = ""
    phone: str = ""
    behaviour: str = "pays"  # pays | partial | overdue
    documents: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (kind, title) besides the contract


CUSTOMERS: tuple[DemoCustomer, ...] = (
    DemoCustomer(
        "200101",
        "firma",
        "Zakłady Mięsne „Hetman” Sp. z o.o.",
        "Wojska Polskiego 3",
        "UM/2015/0101",
        dt.date(2015, 3, 2),
        "B2",
        (
            DemoPoint("PO-200101-1", "Wojska Polskiego 3", "W-101", "co+cwu", "0,420"),
            DemoPoint("PO-200101-2", "Wojska Polskiego 3A", "W-102", "co", "0,310"),
            DemoPoint("PO-200101-3", "Przemysłowa 14", "W-140", "co", "0,185"),
        ),
        Decimal("9200.00"),
        nip=complete_nip("817215633"),
        phone="+48 17 583 21 00",
        documents=(("aneks", "Aneks nr 1 do umowy UM/2015/0101: zmiana mocy zamówionej"),),
    ),
    DemoCustomer(
        "200102",
        "firma",
        "Piekarnia „Złoty Kłos” s.c.",
        "Kościuszki 41",
        "UM/2018/0102",
        dt.date(2018, 9, 14),
        "A2",
        (DemoPoint("PO-200102-1", "Kościuszki 41", "W-211", "co+cwu", "0,095"),),
        Decimal("1450.00"),
        nip=complete_nip("817190442"),
        phone="+48 17 586 40 12",
        behaviour="overdue",
    ),
    DemoCustomer(
        "200201",
        "osoba",
        "Anna Kowalska",
        "Sienkiewicza 12",
        "UM/2016/0201",
        dt.date(2016, 10, 3),
        "A1",
        (DemoPoint("PO-200201-1", "Sienkiewicza 12", "W-305", "co+cwu", "0,018"),),
        Decimal("310.00"),
        phone="+48 600 100 201",
        documents=(("pismo", "Zawiadomienie o planowanej przerwie w dostawie ciepła"),),
    ),
    DemoCustomer(
        "200202",
        "osoba",
        "Jan Wiśniewski",
        "Żeromskiego 7",
        "UM/2020/0202",
        dt.date(2020, 8, 20),
        "A1",
        (DemoPoint("PO-200202-1", "Żeromskiego 7", "W-318", "co", "0,012"),),
        Decimal("240.00"),
        phone="+48 600 100 202",
        behaviour="partial",
    ),
    DemoCustomer(
        "200301",
        "lokator",
        "Katarzyna Nowak",
        "Mickiewicza 26/4",
        "UM/2017/0301",
        dt.date(2017, 1, 9),
        "C1",
        (DemoPoint("PO-200301-1", "Mickiewicza 26/4", "W-412", "cwu", "0,006"),),
        Decimal("160.00"),
    ),
    DemoCustomer(
        "200302",
        "lokator",
        "Piotr Zieliński",
        "Mickiewicza 26/11",
        "UM/2017/0302",
        dt.date(2017, 1, 9),
        "C1",
        (DemoPoint("PO-200302-1", "Mickiewicza 26/11", "W-412", "cwu", "0,006"),),
        Decimal("175.00"),
    ),
    DemoCustomer(
        "200303",
        "lokator",
        "Ewa Lewandowska",
        "Solskiego 38/2",
        "UM/2019/0303",
        dt.date(2019, 6, 1),
        "C1",
        (DemoPoint("PO-200303-1", "Solskiego 38/2", "W-420", "cwu", "0,005"),),
        Decimal("140.00"),
        behaviour="overdue",
    ),
    DemoCustomer(
        "200401",
        "firma",
        "Spółdzielnia Mieszkaniowa „Zacisze”",
        "Ogrodowa 2",
        "UM/2014/0401",
        dt.date(2014, 11, 28),
        "C2",
        (
            DemoPoint("PO-200401-1", "Ogrodowa 2", "W-501", "co+cwu", "0,650"),
            DemoPoint("PO-200401-2", "Ogrodowa 4", "W-502", "co+cwu", "0,640"),
        ),
        Decimal("14800.00"),
        nip=complete_nip("817100350"),
        phone="+48 17 582 00 40",
    ),
)


# --- the export -------------------------------------------------------------------------------


@dataclass
class _Export:
    rows: dict[str, list[list[str]]] = field(default_factory=lambda: {name: [] for name in HEADERS})
    pdfs: dict[str, bytes] = field(default_factory=dict)

    def add(self, filename: str, **values: object) -> None:
        self.rows[filename].append(["" if values.get(h) is None else str(values.get(h)) for h in HEADERS[filename]])

    def pdf(self, name: str, *lines: str) -> str:
        relative = f"pdf/{name.replace('/', '_')}.pdf"
        self.pdfs[relative] = minimal_pdf(["MPEC - eBOK (dane demonstracyjne)", *lines])
        return relative


def _meters(customer: DemoCustomer, reference: dt.date) -> list[dict]:
    """Heat meters at every point, water meters where there is hot water; one exchange, one legalisation due."""
    meters = []
    for index, point in enumerate(customer.points, start=1):
        serial = f"C{customer.number}{index}"
        meter = {
            "nr_fabryczny": serial,
            "kod_punktu": point.code,
            "rodzaj": "cieplo",
            "jednostka": "GJ",
            "data_montazu": customer.signed,
            "legalizacja_do": dt.date(reference.year + 2, 6, 30),
        }
        if customer.number == "200101" and index == 2:
            # Exchanged nine months ago: the old meter keeps its history, the new one starts at 0.
            exchanged = _add_months(reference, -9).replace(day=15)
            meters.append(meter | {"data_demontazu": exchanged})
            meters.append(meter | {"nr_fabryczny": f"{serial}N", "data_montazu": exchanged})
        else:
            meters.append(meter)
        if "cwu" in point.kind:
            water = {
                "nr_fabryczny": f"W{customer.number}{index}",
                "kod_punktu": point.code,
                "rodzaj": "woda",
                "jednostka": "m3",
                "data_montazu": customer.signed,
                "legalizacja_do": dt.date(reference.year + 1, 12, 31),
            }
            if customer.number == "200201":
                water["legalizacja_do"] = reference + dt.timedelta(days=60)  # due for legalisation soon
            meters.append(water)
    return meters


def _readings(export: _Export, meter: dict, reference: dt.date) -> None:
    rng = _rng("start", meter["nr_fabryczny"])
    heat = meter["rodzaj"] == "cieplo"
    value = Decimal(0) if meter["nr_fabryczny"].endswith("N") else Decimal(rng.randint(800, 9000))
    sources = ("zdalny", "zdalny", "inkasent", "klient", "szacunek")
    for month in _month_starts(reference):
        if month < meter["data_montazu"] or (meter.get("data_demontazu") and month > meter["data_demontazu"]):
            continue
        if month > reference:
            break
        r = _rng("reading", meter["nr_fabryczny"], month)
        use = (_SEASON[month.month] if heat else 1.0) * r.uniform(8, 14) * (3 if heat else 1)
        value += Decimal(str(round(use, 3)))
        source = sources[(month.month + int(meter["nr_fabryczny"][1:7])) % len(sources)]
        export.add(
            "odczyty.csv",
            nr_fabryczny=meter["nr_fabryczny"],
            data=month,
            wskazanie=format_decimal(value, places=3),
            zrodlo=source,
        )


def _document(
    export: _Export,
    customer: DemoCustomer,
    *,
    number: str,
    kind: str,
    issued: dt.date,
    net: Decimal,
    corrects: str = "",
) -> dict:
    vat = _money(net * VAT_RATE)
    gross = net + vat
    due = issued + dt.timedelta(days=14)
    ksef = ""
    if kind in ("faktura", "korekta") and issued >= KSEF_SINCE:
        tail = hashlib.sha256(number.encode()).hexdigest()[:10].upper()
        ksef = f"{UTILITY_NIP}-{issued:%Y%m%d}-{tail}"
    plik = export.pdf(
        number,
        f"{kind.capitalize()} nr {number}",
        f"Data wystawienia: {issued}   Termin platnosci: {due}",
        f"Nabywca: {customer.name}, nr odbiorcy {customer.number}",
        f"Netto {format_decimal(net)} zl   VAT {format_decimal(vat)} zl   Brutto {format_decimal(gross)} zl",
        f"Rachunek do wplat: {customer_account(customer.number)}",
    )
    row = {
        "nr_dokumentu": number,
        "nr_odbiorcy": customer.number,
        "rodzaj": kind,
        "data_wystawienia": issued,
        "termin_platnosci": due,
        "netto": format_decimal(net),
        "vat": format_decimal(vat),
        "brutto": format_decimal(gross),
        "dotyczy": corrects,
        "nr_ksef": ksef,
        "plik": plik,
    }
    export.add("faktury.csv", **row)
    return row | {"gross": gross}


def _payable(export: _Export, customer: DemoCustomer, reference: dt.date) -> list[dict]:
    """Monthly invoices (or quarterly settlements for tenants), two corrections and an interest note."""
    documents = []
    months = _month_starts(reference)
    tenant = customer.kind == "lokator"
    for i, month in enumerate(months):
        r = _rng("invoice", customer.number, month)
        issued = month.replace(day=r.randint(3, 9))
        if issued > reference or (tenant and month.month % 3 != 1):
            continue
        factor = Decimal(str(_SEASON[month.month] if not tenant else 3.0)) * Decimal(str(round(r.uniform(0.9, 1.1), 3)))
        net = _money(customer.monthly_net * factor)
        prefix = "RO" if tenant else "FV"
        number = f"{prefix}/{month:%Y}/{month:%m}/{customer.number}"
        doc = _document(
            export, customer, number=number, kind="rozliczenie" if tenant else "faktura", issued=issued, net=net
        )
        documents.append(doc)
        # A correction of the third invoice for the big company and for one private person.
        if i == 2 and customer.number in ("200101", "200201"):
            correction = _document(
                export,
                customer,
                number=f"KOR/{month:%Y}/{month:%m}/{customer.number}",
                kind="korekta",
                issued=issued + dt.timedelta(days=12),
                net=-_money(net * Decimal("0.1")),
                corrects=number,
            )
            documents.append(correction)
        # An interest note for the bakery, which pays late.
        if i == 4 and customer.behaviour == "overdue" and not tenant:
            documents.append(
                _document(
                    export,
                    customer,
                    number=f"NO/{month:%Y}/{month:%m}/{customer.number}",
                    kind="nota",
                    issued=issued + dt.timedelta(days=40),
                    net=Decimal("38.40"),
                )
            )
    return documents


def _payments(export: _Export, customer: DemoCustomer, documents: list[dict], reference: dt.date) -> None:
    """Most documents paid around the due date; a partial payment; the latest ones unpaid when overdue."""
    recent = reference - dt.timedelta(days=75)
    for doc in documents:
        if doc["gross"] <= 0:
            continue  # a correction lowers the balance; nothing to pay
        r = _rng("payment", doc["nr_dokumentu"])
        if customer.behaviour == "overdue" and doc["data_wystawienia"] >= recent:
            continue  # left unpaid: overdue once the due date passes
        paid_on = doc["termin_platnosci"] + dt.timedelta(days=r.randint(-10, 2))
        if customer.behaviour == "overdue":
            paid_on += dt.timedelta(days=25)  # late, hence the interest note
        amount = doc["gross"]
        if customer.behaviour == "partial" and doc is documents[-3]:
            amount = _money(amount / 2)  # paid half; the rest is still due
        if paid_on > reference:
            continue
        export.add(
            "wplaty.csv",
            id_wplaty=f"WB/{paid_on:%Y%m%d}/{doc['nr_dokumentu'].replace('/', '-')}",
            nr_odbiorcy=customer.number,
            data=paid_on,
            kwota=format_decimal(amount),
            tytul=f"{customer.number} {doc['nr_dokumentu']}",
        )


def build_export(reference: dt.date) -> _Export:
    export = _Export()
    for c in CUSTOMERS:
        export.add(
            "odbiorcy.csv",
            nr_odbiorcy=c.number,
            typ=c.kind,
            nazwa=c.name,
            nip=c.nip,
            ulica=c.street,
            kod_pocztowy="39-300",
            miejscowosc="Mielec",
            email=f"odbiorca{c.number}@example.pl",
            telefon=c.phone,
            rachunek=customer_account(c.number),
        )
        total_power = sum(Decimal(p.power.replace(",", ".")) for p in c.points)
        export.add(
            "umowy.csv",
            nr_umowy=c.contract,
            nr_odbiorcy=c.number,
            data_zawarcia=c.signed,
            obowiazuje_od=c.signed,
            grupa_taryfowa=c.tariff,
            moc_zamowiona_mw=format_decimal(total_power, places=3),
        )
        for p in c.points:
            export.add(
                "punkty.csv",
                kod_punktu=p.code,
                nr_umowy=c.contract,
                ulica=p.street,
                kod_pocztowy="39-300",
                miejscowosc="Mielec",
                wezel=p.substation,
                rodzaj=p.kind,
                grupa_taryfowa=c.tariff,
                moc_zamowiona_mw=p.power,
            )
        for meter in _meters(c, reference):
            export.add("liczniki.csv", **meter)
            _readings(export, meter, reference)
        documents = _payable(export, c, reference)
        _payments(export, c, documents, reference)
        others = [("umowa", f"Umowa kompleksowa {c.contract}", c.signed)]
        others += [(kind, title, _add_months(reference, -7).replace(day=12)) for kind, title in c.documents]
        others.append(("taryfa", f"Taryfa dla ciepła na rok {reference.year}", dt.date(reference.year, 1, 1)))
        for index, (kind, title, date) in enumerate(others, start=1):
            ext_id = f"D-{c.number}-{kind}-{date:%Y}" if kind == "taryfa" else f"D-{c.number}-{index}"
            export.add(
                "dokumenty.csv",
                id_dokumentu=ext_id,
                nr_odbiorcy=c.number,
                rodzaj=kind,
                tytul=title,
                data=date,
                plik=export.pdf(ext_id, title, f"Odbiorca: {c.name}, nr {c.number}", f"Data: {date}"),
            )
    return export


def next_month_export(reference: dt.date) -> _Export:
    """Only what the following month adds: its new invoices (with their PDFs) and payments."""
    later = build_export(_add_months(reference, 1))
    export = _Export()
    for row in later.rows["faktury.csv"]:
        values = dict(zip(HEADERS["faktury.csv"], row, strict=True))
        if values["data_wystawienia"] > reference.isoformat():
            export.rows["faktury.csv"].append(row)
            export.pdfs[values["plik"]] = later.pdfs[values["plik"]]
    for row in later.rows["wplaty.csv"]:
        if dict(zip(HEADERS["wplaty.csv"], row, strict=True))["data"] > reference.isoformat():
            export.rows["wplaty.csv"].append(row)
    return export


def write_export(export: _Export, folder: Path) -> dict[str, int]:
    """Write the CSV files (only the non-empty ones) and PDFs; return rows per file."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for filename, rows in export.rows.items():
        if not rows:
            continue
        with (folder / filename).open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, delimiter=";", quotechar='"', lineterminator="\n")
            writer.writerow(HEADERS[filename])
            writer.writerows(rows)
        written[filename] = len(rows)
    for relative, content in export.pdfs.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return written


NOTES = {"pays": "", "partial": "one invoice paid in half", "overdue": "overdue documents"}


def demo_logins() -> list[dict[str, str]]:
    """What a demo customer types at registration: the number and the last invoice or settlement."""
    from billing.models import Customer, Document

    logins = []
    for c in CUSTOMERS:
        customer = Customer.objects.filter(pk=c.number).first()
        if customer is None:
            continue
        if customer.is_tenant:
            last = (
                Document.objects.filter(customer=customer, kind=Document.Kind.SETTLEMENT)
                .order_by("-issue_date")
                .first()
            )
            proof = f"{format_decimal(last.gross)} zł ({last.number})" if last else "—"
        else:
            last = (
                Document.objects.filter(customer=customer, kind__in=[Document.Kind.INVOICE, Document.Kind.CORRECTION])
                .order_by("-issue_date", "-number")
                .first()
            )
            proof = last.number if last else "—"
        logins.append({"number": c.number, "kind": c.kind, "name": c.name, "proof": proof, "note": NOTES[c.behaviour]})
    return logins
