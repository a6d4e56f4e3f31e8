"""The billing import's PostgreSQL path: a raw COPY into a staging table, then set-based SQL.

Per file, in one transaction with the rest of the folder:

1. One Python pass streams the CSV into a temporary staging table as text (its line number, its
   cells, the storage name of its PDF), checking there only what SQL cannot: the number of
   fields, the PDF files and the e-mail addresses. Nothing but the current row stays in memory.
2. One query marks every row that breaks a cell rule or the file's row rule (the SQL twins of
   the parsers and checks in billing.importer); the Python parsers then re-read just those rows
   and give the reasons, so the messages have one source. A row SQL marks that Python accepts
   would be a drift between the two and stops the import loudly (ImportRulesDisagree).
3. One query finds keys repeated in the file, one per reference finds rows naming a row that
   does not exist (earlier files are already merged, so they are looked up in their tables).
4. One INSERT … SELECT … ON CONFLICT DO UPDATE … WHERE something differs upserts the good rows
   with their casts and counts created and updated rows in the database (into an empty table,
   the first load, a plain INSERT … SELECT).

The number of queries does not depend on the number of rows, and the rows never travel back to
Python unless they are bad. The other databases use the batched ORM path in billing.importer;
tests run the same bad exports through both and expect the same reports.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.db import connection, models
from django.utils.translation import gettext as _

from billing.importer import (
    CREATED_AT_FIELD,
    Column,
    FileCounts,
    FileSpec,
    _Importer,
    _limits,
    _Row,
)
from meters.models import Reading

_STAGE = "ebok_import_stage"
_BAD = "ebok_import_bad"
# Serialises imports: two at once would each check references against the other's half-written rows.
_LOCK_KEY = 0x0EB0C1A7

# A staged row (alias s) that is not bad; and one whose references are still worth checking: not
# bad, or bad only for naming a missing row (as the ORM path, which checks each reference of a row).
_GOOD = f"NOT EXISTS (SELECT 1 FROM {_BAD} b WHERE b.line = s.line)"  # noqa: S608 (constant names)
_REFS_CHECKED = f"NOT EXISTS (SELECT 1 FROM {_BAD} b WHERE b.line = s.line AND NOT b.ref)"  # noqa: S608

# Rows of the staging table: `pre` says what the Python pass already found.
PRE_OK, PRE_CELLS, PRE_UNREADABLE = 0, 1, 2  # fine / a Python-only cell is bad / the row has no usable cells

# The SQL side of the cell rules. Every function is total (never raises, whatever the text), and
# every cast sits in a CASE branch that has checked its text, since SQL may evaluate AND in any order.
_FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION pg_temp.ebok_is_amount(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT v ~ '^-?[0-9]{1,40}(,[0-9]{1,2})?$'
$$;
CREATE OR REPLACE FUNCTION pg_temp.ebok_decimal(v text) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
    SELECT replace(v, ',', '.')::numeric
$$;
CREATE OR REPLACE FUNCTION pg_temp.ebok_is_date(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' AND left(v, 4) <> '0000' THEN
        -- Only days 29-31 need the calendar (and only they pay for it).
        substr(v, 9, 2) < '29' OR substr(v, 9, 2)::integer <= extract(day FROM
            make_date(substr(v, 1, 4)::integer, substr(v, 6, 2)::integer, 1)
            + interval '1 month' - interval '1 day')::integer
    ELSE FALSE END
$$;
CREATE OR REPLACE FUNCTION pg_temp.ebok_is_nip(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v ~ '^[0-9]{10}$' THEN
        (6 * substr(v, 1, 1)::integer + 5 * substr(v, 2, 1)::integer + 7 * substr(v, 3, 1)::integer
         + 2 * substr(v, 4, 1)::integer + 3 * substr(v, 5, 1)::integer + 4 * substr(v, 6, 1)::integer
         + 5 * substr(v, 7, 1)::integer + 6 * substr(v, 8, 1)::integer + 7 * substr(v, 9, 1)::integer) % 11
        = substr(v, 10, 1)::integer
    ELSE FALSE END
$$;
CREATE OR REPLACE FUNCTION pg_temp.ebok_is_nrb(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v ~ '^[0-9]{26}$' THEN
        (substr(v, 3) || '2521' || substr(v, 1, 2))::numeric % 97 = 1
    ELSE FALSE END
$$;
"""


class ImportRulesDisagree(RuntimeError):
    """The SQL twin of a rule marked a row that the Python rule accepts: a bug, never bad data."""


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _escape(cell: str) -> str:
    return cell.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class _Chunks:
    """A file-like view of an iterator of strings, for psycopg2's copy_expert."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines

    def read(self, size: int = -1) -> str:
        parts, length = [], 0
        for line in self._lines:
            parts.append(line)
            length += len(line)
            if 0 < size <= length:
                break
        return "".join(parts)


class SqlImporter(_Importer):
    PROGRESS_EVERY = 10_000

    def _setup(self) -> None:
        # The same PDF named by many rows (a tariff sent to every customer) is read and hashed once.
        self._pdf = functools.lru_cache(maxsize=4096)(super()._pdf)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
            # Sorting and hashing whole files (repeated keys, references) in memory, not on disk.
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute(_FUNCTIONS)
            cursor.execute(f"DROP TABLE IF EXISTS {_BAD}")
            # ref: bad only for naming a missing row; its other references are still checked (as
            # the ORM path does), while a row with a bad cell or a repeated key is not looked at again.
            cursor.execute(
                f"CREATE TEMPORARY TABLE {_BAD} (line integer PRIMARY KEY, ref boolean NOT NULL DEFAULT FALSE) "
                "ON COMMIT DROP"
            )

    def _teardown(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {_STAGE}")
            cursor.execute(f"DROP TABLE {_BAD}")

    # --- 1. the Python pass: CSV → staging table ---------------------------------------------

    def _import_file(self, spec: FileSpec, path: Path, counts: FileCounts) -> None:
        with self._reading(spec, path) as (reader, index):
            if index is None:
                return
            header = sorted(index, key=index.get)
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {_STAGE}")
                cells = ", ".join(f"{_quote(name)} text NOT NULL" for name in header)
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {_STAGE} (line integer NOT NULL, pre smallint NOT NULL, "
                    f"{cells}, pdf_name text, pdf_sha256 text, pdf_source text)"
                )
                cursor.execute(f"TRUNCATE {_BAD}")
                names = ["line", "pre", *(_quote(n) for n in header), "pdf_name", "pdf_sha256", "pdf_source"]
                columns = ", ".join(names)
                stream = _Chunks(self._staged_lines(spec, reader, index, counts))
                cursor.cursor.copy_expert(f"COPY {_STAGE} ({columns}) FROM STDIN", stream, size=1 << 16)
                cursor.execute(f"ANALYZE {_STAGE}")
        if counts.rows:
            self._check_and_merge(spec, counts)

    def _staged_lines(
        self, spec: FileSpec, reader: Iterator[list[str]], index: dict[str, int], counts: FileCounts
    ) -> Iterator[str]:
        width = len(index)
        python_columns = [c for c in spec.columns if c.pdf or c.parse.sql is None]
        empty_row = "\t".join([""] * width)
        since_progress = 0
        for line, cells in self._records(spec, reader, width, counts):
            pre, pdf = PRE_OK, "\\N\t\\N\t\\N"
            if cells is None:  # the wrong number of fields, reported
                pre, text = PRE_UNREADABLE, empty_row
            else:
                row = _Row(line, {})
                errors = self._check_cells(spec, index, cells, python_columns, row)
                if errors:
                    counts.bad += 1
                    pre = PRE_CELLS
                    for column_name, reason in errors:
                        self.error(spec.filename, line, column_name, reason)
                elif row.pdf_source is not None:
                    pdf = f"{row.values['pdf']}\t{row.values['pdf_sha256']}\t{_escape(str(row.pdf_source))}"
                elif "pdf" in row.values:
                    pdf = "\t\t\\N"  # an optional PDF left empty
                text = "\t".join(cells)
                if text.count("\t") != width - 1 or "\\" in text or "\n" in text or "\r" in text:
                    text = "\t".join(_escape(cell) for cell in cells)
            yield f"{line}\t{pre}\t{text}\t{pdf}\n"
            since_progress += 1
            if since_progress == self.PROGRESS_EVERY:
                self.progress.advance(since_progress)
                since_progress = 0
        self.progress.advance(since_progress)

    # --- 2.–4. set-based checks and the merge ------------------------------------------------

    def _check_and_merge(self, spec: FileSpec, counts: FileCounts) -> None:
        self._mark_bad_cells(spec, counts)
        self._mark_repeated_keys(spec, counts)
        for ref in spec.refs:
            if not ref.same_file:
                self._mark_missing(spec, ref, counts)
        self._merge(spec, counts)
        for ref in spec.refs:
            if ref.same_file:
                self._check_same_file_ref(spec, ref, counts)
        if not self.dry_run:
            self._store_pdfs(spec)

    @staticmethod
    def _cell(name: str) -> str:
        return f"s.{_quote(name)}"

    def _cell_condition(self, spec: FileSpec, column: Column) -> str | None:
        """TRUE when the cell passes its rule, or None when Python checked it in the pass."""
        cell = self._cell(column.name)
        if column.pdf or column.parse.sql is None:
            return f"{cell} <> ''" if column.required else None
        parts = [column.parse.sql_for(cell, int_digits=self._int_digits(spec, column))]
        max_length, _limit = _limits(spec.model, column.attname)
        if max_length:
            parts.append(f"length({cell}) <= {max_length}")
        valid = " AND ".join(parts)
        return f"({cell} <> '' AND {valid})" if column.required else f"({cell} = '' OR ({valid}))"

    @staticmethod
    def _int_digits(spec: FileSpec, column: Column) -> int | None:
        """How many integer digits the column's database field takes (numbers only)."""
        _max_length, limit = _limits(spec.model, column.attname)
        return None if limit is None else limit.adjusted()  # limit = 10 ** digits

    def _mark_bad_cells(self, spec: FileSpec, counts: FileCounts) -> None:
        conditions = [c for c in (self._cell_condition(spec, col) for col in spec.columns) if c]
        if spec.sql_check:
            conditions.append("(" + spec.sql_check.format(**{c.name: self._cell(c.name) for c in spec.columns}) + ")")
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {_BAD} (line) SELECT s.line FROM {_STAGE} s "  # noqa: S608 (names from the specs)
                f"WHERE s.pre <> {PRE_OK} OR NOT ({' AND '.join(conditions)})"
            )
            if not cursor.rowcount:
                return
        # Explain the marked rows with the Python rules, reading them through a server-side cursor.
        names = [c.name for c in spec.columns]
        index = {name: i for i, name in enumerate(names)}
        sql_columns = [c for c in spec.columns if not c.pdf and c.parse.sql is not None]
        with connection.connection.cursor(name="ebok_import_bad_rows") as rows:
            rows.itersize = 2000
            rows.execute(
                f"SELECT s.line, s.pre, {', '.join(self._cell(n) for n in names)} FROM {_STAGE} s "  # noqa: S608
                f"JOIN {_BAD} b ON b.line = s.line WHERE s.pre <> {PRE_UNREADABLE} ORDER BY s.line"
            )
            for line, pre, *cells in rows:
                row = _Row(line, {})
                errors = self._check_cells(spec, index, cells, sql_columns, row)
                if pre == PRE_OK:
                    # Like the Python path: the row rule only for a row whose cells are all good.
                    if not errors and spec.check:
                        errors = spec.check(row.values)
                    if not errors:
                        raise ImportRulesDisagree(
                            f"{spec.filename}, line {line}: the SQL rules refuse a row the Python rules accept"
                        )
                    counts.bad += 1  # (a PRE_CELLS row was counted in the pass)
                for column_name, reason in errors:
                    self.error(spec.filename, line, column_name, reason)

    def _key_columns(self, spec: FileSpec) -> list[str]:
        return [spec.column_of(attname) for attname in spec.key]

    def _mark_repeated_keys(self, spec: FileSpec, counts: FileCounts) -> None:
        keys = [self._cell(c) for c in self._key_columns(spec)]
        d_keys = [f"d.k{i}" for i in range(len(keys))]
        key_list = ", ".join(f"{k} AS k{i}" for i, k in enumerate(keys))
        query = (
            f"SELECT s.line, d.first FROM {_STAGE} s JOIN ("  # noqa: S608 (names from the specs)
            f"SELECT {key_list}, min(s.line) AS first FROM {_STAGE} s WHERE {_GOOD} "
            f"GROUP BY {', '.join(keys)} HAVING count(*) > 1) d "
            f"ON ({', '.join(keys)}) = ({', '.join(d_keys)}) WHERE s.line <> d.first AND {_GOOD} ORDER BY s.line"
        )
        column = self._key_columns(spec)[0]

        def explain(first: int) -> tuple[str, str]:
            return column, _("Ten klucz występuje już w wierszu %(line)d.") % {"line": first}

        self._report_and_mark(spec, counts, query, explain)

    def _mark_missing(self, spec: FileSpec, ref: Any, counts: FileCounts) -> None:
        cell = self._cell(spec.column_of(ref.attname))
        target = ref.model._meta
        query = (
            f"SELECT s.line, {cell} FROM {_STAGE} s WHERE {cell} <> '' "  # noqa: S608 (names from the models)
            f"AND {_REFS_CHECKED} "
            f"AND NOT EXISTS (SELECT 1 FROM {_quote(target.db_table)} t WHERE t.{_quote(target.pk.column)} = {cell}) "
            f"ORDER BY s.line"
        )
        self._report_and_mark(
            spec, counts, query, lambda key: (spec.column_of(ref.attname), self._missing(ref, key)), ref=True
        )

    def _report_and_mark(
        self, spec: FileSpec, counts: FileCounts, query: str, explain: Callable[..., tuple[str, str]], ref: bool = False
    ) -> None:
        """Report each (line, *details) the query finds, explained as (column, reason), and add
        the lines to the bad ones."""
        lines = []
        with connection.connection.cursor(name="ebok_import_found") as found:
            found.itersize = 2000
            found.execute(query)
            for line, *details in found:
                column, reason = explain(*details)
                self.error(spec.filename, line, column, reason)
                lines.append(line)
                if len(lines) >= 2000:
                    counts.bad += self._mark(lines, ref)
                    lines = []
        if lines:
            counts.bad += self._mark(lines, ref)

    @staticmethod
    def _mark(lines: list[int], ref: bool) -> int:
        """Add lines to the bad ones; how many were not bad yet."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {_BAD} (line, ref) SELECT unnest(%s::integer[]), %s ON CONFLICT DO NOTHING",  # noqa: S608
                [lines, ref],
            )
            return cursor.rowcount

    def _merge(self, spec: FileSpec, counts: FileCounts) -> None:
        model = spec.model
        meta = model._meta
        fields = [f for f in meta.concrete_fields if not (f.primary_key and model is Reading)]
        by_attname = {c.attname: c for c in spec.columns if c.attname}
        joins, fills = [], {}
        for n, ref in enumerate(r for r in spec.refs if r.fill):
            alias = f"r{n}"
            target = ref.model._meta
            joins.append(
                f"JOIN {_quote(target.db_table)} {alias} ON {alias}.{_quote(target.pk.column)} = "
                f"{self._cell(spec.column_of(ref.attname))}"
            )
            for attname, target_attname in ref.fill:
                target_column = next(f.column for f in target.concrete_fields if f.attname == target_attname)
                fills[attname] = f"{alias}.{_quote(target_column)}"
        params: list[Any] = []
        expressions = []
        for f in fields:
            if f.attname in fills:
                expressions.append(fills[f.attname])
            elif f.attname == CREATED_AT_FIELD:
                expressions.append("%s")
                params.append(self.stamp)
            elif f.attname in ("pdf", "pdf_sha256"):
                expressions.append(f"coalesce(s.{'pdf_name' if f.attname == 'pdf' else 'pdf_sha256'}, '')")
            else:
                expressions.append(self._cast(f, by_attname[f.attname]))
        columns = [f.column for f in fields]
        keys = [meta.get_field(k).column for k in spec.key]
        others = [c for c in columns if c not in keys and c != CREATED_AT_FIELD]
        table = _quote(meta.db_table)
        sets = ", ".join(f"{_quote(c)} = EXCLUDED.{_quote(c)}" for c in others)
        mine = ", ".join(f"t.{_quote(c)}" for c in others)
        theirs = ", ".join(f"EXCLUDED.{_quote(c)}" for c in others)
        insert = (
            f"INSERT INTO {table} AS t ({', '.join(_quote(c) for c in columns)}) "  # noqa: S608 (names from the models)
            f"SELECT {', '.join(expressions)} FROM {_STAGE} s {' '.join(joins)} "
            f"WHERE {_GOOD}"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608 (a model's table)
            if not cursor.fetchone()[0]:
                # A first load into an empty table: nothing to conflict with (repeated keys are
                # already among the bad rows), so a plain INSERT, without the upsert's index probes.
                cursor.execute(insert, params)
                created, updated = cursor.rowcount, 0
            else:
                cursor.execute(
                    f"WITH merged AS ({insert} "  # noqa: S608 (names from the models)
                    f"ON CONFLICT ({', '.join(_quote(k) for k in keys)}) DO UPDATE SET {sets} "
                    f"WHERE ({mine}) IS DISTINCT FROM ({theirs}) RETURNING (xmax = 0) AS created) "
                    f"SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM merged",
                    params,
                )
                created, updated = cursor.fetchone()
        counts.created += created
        counts.updated += updated
        counts.unchanged += counts.rows - counts.bad - created - updated

    def _cast(self, field: models.Field, column: Column) -> str:
        cell = self._cell(column.name)
        value = f"NULLIF({cell}, '')" if column.empty is None else cell
        internal = field.get_internal_type()
        if internal == "DateField":
            return f"{value}::date"
        if internal == "DecimalField":
            return f"pg_temp.ebok_decimal({value})"
        return value

    def _check_same_file_ref(self, spec: FileSpec, ref: Any, counts: FileCounts) -> None:
        """A correction names a document: of this file (now merged) or the database, and its own customer's."""
        cell = self._cell(spec.column_of(ref.attname))
        owner = self._cell(spec.column_of("customer_id"))
        target = ref.model._meta
        query = (
            f"SELECT s.line, {cell}, t.{_quote(target.pk.column)} IS NULL FROM {_STAGE} s "  # noqa: S608
            f"LEFT JOIN {_quote(target.db_table)} t ON t.{_quote(target.pk.column)} = {cell} "
            f"WHERE {cell} <> '' AND {_REFS_CHECKED} "
            f"AND (t.{_quote(target.pk.column)} IS NULL OR t.customer_id <> {owner}) ORDER BY s.line"
        )
        column = spec.column_of(ref.attname)

        def explain(key: str, missing: bool) -> tuple[str, str]:
            if missing:
                return column, self._missing(ref, key)
            return column, _("„%(key)s” należy do innego odbiorcy.") % {"key": key}

        self._report_and_mark(spec, counts, query, explain, ref=True)

    def _store_pdfs(self, spec: FileSpec) -> None:
        if not any(c.pdf for c in spec.columns):
            return
        with connection.connection.cursor(name="ebok_import_pdfs") as pdfs:
            pdfs.itersize = 2000
            pdfs.execute(
                f"SELECT DISTINCT s.pdf_name, s.pdf_source FROM {_STAGE} s WHERE s.pdf_source IS NOT NULL "  # noqa: S608
                f"AND {_GOOD}"
            )
            for name, source in pdfs:
                self._store_pdf(Path(source), name)
