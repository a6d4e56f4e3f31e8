"""Import of the billing system's export folder (the contract: docs/billing-export.md).

The rules of each file (SPECS) and the batched ORM path, used on databases other than
PostgreSQL; PostgreSQL imports set-based with the same rules (billing/import_sql.py).

One folder is one transaction. Each CSV is streamed with the csv module and checked row by row;
valid rows are upserted in batches (one query per batch for references, duplicates, existing
rows, inserts and updates), so memory stays flat and the number of queries grows with the
number of batches, never the number of rows. Valid rows are written even after a bad one, so
later references resolve and every bad row is reported precisely; at the end any error (or
--dry-run) rolls the whole folder back.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, models, reset_queries, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Contract, Customer, DeliveryPoint, Document, OtherDocument, Payment
from billing.signals import import_committed
from billing.validators import is_valid_nip, is_valid_nrb, is_valid_postal_code, parse_date, parse_decimal
from meters.models import Meter, Reading

PDF_MAGIC = b"%PDF-"
PDF_FOLDER = "documents"
KEPT_ERRORS = 200  # errors kept on the result for callers; all of them are streamed to on_error
_SEEN_TABLE = "ebok_import_seen_keys"


# --- cell parsers: raw text → value, or ValueError with the reason --------------------------
#
# Each parser carries the same rule as a PostgreSQL condition on the raw text ("{c}"), TRUE when
# the cell is acceptable: the PostgreSQL path (billing/import_sql.py) finds bad cells with it in
# one pass over the staged file, then asks the Python parser for the reason. None: checked in
# Python only (the e-mail rule is Django's validator). tests/billing/test_import_billing.py runs
# every bad cell through both paths and expects the same report.


@dataclass(frozen=True)
class Parser:
    parse: Callable[[str], Any]
    sql: str | None

    def __call__(self, value: str) -> Any:
        return self.parse(value)

    def sql_for(self, column: str, *, int_digits: int | None = None) -> str | None:
        """The condition on `column`; a number's "{digits}" becomes the integer digits the
        database column takes (leading zeros aside), so one pattern also checks the size."""
        if self.sql is None:
            return None
        digits = "+" if int_digits is None else f"{{1,{int_digits}}}"
        return self.sql.replace("{c}", column).replace("{digits}", digits)


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _text_value(value: str) -> str:
    return value


_text = Parser(_text_value, "TRUE")


def _customer_number_value(value: str) -> str:
    if not (value.isdigit() and value.isascii() and 4 <= len(value) <= 12):
        raise ValueError(_("Numer odbiorcy to od 4 do 12 cyfr."))
    return value


_customer_number = Parser(_customer_number_value, "{c} ~ '^[0-9]{4,12}$'")


def _choice(*allowed: str) -> Parser:
    def parse(value: str) -> str:
        if value not in allowed:
            raise ValueError(
                _("„%(value)s” nie jest dozwoloną wartością (dozwolone: %(allowed)s).")
                % {"value": value, "allowed": ", ".join(allowed)}
            )
        return value

    return Parser(parse, "{c} IN (" + ", ".join(_sql_literal(a) for a in allowed) + ")")


def _nip_value(value: str) -> str:
    if not is_valid_nip(value):
        raise ValueError(_("„%(value)s” nie jest poprawnym NIP-em (10 cyfr z sumą kontrolną).") % {"value": value})
    return value


_nip = Parser(_nip_value, "pg_temp.ebok_is_nip({c})")


def _nrb_value(value: str) -> str:
    if not is_valid_nrb(value):
        raise ValueError(
            _("„%(value)s” nie jest poprawnym numerem rachunku (26 cyfr z sumą kontrolną IBAN).") % {"value": value}
        )
    return value


_nrb = Parser(_nrb_value, "pg_temp.ebok_is_nrb({c})")


def _postal_code_value(value: str) -> str:
    if not is_valid_postal_code(value):
        raise ValueError(_("„%(value)s” nie jest kodem pocztowym w formacie NN-NNN.") % {"value": value})
    return value


_postal_code = Parser(_postal_code_value, "{c} ~ '^[0-9]{2}-[0-9]{3}$'")


def _email_value(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError(_("„%(value)s” nie jest poprawnym adresem e-mail.") % {"value": value}) from None
    return value


_email = Parser(_email_value, None)


def _amount_value(value: str) -> Decimal:
    return parse_decimal(value, places=2)


_amount = Parser(_amount_value, "{c} ~ '^-?0*[0-9]{digits}(,[0-9]{1,2})?$'")


def _power_value(value: str) -> Decimal:
    number = parse_decimal(value, places=3)
    if number < 0:
        raise ValueError(_("Moc zamówiona nie może być ujemna."))
    return number


# Not negative: a minus sign only before a zero ("-0,000" is zero, as Decimal has it).
_NOT_NEGATIVE_3 = "{c} ~ '^(-0+(,0{1,3})?|0*[0-9]{digits}(,[0-9]{1,3})?)$'"
_power = Parser(_power_value, _NOT_NEGATIVE_3)


def _register_value(value: str) -> Decimal:
    number = parse_decimal(value, places=3)
    if number < 0:
        raise ValueError(_("Wskazanie licznika nie może być ujemne."))
    return number


_register = Parser(_register_value, _NOT_NEGATIVE_3)
_date = Parser(parse_date, "pg_temp.ebok_is_date({c})")  # see billing/import_sql.py


# --- what each file holds ---------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str  # the CSV header
    attname: str  # the model attribute it fills ("" for the PDF path, handled by the importer)
    parse: Parser = _text
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
    # `check` as a PostgreSQL condition, TRUE when the row passes; "{column}" stands for a raw
    # cell. It sees cells that may be invalid, so every cast sits behind a CASE that tested it.
    sql_check: str | None = None

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def key_of(self, values: dict[str, Any]) -> Any:
        return values[self.key[0]] if len(self.key) == 1 else tuple(values[k] for k in self.key)

    def key_text(self, key: Any) -> str:
        parts = key if isinstance(key, tuple) else (key,)
        return self.filename + "|" + "|".join(str(p) for p in parts)

    def column_of(self, attname: str) -> str:
        return next(c.name for c in self.columns if c.attname == attname)

    def fetch_existing(self, keys: list[Any]) -> dict[Any, models.Model]:
        """The rows already in the database for these natural keys, in one query."""
        if self.model is Reading:
            # Exactly these (meter, date) pairs: a filter on meters and dates separately could match
            # every reading of a thousand meters on a thousand days.
            table = connection.ops.quote_name(Reading._meta.db_table)
            pairs = ", ".join(["(%s, %s)"] * len(keys))
            params = [p for meter, date in keys for p in (meter, connection.ops.adapt_datefield_value(date))]
            found = Reading.objects.raw(
                f"SELECT * FROM {table} WHERE (meter_id, date) IN (VALUES {pairs})",  # noqa: S608 (placeholders only)
                params,
            )
            return {(r.meter_id, r.date): r for r in found}
        return self.model.objects.in_bulk(keys)


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
            Column("nr_umowy", "number"),
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
        sql_check=(
            "CASE WHEN pg_temp.ebok_is_date({obowiazuje_do}) AND pg_temp.ebok_is_date({obowiazuje_od})"
            " THEN {obowiazuje_do}::date >= {obowiazuje_od}::date ELSE TRUE END"
        ),
    ),
    FileSpec(
        "punkty.csv",
        DeliveryPoint,
        (
            Column("kod_punktu", "code"),
            Column("nr_umowy", "contract_id"),
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
            Column("nr_fabryczny", "serial"),
            Column("kod_punktu", "delivery_point_id"),
            Column("rodzaj", "kind", _choice(*Meter.Kind.values)),
            Column("jednostka", "unit", _choice(*Meter.Unit.values)),
            Column("data_montazu", "installed_on", _date),
            Column("data_demontazu", "removed_on", _date, required=False, empty=None),
            Column("legalizacja_do", "legalisation_until", _date, required=False, empty=None),
        ),
        key=("serial",),
        refs=(Ref("delivery_point_id", DeliveryPoint, fill=(("customer_id", "customer_id"),)),),
        check=_check_meter,
        sql_check=(
            "CASE WHEN pg_temp.ebok_is_date({data_demontazu}) AND pg_temp.ebok_is_date({data_montazu})"
            " THEN {data_demontazu}::date >= {data_montazu}::date ELSE TRUE END"
        ),
    ),
    FileSpec(
        "faktury.csv",
        Document,
        (
            Column("nr_dokumentu", "number"),
            Column("nr_odbiorcy", "customer_id"),
            Column("rodzaj", "kind", _choice(*Document.Kind.values)),
            Column("data_wystawienia", "issue_date", _date),
            Column("termin_platnosci", "due_date", _date),
            Column("netto", "net", _amount),
            Column("vat", "vat", _amount),
            Column("brutto", "gross", _amount),
            Column("dotyczy", "corrects_id", required=False, empty=None),
            Column("nr_ksef", "ksef_number", required=False),
            Column("plik", "", required=False, pdf=True),
        ),
        key=("number",),
        refs=(Ref("customer_id", Customer), Ref("corrects_id", Document, same_file=True, same_customer=True)),
        check=_check_document,
        sql_check=(
            "CASE WHEN pg_temp.ebok_is_amount({netto}) AND pg_temp.ebok_is_amount({vat})"
            " AND pg_temp.ebok_is_amount({brutto}) THEN pg_temp.ebok_decimal({netto})"
            " + pg_temp.ebok_decimal({vat}) = pg_temp.ebok_decimal({brutto}) ELSE TRUE END"
            " AND ({dotyczy} = '' OR ({rodzaj} = 'korekta' AND {dotyczy} <> {nr_dokumentu}))"
        ),
    ),
    FileSpec(
        "dokumenty.csv",
        OtherDocument,
        (
            Column("id_dokumentu", "ext_id"),
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
            Column("id_wplaty", "ext_id"),
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
            Column("nr_fabryczny", "meter_id"),
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


# --- writing ------------------------------------------------------------------------------------


@dataclass
class _Row:
    line: int
    values: dict[str, Any]
    key: Any = None
    pdf_source: Path | None = None


# Set when an import creates the row, never compared or updated afterwards (documents only).
CREATED_AT_FIELD = "imported_at"


def pdf_name(sha: str) -> str:
    """Where a PDF lives in private storage: named by its content."""
    return f"{PDF_FOLDER}/{sha[:2]}/{sha}.pdf"


def _has_created_at(model: type[models.Model]) -> bool:
    return any(f.attname == CREATED_AT_FIELD for f in model._meta.concrete_fields)


class BulkWriter:
    """Upserts one batch through the ORM: one query for the existing rows, one bulk insert, one bulk update."""

    def __init__(self, stamp: dt.datetime) -> None:
        self.stamp = stamp

    def write(self, spec: FileSpec, rows: list[_Row], counts: FileCounts) -> None:
        existing = spec.fetch_existing([r.key for r in rows])
        # The natural key is the primary key, except for readings (an automatic id; the key fields compare equal).
        fields = [
            f.attname for f in spec.model._meta.concrete_fields if not f.primary_key and f.attname != CREATED_AT_FIELD
        ]
        created_at = {CREATED_AT_FIELD: self.stamp} if _has_created_at(spec.model) else {}
        new, changed = [], []
        for row in rows:
            obj = existing.get(row.key)
            if obj is None:
                new.append(spec.model(**row.values, **created_at))
            elif any(getattr(obj, f) != row.values[f] for f in fields):
                for f in fields:
                    setattr(obj, f, row.values[f])
                changed.append(obj)
            else:
                counts.unchanged += 1
        if new:
            spec.model.objects.bulk_create(new)
            counts.created += len(new)
        if changed:
            update_fields = [
                f.name for f in spec.model._meta.concrete_fields if not f.primary_key and f.name != CREATED_AT_FIELD
            ]
            spec.model.objects.bulk_update(changed, update_fields)
            counts.updated += len(changed)

    def close(self) -> None:
        pass


# --- the import ---------------------------------------------------------------------------------


class _Importer:
    def __init__(
        self,
        folder: Path,
        *,
        dry_run: bool,
        batch_size: int,
        on_error: Callable[[RowError], None] | None,
        progress: Progress,
    ) -> None:
        self.folder = folder.resolve()
        self.dry_run = dry_run
        self.batch_size = batch_size
        self.on_error = on_error
        self.progress = progress
        self.result = ImportResult(dry_run=dry_run)
        self.stamp = timezone.now()  # every row this import creates carries it (imported_at)
        self.writer = BulkWriter(self.stamp)
        self.copied: list[Path] = []  # PDFs this run added to storage, removed again on rollback

    def error(self, file: str, line: int, column: str, reason: str) -> None:
        err = RowError(file, line, column, reason)
        self.result.error_count += 1
        if len(self.result.errors) < KEPT_ERRORS:
            self.result.errors.append(err)
        if self.on_error:
            self.on_error(err)

    def run(self) -> ImportResult:
        for path in sorted(self.folder.glob("*.csv")):
            if path.name not in FILE_ORDER:
                self.error(
                    path.name, 0, "", _("Nieznany plik; oczekiwane: %(files)s.") % {"files": ", ".join(FILE_ORDER)}
                )
        try:
            with transaction.atomic():
                self._setup()
                for spec in SPECS:
                    path = self.folder / spec.filename
                    if path.is_file():
                        self.result.counts[spec.filename] = counts = FileCounts()
                        self._import_file(spec, path, counts)
                        if spec.model in (Contract, DeliveryPoint) and counts.updated:
                            self._follow_customer_changes(spec.model)
                self._teardown()
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
            transaction.on_commit(lambda: import_committed.send(sender=_Importer, result=result, imported_at=stamp))
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

    def _setup(self) -> None:
        self._create_seen_table()

    def _teardown(self) -> None:
        self._drop_seen_table()
        self.writer.close()

    # The keys seen so far in each file live in a temporary table, so a key repeated far apart in
    # a huge file is caught without holding every key in memory.
    def _create_seen_table(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {_SEEN_TABLE} (k VARCHAR(400) PRIMARY KEY)")
            cursor.execute(f"DELETE FROM {_SEEN_TABLE}")  # noqa: S608 (constant name)

    def _drop_seen_table(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {_SEEN_TABLE}")

    def _already_seen(self, keys: list[str]) -> set[str]:
        """Which of these keys an earlier batch of the file had; records the rest."""
        placeholders = ", ".join(["%s"] * len(keys))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT k FROM {_SEEN_TABLE} WHERE k IN ({placeholders})", keys)  # noqa: S608
            seen = {k for (k,) in cursor.fetchall()}
            fresh = [k for k in keys if k not in seen]
            if fresh:
                values = ", ".join(["(%s)"] * len(fresh))
                cursor.execute(f"INSERT INTO {_SEEN_TABLE} (k) VALUES {values}", fresh)  # noqa: S608
        return seen

    def _import_file(self, spec: FileSpec, path: Path, counts: FileCounts) -> None:
        deferred: list[tuple[_Row, str]] = []  # forward references within this file
        with self._reading(spec, path) as (reader, index):
            if index is None:
                return
            for batch in self._batches(spec, reader, index, counts):
                self._write_batch(spec, batch, counts, deferred)
                self.progress.advance(len(batch))
                if settings.DEBUG and not connection.force_debug_cursor:
                    # DEBUG keeps the text of recent queries; with batches of thousands of rows
                    # that log alone would outgrow the import. Tests capturing queries force
                    # the debug cursor and keep theirs.
                    reset_queries()
        self._resolve_deferred(spec, deferred)

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
                    spec.filename, 1, name, _("Nieznana kolumna; oczekiwane: %(cols)s.") % {"cols": ", ".join(expected)}
                )
        for name in expected:
            if name not in header:
                ok = False
                self.error(spec.filename, 1, name, _("Brak kolumny w nagłówku."))
            elif header.count(name) > 1:
                ok = False
                self.error(spec.filename, 1, name, _("Kolumna występuje w nagłówku więcej niż raz."))
        return {name: header.index(name) for name in expected} if ok else None

    def _records(
        self, spec: FileSpec, reader: Iterator[list[str]], width: int, counts: FileCounts
    ) -> Iterator[tuple[int, list[str] | None]]:
        """(line, cells) of each record, counted; cells None for a row with the wrong number of
        fields (reported). Stops, reported, at a row the reader cannot decode."""
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                counts.bad += 1
                self.error(
                    spec.filename, reader.line_num, "", _("Nie można odczytać wiersza: %(error)s") % {"error": exc}
                )
                return  # the reader cannot recover its position after a decoding error
            if not cells:
                continue  # a blank line
            counts.rows += 1
            if len(cells) != width:
                counts.bad += 1
                self.error(
                    spec.filename,
                    reader.line_num,
                    "",
                    _("Wiersz ma %(got)d pól, a nagłówek %(want)d.") % {"got": len(cells), "want": width},
                )
                yield reader.line_num, None
            else:
                yield reader.line_num, cells

    def _batches(
        self, spec: FileSpec, reader: Iterator[list[str]], index: dict[str, int], counts: FileCounts
    ) -> Iterable[list[_Row | None]]:
        """Parsed rows in batches; None stands for a bad row (already reported) so progress counts it."""
        batch: list[_Row | None] = []
        for line, cells in self._records(spec, reader, len(index), counts):
            batch.append(None if cells is None else self._parse_row(spec, index, cells, line, counts))
            if len(batch) >= self.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def _parse_row(self, spec: FileSpec, index: dict[str, int], cells: list[str], line: int, counts: FileCounts):
        row = _Row(line, {})
        errors = self._check_cells(spec, index, cells, spec.columns, row)
        if not errors and spec.check:
            errors = spec.check(row.values)
        if errors:
            counts.bad += 1
            for column_name, reason in errors:
                self.error(spec.filename, line, column_name, reason)
            return None
        row.key = spec.key_of(row.values)
        return row

    def _check_cells(
        self, spec: FileSpec, index: dict[str, int], cells: list[str], columns: Iterable[Column], row: _Row
    ) -> list[tuple[str, str]]:
        """Parse these columns of one row into row.values; the (column, reason) of each bad cell."""
        values = row.values
        errors: list[tuple[str, str]] = []
        for column in columns:
            raw = cells[index[column.name]]
            if raw == "":
                if column.required:
                    errors.append((column.name, _("Pole jest wymagane, a jest puste.")))
                elif column.pdf:
                    values["pdf"], values["pdf_sha256"] = "", ""
                else:
                    values[column.attname] = column.empty
                continue
            try:
                if column.pdf:
                    row.pdf_source, sha = self._pdf(raw)
                    values["pdf"], values["pdf_sha256"] = pdf_name(sha), sha
                else:
                    values[column.attname] = value = column.parse(raw)
                    self._check_fits(spec, column, value)
            except ValueError as exc:
                errors.append((column.name, str(exc)))
        return errors

    @staticmethod
    def _check_fits(spec: FileSpec, column: Column, value: Any) -> None:
        """The database's limits, as row errors rather than a failed transaction."""
        max_length, limit = _limits(spec.model, column.attname)
        if max_length and isinstance(value, str) and len(value) > max_length:
            raise ValueError(_("Za długie: najwyżej %(max)d znaków.") % {"max": max_length})
        if limit and isinstance(value, Decimal) and abs(value) >= limit:
            raise ValueError(_("Liczba jest za duża."))

    def _pdf(self, raw: str) -> tuple[Path, str]:
        """Resolve a `plik` path inside the folder, check it is a PDF, and hash it."""
        relative = Path(raw)
        if relative.is_absolute() or raw.startswith(("/", "\\")) or ".." in relative.parts:
            raise ValueError(_("Ścieżka do pliku musi być względna i nie może wychodzić poza folder eksportu."))
        source = (self.folder / relative).resolve()
        if not source.is_relative_to(self.folder):
            raise ValueError(_("Plik wskazuje (przez dowiązanie) poza folder eksportu."))
        if not source.is_file():
            raise ValueError(_("Nie ma pliku „%(path)s” w folderze eksportu.") % {"path": raw})
        digest = hashlib.sha256()
        with source.open("rb") as f:
            if f.read(len(PDF_MAGIC)) != PDF_MAGIC:
                raise ValueError(_("Plik „%(path)s” nie jest plikiem PDF.") % {"path": raw})
            digest.update(PDF_MAGIC)
            for chunk in iter(lambda: f.read(1 << 16), b""):
                digest.update(chunk)
        return source, digest.hexdigest()

    def _write_batch(self, spec: FileSpec, batch: list[_Row | None], counts: FileCounts, deferred: list) -> None:
        rows = [r for r in batch if r is not None]
        if not rows:
            return
        rows = self._drop_duplicates(spec, rows, counts)
        rows = self._resolve_refs(spec, rows, counts, deferred)
        if not rows:
            return
        self.writer.write(spec, rows, counts)
        if not self.dry_run:
            for row in rows:
                if row.pdf_source is not None:
                    self._store_pdf(row.pdf_source, row.values["pdf"])

    def _drop_duplicates(self, spec: FileSpec, rows: list[_Row], counts: FileCounts) -> list[_Row]:
        first_line: dict[Any, int] = {}
        unique: list[_Row] = []
        key_column = spec.columns[0].name
        for row in rows:
            if row.key in first_line:
                counts.bad += 1
                self.error(
                    spec.filename,
                    row.line,
                    key_column,
                    _("Ten klucz występuje już w wierszu %(line)d.") % {"line": first_line[row.key]},
                )
            else:
                first_line[row.key] = row.line
                unique.append(row)
        seen = self._already_seen([spec.key_text(r.key) for r in unique])
        if not seen:
            return unique
        kept = []
        for row in unique:
            if spec.key_text(row.key) in seen:
                counts.bad += 1
                self.error(spec.filename, row.line, key_column, _("Ten klucz wystąpił już wcześniej w tym pliku."))
            else:
                kept.append(row)
        return kept

    def _resolve_refs(self, spec: FileSpec, rows: list[_Row], counts: FileCounts, deferred: list) -> list[_Row]:
        bad: set[int] = set()
        for ref in spec.refs:
            wanted = {r.values[ref.attname] for r in rows if r.values[ref.attname] is not None}
            if not wanted:
                continue
            targets = [t for _row, t in ref.fill]
            if ref.same_customer:
                targets.append("customer_id")
            found = {
                pk: dict(zip(targets, rest, strict=True))
                for pk, *rest in ref.model.objects.filter(pk__in=wanted).values_list("pk", *targets)
            }
            if ref.same_file:
                # Rows of this batch count as found unless already bad (whatever the batch size).
                found.update(
                    {
                        r.key: {t: r.values[t] for t in targets}
                        for r in rows
                        if r.key in wanted and r.key not in found and r.line not in bad
                    }
                )
            column = spec.column_of(ref.attname)
            for row in rows:
                target = row.values[ref.attname]
                if target is None:
                    continue
                if target not in found:
                    if ref.same_file:
                        deferred.append((row, column))  # may be a later row of this file
                    else:
                        bad.add(row.line)
                        self.error(spec.filename, row.line, column, self._missing(ref, target))
                    continue
                for attname, target_attname in ref.fill:
                    row.values[attname] = found[target][target_attname]
                if ref.same_customer and found[target]["customer_id"] != row.values["customer_id"]:
                    bad.add(row.line)
                    self.error(
                        spec.filename, row.line, column, _("„%(key)s” należy do innego odbiorcy.") % {"key": target}
                    )
        counts.bad += len(bad)
        return [r for r in rows if r.line not in bad]

    @staticmethod
    def _missing(ref: Ref, target: Any) -> str:
        return _("„%(key)s” nie istnieje ani w tym eksporcie, ani w bazie (%(what)s).") % {
            "key": target,
            "what": ref.model._meta.verbose_name,
        }

    def _resolve_deferred(self, spec: FileSpec, deferred: list[tuple[_Row, str]]) -> None:
        """Check references to rows that came later in the same file, now that all are written."""
        if not deferred:
            return
        ref = next(r for r in spec.refs if r.same_file)
        counts = self.result.counts[spec.filename]
        for start in range(0, len(deferred), self.batch_size):
            chunk = deferred[start : start + self.batch_size]
            found = dict(
                ref.model.objects.filter(pk__in={row.values[ref.attname] for row, _c in chunk}).values_list(
                    "pk", "customer_id"
                )
            )
            for row, column in chunk:
                target = row.values[ref.attname]
                if target not in found:
                    counts.bad += 1
                    self.error(spec.filename, row.line, column, self._missing(ref, target))
                elif ref.same_customer and found[target] != row.values["customer_id"]:
                    counts.bad += 1
                    self.error(
                        spec.filename, row.line, column, _("„%(key)s” należy do innego odbiorcy.") % {"key": target}
                    )

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
        self.copied.append(target)
        self.result.pdfs_copied += 1

    def _remove_copied(self) -> None:
        for path in self.copied:
            path.unlink(missing_ok=True)
        self.result.pdfs_copied = 0
        self.copied = []


def import_folder(
    folder: Path,
    *,
    dry_run: bool = False,
    batch_size: int | None = None,
    on_error: Callable[[RowError], None] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one export folder as a whole or not at all; see the module docstring."""
    importer_class = _Importer
    if connection.vendor == "postgresql" and settings.BILLING_IMPORT_COPY:
        from billing.import_sql import SqlImporter

        importer_class = SqlImporter
    return importer_class(
        Path(folder),
        dry_run=dry_run,
        batch_size=batch_size or settings.BILLING_IMPORT_BATCH_SIZE,
        on_error=on_error,
        progress=progress or Progress(),
    ).run()
