"""manage.py import_billing: the format's rules, all-or-nothing, idempotency, PDFs, query counts."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models import Contract, Customer, DeliveryPoint, Document, OtherDocument, Payment
from meters.models import Meter, Reading
from tests.exchange.export_builder import ExportBuilder, pdf_bytes

pytestmark = pytest.mark.django_db

# Every test runs through each way the database has to stage the checked rows (exchange/import_sql.py):
# on PostgreSQL one COPY and INSERT batches; elsewhere INSERT batches only.
IMPORT_PATHS = (
    ["copy", "batches"] if django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else ["batches"]
)


@pytest.fixture(autouse=True, params=IMPORT_PATHS)
def import_path(request, settings) -> str:
    settings.BILLING_IMPORT_COPY = request.param == "copy"
    return request.param


ALL_MODELS = (Customer, Contract, DeliveryPoint, Meter, Document, OtherDocument, Payment, Reading)


def run_import(folder: Path, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_billing", str(folder), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def rejected_run(folder: Path, *args: str) -> tuple[str, str]:
    """Run an import that must fail; return its output (the counts) and its error report."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="Import odrzucony"):
        call_command("import_billing", str(folder), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def rejected(folder: Path, *args: str) -> str:
    """Run an import that must fail; return the error report."""
    return rejected_run(folder, *args)[1]


def with_raw_payments(export: ExportBuilder, text: str) -> Path:
    """The export's folder with raw text appended to wplaty.csv (after its two payments, lines 2-3)."""
    folder = export.write()
    with (folder / "wplaty.csv").open("a", encoding="utf-8") as f:
        f.write(text)
    return folder


def nothing_in_database() -> bool:
    return not any(model.objects.exists() for model in ALL_MODELS)


def stored_pdfs(settings) -> list[Path]:
    return sorted(p for p in (settings.PRIVATE_ROOT / "documents").rglob("*") if p.is_file())


@pytest.fixture
def export(tmp_path) -> ExportBuilder:
    """A consistent export: two customers with one of everything, and a correction."""
    builder = ExportBuilder(tmp_path / "export")
    builder.full_customer("100001")
    builder.full_customer("100002")
    builder.invoice(
        "KOR/100001/1",
        "100001",
        rodzaj="korekta",
        dotyczy="FV/100001/1",
        netto="-10,00",
        vat="-2,30",
        brutto="-12,30",
        pdf=False,
    )
    return builder


def test_it_imports_a_valid_export(export, settings):
    out, err = run_import(export.write())

    assert err == ""
    assert "odbiorcy.csv: utworzono 2, zaktualizowano 0, bez zmian 0" in out
    assert "faktury.csv: utworzono 3, zaktualizowano 0, bez zmian 0" in out
    assert "odczyty.csv: utworzono 4, zaktualizowano 0, bez zmian 0" in out
    customer = Customer.objects.get(pk="100001")
    assert customer.kind == "osoba" and customer.nip == "" and customer.phone == ""
    contract = Contract.objects.get(pk="UM/100001")
    assert contract.ordered_power_mw == Decimal("0.125") and contract.valid_until is None
    # The denormalised customer comes from the contract and the delivery point.
    assert DeliveryPoint.objects.get(pk="PO-100001").customer_id == "100001"
    assert Meter.objects.get(pk="M100002").customer_id == "100002"
    correction = Document.objects.get(pk="KOR/100001/1")
    assert correction.corrects_id == "FV/100001/1" and correction.gross == Decimal("-12.30")
    assert correction.pdf == ""
    assert Reading.objects.get(meter_id="M100001", date=dt.date(2026, 2, 1)).value == Decimal("20")


def test_it_copies_pdfs_into_private_storage_by_content_hash(export, settings):
    run_import(export.write())

    invoice = Document.objects.get(pk="FV/100001/1")
    stored = settings.PRIVATE_ROOT / invoice.pdf
    assert invoice.pdf == f"documents/{invoice.pdf_sha256[:2]}/{invoice.pdf_sha256}.pdf"
    assert stored.read_bytes() == pdf_bytes("FV/100001/1")
    assert OtherDocument.objects.get(pk="D-100002").pdf_sha256
    assert len(stored_pdfs(settings)) == 4


def test_reimporting_the_same_folder_changes_nothing(export, settings):
    folder = export.write()
    run_import(folder)
    pdf_times = {p: p.stat().st_mtime_ns for p in stored_pdfs(settings)}

    out, _ = run_import(folder, "-v2")

    assert "utworzono 0, zaktualizowano 0, bez zmian 2" in out  # odbiorcy
    assert "utworzono 0, zaktualizowano 0, bez zmian 4" in out  # odczyty
    assert "zaktualizowano 1" not in out
    assert "Skopiowano plików PDF: 0" in out
    assert {p: p.stat().st_mtime_ns for p in stored_pdfs(settings)} == pdf_times


def test_a_changed_row_and_a_changed_pdf_count_as_updates(export, settings):
    folder = export.write()
    run_import(folder)
    export.rows["odbiorcy.csv"][0]["telefon"] = "+48 17 000 00 01"
    export.write()
    (folder / "pdf" / "FV_100002_1.pdf").write_bytes(pdf_bytes("FV/100002/1 wersja 2"))

    out, _ = run_import(folder)

    assert "odbiorcy.csv: utworzono 0, zaktualizowano 1, bez zmian 1" in out
    assert "faktury.csv: utworzono 0, zaktualizowano 1, bez zmian 2" in out
    assert Customer.objects.get(pk="100001").phone == "+48 17 000 00 01"
    invoice = Document.objects.get(pk="FV/100002/1")
    assert (settings.PRIVATE_ROOT / invoice.pdf).read_bytes() == pdf_bytes("FV/100002/1 wersja 2")


def test_it_accepts_a_bom_and_any_column_order(export):
    headers = {"odbiorcy.csv": list(reversed(export.rows["odbiorcy.csv"][0].keys()))}

    run_import(export.write(bom=True, headers=headers))

    assert Customer.objects.get(pk="100002").name == "Odbiorca 100002"


def test_a_delta_export_may_reference_rows_already_in_the_database(export, tmp_path):
    run_import(export.write())
    delta = ExportBuilder(tmp_path / "delta")
    delta.payment("B-100001-2", "100001", kwota="-5,50")
    delta.reading("M100002", "2026-03-01", "31,5")

    out, _ = run_import(delta.write())

    assert "wplaty.csv: utworzono 1" in out
    assert Payment.objects.get(pk="B-100001-2").amount == Decimal("-5.50")
    assert Reading.objects.filter(meter_id="M100002").count() == 3


def test_a_dry_run_checks_everything_and_writes_nothing(export, settings):
    out, _ = run_import(export.write(), "--dry-run")

    assert "odbiorcy.csv: utworzono 2" in out
    assert "--dry-run" in out
    assert nothing_in_database()
    assert not (settings.PRIVATE_ROOT / "documents").exists() or stored_pdfs(settings) == []


# --- every rule, with a bad file ------------------------------------------------------------------

BAD_CELLS = [
    # (file, row index, column, bad value, part of the reason)
    ("odbiorcy.csv", 0, "nr_odbiorcy", "12a45", "od 4 do 12 cyfr"),
    ("odbiorcy.csv", 0, "typ", "spółka", "dozwolone: firma, osoba, lokator"),
    ("odbiorcy.csv", 0, "nazwa", "", "wymagane"),
    ("odbiorcy.csv", 0, "nip", "1181590833", "NIP"),
    ("odbiorcy.csv", 0, "kod_pocztowy", "39300", "NN-NNN"),
    ("odbiorcy.csv", 0, "email", "odbiorca@", "e-mail"),
    ("odbiorcy.csv", 0, "rachunek", "12102053560000000000100001", "rachunku"),
    ("odbiorcy.csv", 0, "rachunek", "1020535600000000001000", "rachunku"),
    ("umowy.csv", 0, "nr_odbiorcy", "999999", "nie istnieje"),
    ("umowy.csv", 0, "data_zawarcia", "05.05.2019", "RRRR-MM-DD"),
    ("umowy.csv", 0, "obowiazuje_od", "2019-02-30", "istniejącą datą"),
    ("umowy.csv", 0, "obowiazuje_do", "2019-01-01", "wcześniejsza"),
    ("umowy.csv", 0, "moc_zamowiona_mw", "0.125", "przecinek"),
    ("umowy.csv", 0, "moc_zamowiona_mw", "0,1255", "miejsc po przecinku"),
    ("punkty.csv", 0, "nr_umowy", "UM/0000", "nie istnieje"),
    ("punkty.csv", 0, "rodzaj", "cw", "dozwolone: co, cwu, co+cwu"),
    ("liczniki.csv", 0, "kod_punktu", "PO-0", "nie istnieje"),
    ("liczniki.csv", 0, "jednostka", "kWh", "dozwolone"),
    ("liczniki.csv", 0, "data_demontazu", "2019-01-01", "wcześniejsza"),
    ("faktury.csv", 0, "nr_odbiorcy", "999999", "nie istnieje"),
    ("faktury.csv", 0, "rodzaj", "rachunek", "dozwolone"),
    ("faktury.csv", 0, "brutto", "123,01", "netto + vat"),
    ("faktury.csv", 0, "netto", "1 100,00", "bez spacji"),
    ("faktury.csv", 0, "vat", "23,001", "miejsc po przecinku"),
    ("faktury.csv", 0, "dotyczy", "FV/100002/1", "tylko dla korekty"),
    ("faktury.csv", 2, "dotyczy", "FV/NIE/MA", "nie istnieje"),
    ("faktury.csv", 2, "dotyczy", "FV/100002/1", "innego odbiorcy"),
    ("faktury.csv", 0, "plik", "pdf/brak.pdf", "Nie ma pliku"),
    ("faktury.csv", 0, "plik", "../poza.pdf", "wychodzić poza folder"),
    ("faktury.csv", 0, "plik", "/etc/passwd", "wychodzić poza folder"),
    ("faktury.csv", 0, "plik", "odbiorcy.csv", "nie jest plikiem PDF"),
    ("dokumenty.csv", 0, "plik", "", "wymagane"),
    ("dokumenty.csv", 0, "rodzaj", "list", "dozwolone"),
    ("wplaty.csv", 0, "kwota", "12,3,4", "1234,56"),
    ("wplaty.csv", 0, "data", "2026-13-01", "istniejącą datą"),
    ("odczyty.csv", 0, "nr_fabryczny", "X1", "nie istnieje"),
    ("odczyty.csv", 0, "wskazanie", "-1,000", "ujemne"),
    ("odczyty.csv", 0, "zrodlo", "odczyt", "dozwolone"),
    # Keys: the safe character set of docs/billing-export.md.
    ("umowy.csv", 0, "nr_umowy", "UM 1", "nie jest kluczem"),
    ("punkty.csv", 0, "kod_punktu", "PO/../1", "nie jest kluczem"),
    ("liczniki.csv", 0, "nr_fabryczny", "M100001?x", "nie jest kluczem"),
    ("faktury.csv", 0, "nr_dokumentu", "/FV/1", "nie jest kluczem"),
    ("dokumenty.csv", 0, "id_dokumentu", "D#1", "nie jest kluczem"),
    ("wplaty.csv", 0, "id_wplaty", "=HYPERLINK(1)", "nie jest kluczem"),
    ("odczyty.csv", 0, "nr_fabryczny", "M100001/", "nie jest kluczem"),
]


@pytest.mark.parametrize(("filename", "index", "column", "value", "reason"), BAD_CELLS)
def test_it_rejects_a_bad_cell_and_names_file_line_and_column(export, settings, filename, index, column, value, reason):
    export.rows[filename][index][column] = value
    line = index + 2  # the header is line 1

    report = rejected(export.write())

    assert f"{filename}, wiersz {line}, kolumna {column}: " in report
    assert reason in report
    assert nothing_in_database()
    assert stored_pdfs(settings) == []


def test_it_rejects_a_pdf_symlink_that_leaves_the_folder(export, tmp_path):
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(pdf_bytes("secret"))
    folder = export.write()
    os.symlink(outside, folder / "pdf" / "link.pdf")
    export.rows["faktury.csv"][0]["plik"] = "pdf/link.pdf"
    export.write()

    report = rejected(folder)

    assert "faktury.csv, wiersz 2, kolumna plik: Plik wskazuje (przez dowiązanie) poza folder" in report
    assert nothing_in_database()


def test_it_rejects_an_unknown_column(export):
    headers = {"wplaty.csv": [*export.rows["wplaty.csv"][0].keys(), "uwagi"]}

    report = rejected(export.write(headers=headers))

    assert "wplaty.csv, wiersz 1, kolumna uwagi: Nieznana kolumna" in report


def test_it_rejects_a_missing_column(export):
    headers = {"punkty.csv": [h for h in export.rows["punkty.csv"][0] if h != "wezel"]}

    report = rejected(export.write(headers=headers))

    assert "punkty.csv, wiersz 1, kolumna wezel: Brak kolumny" in report


def test_it_rejects_a_row_with_the_wrong_number_of_fields(export):
    report = rejected(with_raw_payments(export, "B-9;100001;2026-10-15\n"))

    assert "wplaty.csv, wiersz 4: Wiersz ma 3 pól, a nagłówek 5." in report


def test_it_echoes_only_a_short_escaped_piece_of_an_unknown_column(export):
    headers = {"wplaty.csv": [*export.rows["wplaty.csv"][0].keys(), "\x1b[2J" + "x" * 500]}

    report = rejected(export.write(headers=headers))

    line = next(line for line in report.splitlines() if "Nieznana kolumna" in line)
    assert "\x1b" not in line and "kolumna \\x1b[2J" in line
    assert len(line) < 300


def test_it_refuses_a_csv_file_that_links_out_of_the_folder(export, tmp_path):
    outside = ExportBuilder(tmp_path / "elsewhere")
    outside.customer("100001")
    outside.payment("B-OUT", "100001")
    folder = export.write()
    (folder / "wplaty.csv").unlink()
    os.symlink(outside.write() / "wplaty.csv", folder / "wplaty.csv")

    report = rejected(folder)

    assert "wplaty.csv, wiersz 0: Plik wskazuje (przez dowiązanie) poza folder" in report
    assert nothing_in_database()


def test_a_quote_left_open_is_a_reported_error_not_swallowed_rows(export):
    folder = with_raw_payments(export, 'B-7;100001;2026-10-15;1,00;"tytuł bez końca\nB-8;100001;2026-10-16;2,00;x\n')

    out, report = rejected_run(folder)

    assert "wplaty.csv, wiersz 4, kolumna tytul: " in report
    assert "wiersze 4–5 odczytano jako jeden" in report
    assert "wplaty.csv: utworzono 2, zaktualizowano 0, bez zmian 0, błędnych 1" in out
    assert nothing_in_database()


def test_a_nul_byte_in_a_field_is_a_reported_error(export):
    report = rejected(with_raw_payments(export, "B-9;100001;2026-10-15;1,00;a\x00b\n"))

    assert "wplaty.csv, wiersz 4, kolumna tytul: Pole zawiera znak NUL." in report
    assert nothing_in_database()


def test_a_field_over_the_csv_limit_is_one_bad_row_and_the_counts_add_up(export):
    folder = with_raw_payments(
        export, "B-9;100001;2026-10-15;1,00;" + "x" * 200_000 + "\nB-10;100001;2026-10-16;2,00;ok\n"
    )

    out, report = rejected_run(folder)

    assert "wplaty.csv, wiersz 4: Nie można odczytać wiersza: field larger than field limit" in report
    assert "wplaty.csv: utworzono 3, zaktualizowano 0, bez zmian 0, błędnych 1" in out


def test_errors_come_in_file_and_line_order(export):
    export.rows["wplaty.csv"][0]["nr_odbiorcy"] = "999999"  # line 2: a missing customer
    export.rows["wplaty.csv"][1]["kwota"] = "abc"  # line 3: a bad cell
    export.payment("B-100001", "100002")  # line 4: a repeated key
    export.rows["odczyty.csv"][0]["zrodlo"] = "?"  # a later file

    report = rejected(export.write())

    where = [line.split(":")[0] for line in report.splitlines()]
    assert where[:4] == [
        "wplaty.csv, wiersz 2, kolumna nr_odbiorcy",
        "wplaty.csv, wiersz 3, kolumna kwota",
        "wplaty.csv, wiersz 4, kolumna id_wplaty",
        "odczyty.csv, wiersz 2, kolumna zrodlo",
    ]


def test_it_rejects_an_unknown_file(export):
    folder = export.write()
    (folder / "faktury_stare.csv").write_text("x\n", encoding="utf-8")

    assert "faktury_stare.csv, wiersz 0: Nieznany plik" in rejected(folder)


@pytest.mark.parametrize("batch_size", ["1000", "1"])
def test_it_rejects_a_key_repeated_in_one_file(export, batch_size):
    export.payment("B-100001", "100002")  # the id of the first payment again, on line 4
    export.reading("M100001", "2026-01-01", "15,000")  # reading key: meter and date, on line 6

    report = rejected(export.write(), "--batch-size", batch_size)

    assert "wplaty.csv, wiersz 4, kolumna id_wplaty: " in report
    assert "odczyty.csv, wiersz 6, kolumna nr_fabryczny: " in report


def test_it_reports_every_bad_row_in_every_file(export):
    export.rows["odbiorcy.csv"][1]["kod_pocztowy"] = "39 300"
    export.rows["wplaty.csv"][0]["kwota"] = "abc"
    export.rows["wplaty.csv"][1]["data"] = ""

    report = rejected(export.write())

    assert "odbiorcy.csv, wiersz 3, kolumna kod_pocztowy" in report
    assert "wplaty.csv, wiersz 2, kolumna kwota" in report
    assert "wplaty.csv, wiersz 3, kolumna data" in report


def test_a_bad_row_in_the_last_file_leaves_the_database_and_storage_untouched(export, settings):
    export.rows["odczyty.csv"][-1]["zrodlo"] = "?"

    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_billing", str(export.write()), stdout=out, stderr=StringIO())

    assert "wplaty.csv: utworzono 2" in out.getvalue()  # it did write, then rolled back
    assert nothing_in_database()
    assert stored_pdfs(settings) == []


def test_a_correction_may_name_a_document_further_down_the_file(tmp_path):
    builder = ExportBuilder(tmp_path / "export")
    builder.customer("100001")
    builder.invoice("KOR/1", "100001", rodzaj="korekta", dotyczy="FV/2", netto="-1,00", vat="0,00", brutto="-1,00")
    builder.invoice("FV/2", "100001")

    run_import(builder.write(), "--batch-size", "1")

    assert Document.objects.get(pk="KOR/1").corrects_id == "FV/2"


def test_the_number_of_queries_does_not_grow_with_the_number_of_rows(tmp_path):
    def queries_for(customers: int, name: str) -> int:
        builder = ExportBuilder(tmp_path / name)
        for n in range(customers):
            builder.full_customer(f"{200000 + n}", readings=3)
        folder = builder.write()
        with CaptureQueriesContext(connection) as ctx:
            run_import(folder, "--dry-run", "--batch-size", "1000")
        return len(ctx.captured_queries)

    assert queries_for(4, "small") == queries_for(40, "large")


def test_with_small_batches_queries_grow_with_batches_not_rows(tmp_path):
    def queries_for(payments: int, name: str) -> int:
        builder = ExportBuilder(tmp_path / name)
        builder.customer("100001")
        for n in range(payments):
            builder.payment(f"B-{n}", "100001")
        folder = builder.write()
        with CaptureQueriesContext(connection) as ctx:
            run_import(folder, "--dry-run", "--batch-size", "10")
        return len(ctx.captured_queries)

    one_batch, two_batches, ten_batches = queries_for(10, "a"), queries_for(20, "b"), queries_for(100, "c")
    per_batch = two_batches - one_batch
    assert ten_batches == one_batch + 9 * per_batch


def test_it_refuses_a_folder_that_does_not_exist(tmp_path):
    with pytest.raises(CommandError, match="Nie ma folderu"):
        call_command("import_billing", str(tmp_path / "brak"), stdout=StringIO())


def test_a_contract_moved_to_another_customer_takes_its_points_and_meters_along(export, tmp_path):
    run_import(export.write())
    delta = ExportBuilder(tmp_path / "delta")
    delta.contract("UM/100001", "100002")

    out, _ = run_import(delta.write())

    assert "umowy.csv: utworzono 0, zaktualizowano 1, bez zmian 0" in out
    assert DeliveryPoint.objects.get(pk="PO-100001").customer_id == "100002"
    assert Meter.objects.get(pk="M100001").customer_id == "100002"
    assert Meter.objects.get(pk="M100002").customer_id == "100002"


def test_created_updated_and_unchanged_rows_are_counted_and_text_survives_intact(export):
    folder = export.write()
    run_import(folder)
    export.rows["wplaty.csv"][0]["tytul"] = "zmieniony tytuł\tz tabulatorem \\ i ukośnikiem"
    export.payment("B-NEW", "100002", tytul="")
    export.write()

    out, _ = run_import(folder)

    assert "wplaty.csv: utworzono 1, zaktualizowano 1, bez zmian 1" in out
    assert Payment.objects.get(pk="B-100001").title == "zmieniony tytuł\tz tabulatorem \\ i ukośnikiem"
    assert Payment.objects.get(pk="B-NEW").title == ""
    assert Contract.objects.get(pk="UM/100001").valid_until is None


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_it_draws_a_progress_bar_only_on_a_terminal(export):
    folder = export.write()
    on_terminal, in_a_pipe = Terminal(), StringIO()

    call_command("import_billing", str(folder), "--dry-run", stdout=on_terminal)
    call_command("import_billing", str(folder), "--dry-run", stdout=in_a_pipe)

    assert "\rodczyty.csv    [##############################] 4/4" in on_terminal.getvalue()
    assert "[" not in in_a_pipe.getvalue()


def test_new_documents_are_stamped_when_created_and_the_stamp_never_changes(export, tmp_path):
    run_import(export.write())
    first = Document.objects.get(pk="FV/100001/1").imported_at
    assert first is not None and OtherDocument.objects.get(pk="D-100001").imported_at == first

    later = ExportBuilder(tmp_path / "later")
    later.invoice("FV/100001/1", "100001", netto="110,00", vat="25,30", brutto="135,30")  # a changed row
    later.invoice("FV/100001/2", "100001")  # a new one
    run_import(later.write())

    changed = Document.objects.get(pk="FV/100001/1")
    assert changed.gross == Decimal("135.30") and changed.imported_at == first
    assert Document.objects.get(pk="FV/100001/2").imported_at > first


# --- the two ways of staging agree ----------------------------------------------------------------------------

needs_postgresql = pytest.mark.skipif("copy" not in IMPORT_PATHS, reason="COPY is PostgreSQL's")


def report_of(folder: Path, settings, path: str) -> list[tuple[str, int, str, str]]:
    from exchange.importer import import_folder

    settings.BILLING_IMPORT_COPY = path == "copy"
    errors = []
    import_folder(folder, dry_run=True, on_error=lambda e: errors.append((e.file, e.line, e.column, e.reason)))
    return sorted(errors)


@needs_postgresql
@pytest.mark.parametrize(("filename", "index", "column", "value", "reason"), BAD_CELLS)
def test_both_paths_report_a_bad_cell_identically(export, settings, filename, index, column, value, reason):
    export.rows[filename][index][column] = value
    folder = export.write()

    copy, batches = report_of(folder, settings, "copy"), report_of(folder, settings, "batches")

    assert copy == batches
    assert any(reason in r for _f, _l, _c, r in copy)


@needs_postgresql
def test_both_paths_report_many_bad_rows_at_once_identically(export, settings):
    export.rows["odbiorcy.csv"][0]["email"] = "zly@"  # checked in Python in both paths
    export.rows["odbiorcy.csv"][0]["kod_pocztowy"] = "00000"  # and a cell SQL checks, same row
    export.rows["odbiorcy.csv"][1]["nazwa"] = "x" * 251  # too long for the column
    export.rows["umowy.csv"][1]["moc_zamowiona_mw"] = "123456789012,000"  # too large for the column
    export.rows["faktury.csv"][1]["data_wystawienia"] = "2026-02-29"
    export.rows["faktury.csv"][1]["brutto"] = "1,1"  # a row rule too: not reached, the cell is bad
    export.payment("B-100001", "100002")  # a repeated key
    export.payment("B-X", "424242")  # an unknown customer
    export.reading("M100001", "2026-13-01", "1,000")
    folder = export.write()
    with (folder / "wplaty.csv").open("a", encoding="utf-8") as f:
        f.write("B-Y;100001\n")  # too few fields

    copy, batches = report_of(folder, settings, "copy"), report_of(folder, settings, "batches")

    assert copy == batches
    assert len(copy) >= 10


@needs_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("import_path", ["copy"], indirect=True)
def test_a_second_import_waits_until_the_first_has_finished(export, import_path):
    import threading

    import psycopg2

    from exchange.import_sql import _LOCK_KEY

    folder = export.write()
    first = psycopg2.connect(**connection.get_connection_params())  # stands for an import under way
    with first.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_LOCK_KEY])
    outcome = []

    def second_import() -> None:
        try:
            run_import(folder)
            outcome.append("done")
        finally:
            connection.close()

    thread = threading.Thread(target=second_import)
    thread.start()
    try:
        thread.join(1.5)
        assert thread.is_alive() and not outcome  # waiting for the lock, nothing written
        assert not Customer.objects.exists()
    finally:
        with first.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_KEY])
        first.close()
    thread.join(60)
    assert outcome == ["done"]
    assert Customer.objects.count() == 2
