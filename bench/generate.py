"""A billing export at benchmark scale, streamed row by row (docs/billing-export.md).

`python bench/generate.py FOLDER --scale 10000` writes the eight CSVs for SCALE customers. Per
customer on average: 36 payable documents, 40 readings, 30 payments, 2 other documents; so
SCALE=100000 gives about 3.6 million documents, 4 million readings and 3 million payments.
History lengths vary (6 to 66 months) so both long and short histories exist. Nothing is kept
in memory but the current customer; the same SCALE always gives the same files.

Simpler than exchange/demo.py on purpose: amounts come from the customer number, not a tariff.
Invoices carry no PDF (the column is optional); the other documents all point at one small PDF.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from billing.validators import complete_nip, nrb_check_digits  # noqa: E402

FIRST_NUMBER = 1_000_000
REFERENCE = dt.date(2026, 11, 1)  # the newest month in every history
HISTORY_MONTHS = (6, 36, 36, 36, 66)  # by customer index modulo 5: 36 months on average
BANK = "10205356"  # the utility's bank part of each individual account (8 digits)
STREETS = ("Wolności", "Staszica", "Pisarka", "Żeromskiego", "Kościuszki", "Sienkiewicza", "Mickiewicza")
FIRST_NAMES = ("Anna", "Piotr", "Katarzyna", "Tomasz", "Małgorzata", "Paweł", "Ewa", "Grzegorz")
LAST_NAMES = ("Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Zielińska", "Lewandowski", "Kamińska")
PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)

HEADERS = {
    "odbiorcy.csv": "nr_odbiorcy typ nazwa nip ulica kod_pocztowy miejscowosc email telefon rachunek",
    "umowy.csv": "nr_umowy nr_odbiorcy data_zawarcia obowiazuje_od obowiazuje_do grupa_taryfowa moc_zamowiona_mw",
    "punkty.csv": "kod_punktu nr_umowy ulica kod_pocztowy miejscowosc wezel rodzaj grupa_taryfowa moc_zamowiona_mw",
    "liczniki.csv": "nr_fabryczny kod_punktu rodzaj jednostka data_montazu data_demontazu legalizacja_do",
    "faktury.csv": "nr_dokumentu nr_odbiorcy rodzaj data_wystawienia termin_platnosci netto vat brutto dotyczy nr_ksef"
    " plik",
    "dokumenty.csv": "id_dokumentu nr_odbiorcy rodzaj tytul data plik",
    "wplaty.csv": "id_wplaty nr_odbiorcy data kwota tytul",
    "odczyty.csv": "nr_fabryczny data wskazanie zrodlo",
}


def customer_number(index: int) -> str:
    return str(FIRST_NUMBER + index)


def history_months(index: int) -> int:
    return HISTORY_MONTHS[index % len(HISTORY_MONTHS)]


def sample_indexes(scale: int, count: int) -> list[int]:
    """`count` customers among those given cases by the bench (index divisible by 3), spread evenly."""
    with_cases = (scale + 2) // 3
    count = min(count, with_cases)
    return [3 * (k * with_cases // count) for k in range(count)]


def _month(months_back: int, day: int) -> dt.date:
    month_index = REFERENCE.year * 12 + REFERENCE.month - 1 - months_back
    return dt.date(month_index // 12, month_index % 12 + 1, day)


def _grosze(value: int) -> str:
    """An amount in grosze as the export writes it: 123456 → `1234,56`, -870 → `-8,70`."""
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value) // 100},{abs(value) % 100:02d}"


def _nip(index: int) -> str:
    base = 5_000_000_00 + index * 7
    while True:
        try:
            return complete_nip(f"{base % 1_000_000_000:09d}")
        except ValueError:  # these nine digits start no NIP: take the next
            base += 1


def generate(folder: Path, scale: int) -> dict[str, int]:
    """Write the export for `scale` customers into `folder`; returns the rows written per file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pdf").mkdir(exist_ok=True)
    (folder / "pdf" / "dokument.pdf").write_bytes(PDF)
    handles = {name: (folder / name).open("w", encoding="utf-8", newline="") for name in HEADERS}
    writers = {name: csv.writer(handle, delimiter=";", lineterminator="\n") for name, handle in handles.items()}
    counts = dict.fromkeys(HEADERS, 0)
    for name, header in HEADERS.items():
        writers[name].writerow(header.split())

    def row(name: str, *values: object) -> None:
        writers[name].writerow(values)
        counts[name] += 1

    invoice_serial = 0
    try:
        for index in range(scale):
            number = customer_number(index)
            months = history_months(index)
            kind = ("osoba", "osoba", "firma", "osoba", "lokator")[index % 5 if index % 7 else 2]
            if kind == "firma":
                name, nip = f"Przedsiębiorstwo {LAST_NAMES[index % 7]} Sp. z o.o. nr {index}", _nip(index)
            else:
                name, nip = f"{FIRST_NAMES[index % 8]} {LAST_NAMES[index % 7]}", ""
            street = f"{STREETS[index % 7]} {index % 150 + 1}"
            bban = BANK + number.zfill(16)
            row(
                "odbiorcy.csv",
                number,
                kind,
                name,
                nip,
                street,
                "39-300",
                "Mielec",
                f"odbiorca{number}@example.pl",
                f"+48 17 {index % 1000:03d} {index % 100:02d} {index % 97:02d}",
                nrb_check_digits(bban) + bban,
            )
            start = _month(months - 1, 1)
            contract = f"UM/{start.year}/{index:07d}"
            power = f"0,{index % 900 + 100:03d}"
            tariff = ("A1", "A2", "B1", "C1")[index % 4]
            row("umowy.csv", contract, number, start, start, "", tariff, power)
            point = f"PO-{index:07d}"
            row("punkty.csv", point, contract, street, "39-300", "Mielec", f"W-{index % 700}", "co+cwu", tariff, power)

            meters = [(f"C{index:08d}", "cieplo", "GJ", 7)]
            if index % 9 == 0:
                meters.append((f"W{index:08d}", "woda", "m3", 3))
            for serial, meter_kind, unit, per_month in meters:
                row("liczniki.csv", serial, point, meter_kind, unit, start, "", dt.date(2029, 6, 30))
                value = index % 500
                for back in range(months - 1, -1, -1):
                    value += per_month + back % 5
                    source = ("zdalny", "zdalny", "inkasent", "szacunek")[back % 4]
                    row("odczyty.csv", serial, _month(back, 1), f"{value},000", source)

            row(
                "dokumenty.csv",
                f"D-{number}-1",
                number,
                "umowa",
                f"Umowa kompleksowa {contract}",
                start,
                "pdf/dokument.pdf",
            )
            row(
                "dokumenty.csv",
                f"D-{number}-2",
                number,
                "taryfa",
                "Taryfa dla ciepła 2026",
                _month(0, 1),
                "pdf/dokument.pdf",
            )

            base = 15_000 + (index % 400) * 100  # net grosze a month
            previous = ""
            for back in range(months - 1, -1, -1):
                invoice_serial += 1
                issued, due = _month(back, 5), _month(back, 19)
                net = base + (back % 12) * 750
                vat = net * 23 // 100
                if back % 12 == 6 and previous:
                    doc_kind, net, vat, corrects = "korekta", -net // 10, -vat // 10, previous
                elif back % 18 == 9:
                    doc_kind, net, vat, corrects = "nota", net // 50, 0, ""
                else:
                    doc_kind, corrects = ("rozliczenie" if kind == "lokator" else "faktura"), ""
                doc = f"FV/{issued.year}/{issued.month:02d}/{invoice_serial:08d}"
                ksef = f"{number}-{issued:%Y%m%d}-{invoice_serial:012d}"
                row(
                    "faktury.csv",
                    doc,
                    number,
                    doc_kind,
                    issued,
                    due,
                    _grosze(net),
                    _grosze(vat),
                    _grosze(net + vat),
                    corrects,
                    ksef,
                    "",
                )
                if doc_kind != "korekta":
                    previous = doc
                # Paid on time, except one month in six (the latest documents stay open).
                if back % 6 != 1 and back > 0:
                    row(
                        "wplaty.csv",
                        f"BANK-{invoice_serial:09d}",
                        number,
                        _month(back, 15),
                        _grosze(net + vat),
                        f"{number} {doc}",
                    )
    finally:
        for handle in handles.values():
            handle.close()
    return counts


DELTA_ISSUED = dt.date(2026, 12, 5)  # the month after REFERENCE


def _delta_pdf(number: str, size: int) -> bytes:
    """A PDF of about ``size`` bytes, different for each customer (and incompressible, as a real
    invoice's compressed streams are): the same for the same customer on every run."""
    head = f"%PDF-1.4\n% Faktura dla odbiorcy {number}\n1 0 obj\n<< /Length {size} >>\nstream\n".encode()
    body = random.Random(number).randbytes(size)  # noqa: S311 (filler, not a secret)
    return head + body + b"\nendstream\nendobj\ntrailer\n<< >>\n%%EOF\n"


def generate_delta(folder: Path, scale: int, pdf_bytes: int = 50_000) -> dict[str, int]:
    """A month's delta export for the customers of ``generate(…, scale)``: per customer one new
    invoice with its own PDF of about ``pdf_bytes``, the payment of last month's invoice and a
    reading of each meter. Returns the rows written per file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pdf").mkdir(exist_ok=True)
    names = ("faktury.csv", "wplaty.csv", "odczyty.csv")
    handles = {name: (folder / name).open("w", encoding="utf-8", newline="") for name in names}
    writers = {name: csv.writer(handle, delimiter=";", lineterminator="\n") for name, handle in handles.items()}
    counts = dict.fromkeys(names, 0)
    for name in names:
        writers[name].writerow(HEADERS[name].split())
    due = DELTA_ISSUED + dt.timedelta(days=14)
    try:
        for index in range(scale):
            number = customer_number(index)
            months = history_months(index)
            serial = 900_000_000 + index
            net = 15_000 + (index % 400) * 100 + 11 * 750
            vat = net * 23 // 100
            doc = f"FV/{DELTA_ISSUED.year}/{DELTA_ISSUED.month:02d}/{serial:08d}"
            pdf = f"pdf/{number}.pdf"
            (folder / pdf).write_bytes(_delta_pdf(number, pdf_bytes))
            kind = ("osoba", "osoba", "firma", "osoba", "lokator")[index % 5 if index % 7 else 2]
            doc_kind = "rozliczenie" if kind == "lokator" else "faktura"
            ksef = f"{number}-{DELTA_ISSUED:%Y%m%d}-{serial:012d}"
            writers["faktury.csv"].writerow(
                [
                    doc,
                    number,
                    doc_kind,
                    DELTA_ISSUED,
                    due,
                    _grosze(net),
                    _grosze(vat),
                    _grosze(net + vat),
                    "",
                    ksef,
                    pdf,
                ]
            )
            counts["faktury.csv"] += 1
            writers["wplaty.csv"].writerow(
                [f"BANK-D-{serial:09d}", number, DELTA_ISSUED - dt.timedelta(days=2), _grosze(net), f"{number}"]
            )
            counts["wplaty.csv"] += 1
            meters = [(f"C{index:08d}", 7)] + ([(f"W{index:08d}", 3)] if index % 9 == 0 else [])
            for serial_no, per_month in meters:
                value = index % 500 + sum(per_month + back % 5 for back in range(months)) + per_month
                writers["odczyty.csv"].writerow([serial_no, DELTA_ISSUED.replace(day=1), f"{value},000", "zdalny"])
                counts["odczyty.csv"] += 1
    finally:
        for handle in handles.values():
            handle.close()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--scale", type=int, default=10_000)
    args = parser.parse_args()
    for name, count in generate(args.folder, args.scale).items():
        print(f"{name}: {count}")


if __name__ == "__main__":
    main()
