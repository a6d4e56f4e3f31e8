"""Import of the billing system's export folder (the contract: docs/billing-export.md).

This module is the one reader and validator: every cell and row rule of the format (SPECS) is
written here once, in Python. Each CSV is streamed with the csv module and every record is
checked; the checked rows and the reasons for the bad ones go, as one stream, to the writer
(exchange.import_sql.StagingWriter), which stages them and finds, set-based and once, the repeated
keys and missing references, then upserts the good rows. So memory stays flat and the number of
queries does not depend on the number of rows.

One folder is one transaction. Good rows are written even after a bad one, so later files'
references resolve and every bad row is reported precisely; at the end any error (or --dry-run)
rolls the whole folder back.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, models, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Contract, Customer, DeliveryPoint, Document, OtherDocument, Payment
from billing.signals import import_committed
from billing.validators import (
    is_valid_key,
    is_valid_nip,
    is_valid_nrb,
    is_valid_postal_code,
    parse_date,
    parse_export_decimal,
    shown,
)
from meters.models import Meter, Reading

if TYPE_CHECKING:
    from exchange.import_sql import StagingWriter

PDF_MAGIC = b"%PDF-"
PDF_FOLDER = "documents"
KEPT_ERRORS = 200  # errors kept on the result for callers; all of them are streamed to on_error
PROGRESS_EVERY = 1000  # rows between two redraws of the progress bar


# --- cell parsers: raw text → value, or ValueError with the reason --------------------------


def _customer_number(value: str) -> str:
    if not (value.isdigit() and value.isascii() and 4 <= len(value) <= 12):
        raise ValueError(_("Numer odbiorcy to od 4 do 12 cyfr."))
    return value


def _key(value: str) -> str:
    if not is_valid_key(value):
        raise ValueError(
            _(
                "„%(value)s” nie jest kluczem: dozwolone są litery A–Z i a–z, cyfry, „.”, „_” i „-”, "
                "a „/” tylko między nimi."
            )
            % {"value": shown(value)}
        )
    return value


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value not in allowed:
            raise ValueError(
                _("„%(value)s” nie jest dozwoloną wartością (dozwolone: %(allowed)s).")
                % {"value": shown(value), "allowed": ", ".join(allowed)}
            )
        return value

    return parse


def _nip(value: str) -> str:
    if not is_valid_nip(value):
        raise ValueError(
            _("„%(value)s” nie jest poprawnym NIP-em (10 cyfr z sumą kontrolną).") % {"value": shown(value)}
        )
    return value


def _nrb(value: str) -> str:
    if not is_valid_nrb(value):
        raise ValueError(
            _("„%(value)s” nie jest poprawnym numerem rachunku (26 cyfr z sumą kontrolną IBAN).")
            % {"value": shown(value)}
        )
    return value


def _postal_code(value: str) -> str:
    if not is_valid_postal_code(value):
        raise ValueError(_("„%(value)s” nie jest kodem pocztowym w formacie NN-NNN.") % {"value": shown(value)})
    return value


def _email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError(_("„%(value)s” nie jest poprawnym adresem e-mail.") % {"value": shown(value)}) from None
    return value


def _amount(value: str) -> Decimal:
    return parse_export_decimal(value, places=2)


def _power(value: str) -> Decimal:
    number = parse_export_decimal(value, places=3)
    if number < 0:
        raise ValueError(_("Moc zamówiona nie może być ujemna."))
    return number


def _register(value: str) -> Decimal:
    number = parse_export_decimal(value, places=3)
    if number < 0:
        raise ValueError(_("Wskazanie licznika nie może być ujemne."))
    return number


# An export holds a few thousand distinct dates in millions of cells: each is parsed once.
_date = functools.lru_cache(maxsize=1 << 16)(parse_date)


# --- what each file holds ---------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str  # the CSV header
    attname: str  # the model attribute it fills ("" for the PDF path, handled by the importer)
    parse: Callable[[str], Any] | None = None  # None: text, taken as it is
    required: bool = True
    empty: Any = ""  # the value of an empty optional cell
    pdf: bool = False


@dataclass(frozen=True)
class Ref:
    """A column that names a row of another file (or of this one, `same_file`)."""

    attname: str
    model: type[models.Model]
    # Denormalised copies: row attname → attribute of the referenced row (DeliveryPoint.customer).
    fill: tuple[tuple[str, str], ...] = ()
    same_file: bool = False
    # The referenced row must belong to the same customer (a correction of one's own invoice).
    same_customer: bool = False


@dataclass(frozen=True)
class FileSpec:
    filename: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # attnames of the natural key
    refs: tuple[Ref, ...] = ()
    check: Callable[[dict[str, Any]], list[tuple[str, str]]] | None = None

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def column_of(self, attname: str) -> str:
        return next(c.name for c in self.columns if c.attname == attname)

    @functools.cached_property
    def stored(self) -> tuple[str, ...]:
        """The model attributes a checked row carries, in the order the writer stages them."""
        names = [c.attname for c in self.columns if c.attname]
        if any(c.pdf for c in self.columns):
            names += ["pdf", "pdf_sha256"]
        return tuple(names)


def _check_contract(v: dict[str, Any]) -> list[tuple[str, str]]:
    if v["valid_until"] is not None and v["valid_until"] < v["valid_from"]:
        return [("obowiazuje_do", _("Data końca umowy jest wcześniejsza niż jej początek."))]
    return []


def _check_meter(v: dict[str, Any]) -> list[tuple[str, str]]:
    if v["removed_on"] is not None and v["removed_on"] < v["installed_on"]:
        return [("data_demontazu", _("Data demontażu jest wcześniejsza niż data montażu."))]
    return []


def _check_document(v: dict[str, Any]) -> list[tuple[str, str]]:
    errors = []
    if v["net"] + v["vat"] != v["gross"]:
        errors.append(
            (
                "brutto",
                _("netto + vat = %(sum)s, a brutto = %(gross)s.") % {"sum": v["net"] + v["vat"], "gross": v["gross"]},
            )
        )
    if v["corrects_id"] is not None and v["kind"] != Document.Kind.CORRECTION:
        errors.append(("dotyczy", _("Kolumnę „dotyczy” wypełnia się tylko dla korekty.")))
    elif v["corrects_id"] is not None and v["corrects_id"] == v["number"]:
        errors.append(("dotyczy", _("Korekta nie może dotyczyć samej siebie.")))
    return errors


_ADDRESS = (
    Column("ulica", "street"),
    Column("kod_pocztowy", "postal_code", _postal_code),
    Column("miejscowosc", "city"),
)

SPECS: tuple[FileSpec, ...] = (
    FileSpec(
        "odbiorcy.csv",
        Customer,
        (
            Column("nr_odbiorcy", "number", _customer_number),
            Column("typ", "kind", _choice(*Customer.Kind.values)),
            Column("nazwa", "name"),
            Column("nip", "nip", _nip, required=False),
            *_ADDRESS,
            Column("email", "email", _email, required=False),
            Column("telefon", "phone", required=False),
            Column("rachunek", "bank_account", _nrb),
        ),
        key=("number",),
    ),
    FileSpec(
        "umowy.csv",
        Contract,
        (
            Column("nr_umowy", "number", _key),
            Column("nr_odbiorcy", "customer_id"),
            Column("data_zawarcia", "signed_on", _date),
            Column("obowiazuje_od", "valid_from", _date),
            Column("obowiazuje_do", "valid_until", _date, required=False, empty=None),
            Column("grupa_taryfowa", "tariff_group"),
            Column("moc_zamowiona_mw", "ordered_power_mw", _power),
        ),
        key=("number",),
        refs=(Ref("customer_id", Customer),),
        check=_check_contract,
    ),
    FileSpec(
        "punkty.csv",
        DeliveryPoint,
        (
            Column("kod_punktu", "code", _key),
            Column("nr_umowy", "contract_id", _key),
            *_ADDRESS,
            Column("wezel", "substation", required=False),
            Column("rodzaj", "kind", _choice(*DeliveryPoint.Kind.values)),
            Column("grupa_taryfowa", "tariff_group"),
            Column("moc_zamowiona_mw", "ordered_power_mw", _power),
        ),
        key=("code",),
        refs=(Ref("contract_id", Contract, fill=(("customer_id", "customer_id"),)),),
    ),
    FileSpec(
        "liczniki.csv",
        Meter,
        (
            Column("nr_fabryczny", "serial", _key),
            Column("kod_punktu", "delivery_point_id", _key),
            Column("rodzaj", "kind", _choice(*Meter.Kind.values)),
            Column("jednostka", "unit", _choice(*Meter.Unit.values)),
            Column("data_montazu", "installed_on", _date),
            Column("data_demontazu", "removed_on", _date, required=False, empty=None),
            Column("legalizacja_do", "legalisation_until", _date, required=False, empty=None),
        ),
        key=("serial",),
        refs=(Ref("delivery_point_id", DeliveryPoint, fill=(("customer_id", "customer_id"),)),),
        check=_check_meter,
    ),
    FileSpec(
        "faktury.csv",
        Document,
        (
            Column("nr_dokumentu", "number", _key),
            Column("nr_odbiorcy", "customer_id"),
            Column("rodzaj", "kind", _choice(*Document.Kind.values)),
            Column("data_wystawienia", "issue_date", _date),
            Column("termin_platnosci", "due_date", _date),
            Column("netto", "net", _amount),
            Column("vat", "vat", _amount),
            Column("brutto", "gross", _amount),
            Column("dotyczy", "corrects_id", _key, required=False, empty=None),
            Column("nr_ksef", "ksef_number", required=False),
            Column("plik", "", required=False, pdf=True),
        ),
        key=("number",),
        refs=(Ref("customer_id", Customer), Ref("corrects_id", Document, same_file=True, same_customer=True)),
        check=_check_document,
    ),
    FileSpec(
        "dokumenty.csv",
        OtherDocument,
        (
            Column("id_dokumentu", "ext_id", _key),
            Column("nr_odbiorcy", "customer_id"),
            Column("rodzaj", "kind", _choice(*OtherDocument.Kind.values)),
            Column("tytul", "title"),
            Column("data", "date", _date),
            Column("plik", "", pdf=True),
        ),
        key=("ext_id",),
        refs=(Ref("customer_id", Customer),),
    ),
    FileSpec(
        "wplaty.csv",
        Payment,
        (
            Column("id_wplaty", "ext_id", _key),
            Column("nr_odbiorcy", "customer_id"),
            Column("data", "date", _date),
            Column("kwota", "amount", _amount),
            Column("tytul", "title", required=False),
        ),
        key=("ext_id",),
        refs=(Ref("customer_id", Customer),),
    ),
    FileSpec(
        "odczyty.csv",
        Reading,
        (
            Column("nr_fabryczny", "meter_id", _key),
            Column("data", "date", _date),
            Column("wskazanie", "value", _register),
            Column("zrodlo", "source", _choice(*Reading.Source.values)),
        ),
        key=("meter_id", "date"),
        refs=(Ref("meter_id", Meter),),
    ),
)
FILE_ORDER = tuple(s.filename for s in SPECS)


@functools.cache
def _limits(model: type[models.Model], attname: str) -> tuple[int | None, Decimal | None]:
    """The longest text and the smallest too-large number the column's database field takes."""
    model_field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    if model_field.is_relation:
        model_field = model_field.target_field
    limit = None
    if isinstance(model_field, models.DecimalField):
        limit = Decimal(10) ** (model_field.max_digits - model_field.decimal_places)
    return model_field.max_length, limit


# --- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = _("%(file)s, wiersz %(line)d") % {"file": self.file, "line": self.line}
        if self.column:
            where += ", " + _("kolumna %(column)s") % {"column": self.column}
        return f"{where}: {self.reason}"


@dataclass
class FileCounts:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    bad: int = 0


@dataclass
class ImportResult:
    dry_run: bool
    counts: dict[str, FileCounts] = field(default_factory=dict)
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first KEPT_ERRORS
    pdfs_copied: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0


class Progress:
    """Told about each file's progress; the command draws a bar on a terminal."""

    def start(self, filename: str, path: Path) -> None: ...

    def advance(self, rows: int) -> None: ...

    def finish(self) -> None: ...


# Set when an import creates the row, never compared or updated afterwards (documents only).
CREATED_AT_FIELD = "imported_at"


def pdf_name(sha: str) -> str:
    """Where a PDF lives in private storage: named by its content."""
    return f"{PDF_FOLDER}/{sha[:2]}/{sha}.pdf"


# What the reader hands the writer for each record, as the writer stages it:
# (line, seq, column, reason, *values of spec.stored, PDF source path). A good row has no seq,
# column or reason; a bad row comes once per error (seq 0, 1, ...), with every value None.
Record = tuple[Any, ...]


# --- the import ---------------------------------------------------------------------------------


class Importer:
    """Reads and checks each file of the folder; `writer` stages, cross-checks and stores the rows."""

    def __init__(
        self,
        folder: Path,
        *,
        writer: StagingWriter,
        dry_run: bool,
        on_error: Callable[[RowError], None] | None,
        progress: Progress,
    ) -> None:
        self.folder = folder.resolve()
        self.writer = writer
        self.dry_run = dry_run
        self.on_error = on_error
        self.progress = progress
        self.result = ImportResult(dry_run=dry_run)
        self.stamp = timezone.now()  # every row this import creates carries it (imported_at)
        # The same PDF named by many rows (a tariff sent to every customer) is read and hashed once.
        self._pdf = functools.lru_cache(maxsize=4096)(self._read_pdf)

    def error(self, file: str, line: int, column: str, reason: str) -> None:
        err = RowError(file, line, column, reason)
        self.result.error_count += 1
        if len(self.result.errors) < KEPT_ERRORS:
            self.result.errors.append(err)
        if self.on_error:
            self.on_error(err)

    def run(self) -> ImportResult:
        # The PDFs this run adds to storage, removed again on rollback: one path a line in a
        # temporary file, not a list, so that memory stays flat however many PDFs a month brings.
        with tempfile.TemporaryFile("w+", encoding="utf-8") as self.copied:
            return self._run()

    def _run(self) -> ImportResult:
        for path in sorted(self.folder.glob("*.csv")):
            if path.name not in FILE_ORDER:
                self.error(
                    shown(path.name),
                    0,
                    "",
                    _("Nieznany plik; oczekiwane: %(files)s.") % {"files": ", ".join(FILE_ORDER)},
                )
            elif not path.resolve().is_relative_to(self.folder):
                self.error(path.name, 0, "", _("Plik wskazuje (przez dowiązanie) poza folder eksportu."))
        try:
            with transaction.atomic():
                self.writer.open()
                for spec in SPECS:
                    path = self.folder / spec.filename
                    if path.is_file() and path.resolve().is_relative_to(self.folder):
                        self.result.counts[spec.filename] = counts = FileCounts()
                        self._import_file(spec, path, counts)
                        if spec.model in (Contract, DeliveryPoint) and counts.updated:
                            self._follow_customer_changes(spec.model)
                self.writer.close()
                if self.dry_run or not self.result.ok:
                    transaction.set_rollback(True)
        except BaseException:
            self._remove_copied()
            raise
        if not self.result.ok:
            self._remove_copied()
        elif not self.dry_run:
            # After the commit (at once when no outer transaction is open): listeners such as
            # the new-document notices see the committed rows, never a rolled-back import.
            result, stamp = self.result, self.stamp
            transaction.on_commit(lambda: import_committed.send(sender=Importer, result=result, imported_at=stamp))
        return self.result

    @staticmethod
    def _follow_customer_changes(model: type[models.Model]) -> None:
        """A contract moved to another customer (or a point to another contract) takes its points
        and meters along, even when the export does not repeat them: one UPDATE per table."""
        if model is Contract:
            owner = Contract.objects.filter(pk=OuterRef("contract_id")).values("customer_id")[:1]
            DeliveryPoint.objects.exclude(customer_id=Subquery(owner)).update(customer_id=Subquery(owner))
        owner = DeliveryPoint.objects.filter(pk=OuterRef("delivery_point_id")).values("customer_id")[:1]
        Meter.objects.exclude(customer_id=Subquery(owner)).update(customer_id=Subquery(owner))

    def _import_file(self, spec: FileSpec, path: Path, counts: FileCounts) -> None:
        with self._reading(spec, path) as (reader, index):
            if index is None:
                return
            counts.created, counts.updated = self.writer.write(
                spec, self._checked(spec, reader, index, counts), self.stamp
            )
        for line, column, reason in self.writer.errors(spec):  # every bad row, in line order
            self.error(spec.filename, line, column, reason)
        counts.bad = self.writer.bad_rows()
        counts.unchanged = counts.rows - counts.bad - counts.created - counts.updated
        if not self.dry_run:
            for name, source in self.writer.good_pdfs(spec):
                self._store_pdf(Path(source), name)

    @contextlib.contextmanager
    def _reading(self, spec: FileSpec, path: Path) -> Iterator[tuple[Iterator[list[str]], dict[str, int] | None]]:
        """The file's csv reader past the header, and the header's column positions (None: unusable, reported)."""
        self.progress.start(spec.filename, path)
        try:
            with path.open(encoding="utf-8-sig", newline="") as f:
                reader = csv.reader(f, delimiter=";", quotechar='"')
                yield reader, self._read_header(spec, reader)
        finally:
            self.progress.finish()

    def _read_header(self, spec: FileSpec, reader: Iterator[list[str]]) -> dict[str, int] | None:
        """Column name → position in the file, or None (reported) when the header is unusable."""
        try:
            header = next(reader)
        except StopIteration:
            self.error(spec.filename, 1, "", _("Plik jest pusty; brak wiersza nagłówka."))
            return None
        except (csv.Error, UnicodeDecodeError) as exc:
            self.error(spec.filename, 1, "", _("Nie można odczytać nagłówka: %(error)s") % {"error": exc})
            return None
        return self._check_header(spec, header)

    def _check_header(self, spec: FileSpec, header: list[str]) -> dict[str, int] | None:
        ok = True
        expected = spec.header
        for name in header:
            if name not in expected:
                ok = False
                self.error(
                    spec.filename,
                    1,
                    shown(name),
                    _("Nieznana kolumna; oczekiwane: %(cols)s.") % {"cols": ", ".join(expected)},
                )
        for name in expected:
            if name not in header:
                ok = False
                self.error(spec.filename, 1, name, _("Brak kolumny w nagłówku."))
            elif header.count(name) > 1:
                ok = False
                self.error(spec.filename, 1, name, _("Kolumna występuje w nagłówku więcej niż raz."))
        return {name: header.index(name) for name in expected} if ok else None

    def _checked(
        self, spec: FileSpec, reader: Iterator[list[str]], index: dict[str, int], counts: FileCounts
    ) -> Iterator[Record]:
        """Every record of the file, counted and checked: its values, or one record per error."""
        width = len(index)
        checks = [
            (index[c.name], c, *(_limits(spec.model, c.attname) if c.attname else (None, None))) for c in spec.columns
        ]
        no_values = (None,) * (len(spec.stored) + 1)
        since_progress = 0
        while True:
            line = reader.line_num + 1  # where the record starts (a quoted line break spans lines)
            try:
                cells = next(reader)
            except StopIteration:
                break
            except (csv.Error, UnicodeDecodeError) as exc:  # e.g. a field over the csv module's limit
                counts.rows += 1
                reason = _("Nie można odczytać wiersza: %(error)s") % {"error": shown(str(exc))}
                yield (line, 0, "", reason, *no_values)
                if isinstance(exc, UnicodeDecodeError):
                    break  # the reader cannot recover its position after a decoding error
                continue
            if not cells:
                continue  # a blank line
            counts.rows += 1
            if len(cells) != width:
                reason = _("Wiersz ma %(got)d pól, a nagłówek %(want)d.") % {"got": len(cells), "want": width}
                yield (line, 0, "", reason, *no_values)
            else:
                text = "".join(cells)
                if "\n" in text or "\r" in text or "\x00" in text:
                    errors, values = self._control_characters(spec, index, cells, line, reader.line_num), None
                else:
                    errors, values = self._check_row(spec, checks, cells)
                if values is not None:
                    yield (line, None, None, None, *values)
                for seq, (column_name, reason) in enumerate(errors):
                    yield (line, seq, column_name, reason, *no_values)
            since_progress += 1
            if since_progress == PROGRESS_EVERY:
                self.progress.advance(since_progress)
                since_progress = 0
        self.progress.advance(since_progress)

    @staticmethod
    def _control_characters(
        spec: FileSpec, index: dict[str, int], cells: list[str], line: int, last_line: int
    ) -> list[tuple[str, str]]:
        """No column holds a line break or a NUL: a line break in a field is most often a quote
        left open, which would swallow the rows after it into one field."""
        errors = []
        for column in spec.columns:
            raw = cells[index[column.name]]
            if "\n" in raw or "\r" in raw:
                errors.append(
                    (
                        column.name,
                        _(
                            "Pole zawiera koniec wiersza (czy brakuje zamykającego cudzysłowu?); "
                            "wiersze %(first)d–%(last)d odczytano jako jeden."
                        )
                        % {"first": line, "last": last_line},
                    )
                )
            elif "\x00" in raw:
                errors.append((column.name, _("Pole zawiera znak NUL.")))
        return errors

    def _check_row(
        self, spec: FileSpec, checks: list[tuple[int, Column, int | None, Decimal | None]], cells: list[str]
    ) -> tuple[list[tuple[str, str]], tuple[Any, ...] | None]:
        """The (column, reason) of each bad cell, else of the row rule; or the row's values:
        spec.stored, then the PDF's source path. `checks`: each column's position and the
        database's limits (text length, number size), so they are row errors, not a failed
        transaction."""
        values: list[Any] = []  # in the order of spec.stored, the PDF's last
        errors: list[tuple[str, str]] = []
        pdf: tuple[Any, ...] = ()
        for position, column, max_length, limit in checks:
            raw = cells[position]
            if not raw:
                if column.required:
                    errors.append((column.name, _("Pole jest wymagane, a jest puste.")))
                elif column.pdf:
                    pdf = ("", "", None)
                else:
                    values.append(column.empty)
                continue
            parse = column.parse
            try:
                if column.pdf:
                    path, sha = self._pdf(raw)
                    pdf = (pdf_name(sha), sha, str(path))
                    continue
                value = raw if parse is None else parse(raw)
            except ValueError as exc:
                errors.append((column.name, str(exc)))
                continue
            if max_length and len(value) > max_length:
                errors.append((column.name, _("Za długie: najwyżej %(max)d znaków.") % {"max": max_length}))
            elif limit and abs(value) >= limit:
                errors.append((column.name, _("Liczba jest za duża.")))
            else:
                values.append(value)
        if not errors and spec.check:
            errors = spec.check(dict(zip(spec.stored, values, strict=False)))
        if errors:
            return errors, None
        return errors, (*values, *pdf) if pdf else (*values, None)

    def _read_pdf(self, raw: str) -> tuple[Path, str]:
        """Resolve a `plik` path inside the folder, check it is a PDF, and hash it."""
        relative = Path(raw)
        if relative.is_absolute() or raw.startswith(("/", "\\")) or ".." in relative.parts:
            raise ValueError(_("Ścieżka do pliku musi być względna i nie może wychodzić poza folder eksportu."))
        source = (self.folder / relative).resolve()
        if not source.is_relative_to(self.folder):
            raise ValueError(_("Plik wskazuje (przez dowiązanie) poza folder eksportu."))
        if not source.is_file():
            raise ValueError(_("Nie ma pliku „%(path)s” w folderze eksportu.") % {"path": shown(raw)})
        digest = hashlib.sha256()
        with source.open("rb") as f:
            if f.read(len(PDF_MAGIC)) != PDF_MAGIC:
                raise ValueError(_("Plik „%(path)s” nie jest plikiem PDF.") % {"path": shown(raw)})
            digest.update(PDF_MAGIC)
            for chunk in iter(lambda: f.read(1 << 16), b""):
                digest.update(chunk)
        return source, digest.hexdigest()

    def _store_pdf(self, source: Path, relative: str) -> None:
        """Copy into private storage under its hash; an unchanged PDF is already there."""
        target = Path(settings.PRIVATE_ROOT) / relative
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            shutil.copyfileobj(src, out)
        os.replace(tmp, target)
        self.copied.write(f"{target}\n")
        self.result.pdfs_copied += 1

    def _remove_copied(self) -> None:
        self.copied.seek(0)
        for line in self.copied:
            Path(line.rstrip("\n")).unlink(missing_ok=True)
        self.copied.seek(0)
        self.copied.truncate()
        self.result.pdfs_copied = 0


def import_folder(
    folder: Path,
    *,
    dry_run: bool = False,
    batch_size: int | None = None,
    on_error: Callable[[RowError], None] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one export folder as a whole or not at all; see the module docstring."""
    from exchange.import_sql import StagingWriter

    writer = StagingWriter(
        copy=connection.vendor == "postgresql" and settings.BILLING_IMPORT_COPY,
        batch_size=batch_size or settings.BILLING_IMPORT_BATCH_SIZE,
    )
    return Importer(
        Path(folder), writer=writer, dry_run=dry_run, on_error=on_error, progress=progress or Progress()
    ).run()
