"""Builds small billing-export folders in a test's tmp_path (the format: docs/billing-export.md).

The headers are written out here rather than taken from the importer, so a typo on either side
shows up as a failing test.
"""

from __future__ import annotations

import csv
from pathlib import Path

from tests.factories import nrb

HEADERS: dict[str, list[str]] = {
    "odbiorcy.csv": [
        "nr_odbiorcy",
        "typ",
        "nazwa",
        "nip",
        "ulica",
        "kod_pocztowy",
        "miejscowosc",
        "email",
        "telefon",
        "rachunek",
    ],
    "umowy.csv": [
        "nr_umowy",
        "nr_odbiorcy",
        "data_zawarcia",
        "obowiazuje_od",
        "obowiazuje_do",
        "grupa_taryfowa",
        "moc_zamowiona_mw",
    ],
    "punkty.csv": [
        "kod_punktu",
        "nr_umowy",
        "ulica",
        "kod_pocztowy",
        "miejscowosc",
        "wezel",
        "rodzaj",
        "grupa_taryfowa",
        "moc_zamowiona_mw",
    ],
    "liczniki.csv": [
        "nr_fabryczny",
        "kod_punktu",
        "rodzaj",
        "jednostka",
        "data_montazu",
        "data_demontazu",
        "legalizacja_do",
    ],
    "faktury.csv": [
        "nr_dokumentu",
        "nr_odbiorcy",
        "rodzaj",
        "data_wystawienia",
        "termin_platnosci",
        "netto",
        "vat",
        "brutto",
        "dotyczy",
        "nr_ksef",
        "plik",
    ],
    "dokumenty.csv": ["id_dokumentu", "nr_odbiorcy", "rodzaj", "tytul", "data", "plik"],
    "wplaty.csv": ["id_wplaty", "nr_odbiorcy", "data", "kwota", "tytul"],
    "odczyty.csv": ["nr_fabryczny", "data", "wskazanie", "zrodlo"],
}


def pdf_bytes(text: str) -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"


class ExportBuilder:
    """Rows per file, with sensible defaults; `write()` puts them (and the PDFs) in the folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.rows: dict[str, list[dict[str, str]]] = {}
        self.pdfs: dict[str, bytes] = {}

    def add(self, filename: str, **row: str) -> dict[str, str]:
        full = dict.fromkeys(HEADERS[filename], "") | row
        self.rows.setdefault(filename, []).append(full)
        return full

    def customer(self, number: str = "100001", **kw: str) -> dict[str, str]:
        defaults = {
            "nr_odbiorcy": number,
            "typ": "osoba",
            "nazwa": f"Odbiorca {number}",
            "ulica": "Wolności 1",
            "kod_pocztowy": "39-300",
            "miejscowosc": "Mielec",
            "email": f"odbiorca{number}@example.pl",
            "rachunek": nrb(int(number)),
        }
        return self.add("odbiorcy.csv", **(defaults | kw))

    def contract(self, number: str, customer: str, **kw: str) -> dict[str, str]:
        defaults = {
            "nr_umowy": number,
            "nr_odbiorcy": customer,
            "data_zawarcia": "2019-05-05",
            "obowiazuje_od": "2019-05-05",
            "grupa_taryfowa": "A1",
            "moc_zamowiona_mw": "0,125",
        }
        return self.add("umowy.csv", **(defaults | kw))

    def point(self, code: str, contract: str, **kw: str) -> dict[str, str]:
        defaults = {
            "kod_punktu": code,
            "nr_umowy": contract,
            "ulica": "Pisarka 20",
            "kod_pocztowy": "39-300",
            "miejscowosc": "Mielec",
            "wezel": "W-100",
            "rodzaj": "co+cwu",
            "grupa_taryfowa": "A1",
            "moc_zamowiona_mw": "0,125",
        }
        return self.add("punkty.csv", **(defaults | kw))

    def meter(self, serial: str, point: str, **kw: str) -> dict[str, str]:
        defaults = {
            "nr_fabryczny": serial,
            "kod_punktu": point,
            "rodzaj": "cieplo",
            "jednostka": "GJ",
            "data_montazu": "2019-05-05",
            "legalizacja_do": "2028-06-30",
        }
        return self.add("liczniki.csv", **(defaults | kw))

    def invoice(self, number: str, customer: str, *, pdf: bool = True, **kw: str) -> dict[str, str]:
        plik = f"pdf/{number.replace('/', '_')}.pdf" if pdf else ""
        if plik:
            self.pdfs[plik] = pdf_bytes(number)
        defaults = {
            "nr_dokumentu": number,
            "nr_odbiorcy": customer,
            "rodzaj": "faktura",
            "data_wystawienia": "2026-10-05",
            "termin_platnosci": "2026-10-19",
            "netto": "100,00",
            "vat": "23,00",
            "brutto": "123,00",
            "plik": plik,
        }
        return self.add("faktury.csv", **(defaults | kw))

    def other_document(self, ext_id: str, customer: str, **kw: str) -> dict[str, str]:
        plik = f"pdf/{ext_id}.pdf"
        self.pdfs[plik] = pdf_bytes(ext_id)
        defaults = {
            "id_dokumentu": ext_id,
            "nr_odbiorcy": customer,
            "rodzaj": "umowa",
            "tytul": "Umowa kompleksowa",
            "data": "2019-05-05",
            "plik": plik,
        }
        return self.add("dokumenty.csv", **(defaults | kw))

    def payment(self, ext_id: str, customer: str, **kw: str) -> dict[str, str]:
        defaults = {"id_wplaty": ext_id, "nr_odbiorcy": customer, "data": "2026-10-15", "kwota": "123,00"}
        return self.add("wplaty.csv", **(defaults | kw))

    def reading(self, serial: str, date: str, value: str = "100,000", **kw: str) -> dict[str, str]:
        defaults = {"nr_fabryczny": serial, "data": date, "wskazanie": value, "zrodlo": "zdalny"}
        return self.add("odczyty.csv", **(defaults | kw))

    def full_customer(self, number: str, *, readings: int = 2) -> None:
        """A customer with one of everything, keys derived from the number."""
        self.customer(number)
        self.contract(f"UM/{number}", number)
        self.point(f"PO-{number}", f"UM/{number}")
        self.meter(f"M{number}", f"PO-{number}")
        self.invoice(f"FV/{number}/1", number)
        self.other_document(f"D-{number}", number)
        self.payment(f"B-{number}", number)
        for month in range(1, readings + 1):
            self.reading(f"M{number}", f"2026-{month:02d}-01", f"{month * 10},000")

    def write(self, *, bom: bool = False, headers: dict[str, list[str]] | None = None) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        for filename, rows in self.rows.items():
            header = (headers or {}).get(filename, HEADERS[filename])
            with (self.folder / filename).open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
                writer = csv.writer(f, delimiter=";", quotechar='"', lineterminator="\n")
                writer.writerow(header)
                for row in rows:
                    writer.writerow([row.get(name, "") for name in header])
        for relative, content in self.pdfs.items():
            path = self.folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        return self.folder
