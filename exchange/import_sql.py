"""The billing import's writer: checked rows into a staging table, then set-based SQL.

exchange.importer reads and checks every record and hands this writer one stream per file: the
values of each good row, the reasons of each bad one. Per file, in one transaction with the
rest of the folder:

1. The stream goes into a temporary staging table: on PostgreSQL through one COPY fed while the
   reader works (the reader checks rows on one core while the server ingests on the other); on
   other databases, or with BILLING_IMPORT_COPY=0, in INSERT batches of --batch-size rows.
2. One query finds keys repeated in the file, one per reference finds rows naming a row that
   exists neither in the database (earlier files are merged already) nor, for a reference
   within the file, among the file's good rows. Each adds to one table of errors.
3. One INSERT … SELECT … ON CONFLICT DO UPDATE … WHERE something differs upserts the good rows,
   filling the denormalised customer from the referenced row (into an empty table, the first
   load, a plain INSERT … SELECT).
4. The errors come back in line order, through a cursor that fetches them in chunks.

The number of queries does not depend on the number of rows (on the batched load: on the
number of batches), and the good rows never travel back to Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from exchange.importer import CREATED_AT_FIELD, FileSpec, Record, Ref

_STAGE = "ebok_import_stage"
_BAD = "ebok_import_bad"
# Serialises imports: two at once would each check references against the other's half-written rows.
_LOCK_KEY = 0x0EB0C1A7
# The order of a line's errors: its cells' (as the reader found them), a repeated key, its references.
_REPEATED, _REFERENCE = 1000, 2000

# A staged row (alias s) that is not bad; and one whose references are still worth checking: not
# bad, or bad only for a reference (each reference of a row is checked).
_BAD_LINE = f"SELECT 1 FROM {_BAD} b WHERE b.line ="  # noqa: S608 (a constant name)
_GOOD = f"NOT EXISTS ({_BAD_LINE} s.line)"
_REFS_CHECKED = f"NOT EXISTS (SELECT 1 FROM {_BAD} b WHERE b.line = s.line AND b.seq < {_REFERENCE})"  # noqa: S608


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _copy_text(value: Any) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if type(value) is not str:
        return str(value)  # a number, or a date as YYYY-MM-DD
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def _copy_line(record: tuple[Any, ...], tabs: int) -> str:
    """A record as a line of COPY's text format. The common case in one pass: no value needs
    escaping when the line's only backslashes are its NULLs' and its only tabs the separators."""
    line = "\t".join(["\\N" if v is None else v if type(v) is str else str(v) for v in record])
    if line.count("\\") != record.count(None) or line.count("\t") != tabs or "\n" in line or "\r" in line:
        line = "\t".join(map(_copy_text, record))
    return line + "\n"


class _Lines:
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


class StagingWriter:
    def __init__(self, *, copy: bool, batch_size: int) -> None:
        self.copy = copy
        self.batch_size = batch_size

    def open(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
                # Sorting and hashing whole files (repeated keys, references) in memory, not on disk.
                cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute(f"DROP TABLE IF EXISTS {_BAD}")
            # seq orders a line's errors; code and detail are turned into the reason when reported.
            cursor.execute(
                f"CREATE TEMPORARY TABLE {_BAD} (line integer NOT NULL, seq integer NOT NULL, "
                "col text NOT NULL, code text NOT NULL, detail text)"
            )
            cursor.execute(f"CREATE INDEX {_BAD}_line ON {_BAD} (line)")

    def close(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {_STAGE}")
            cursor.execute(f"DROP TABLE {_BAD}")

    # --- 1. staging ----------------------------------------------------------------------------

    def write(self, spec: FileSpec, records: Iterable[Record], stamp: dt.datetime) -> tuple[int, int]:
        """Stage the file's records, check keys and references, merge the good rows: (created, updated)."""
        fields = {f.attname: f for f in spec.model._meta.concrete_fields}
        stored = [_quote(name) for name in spec.stored]
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {_STAGE}")
            typed = ", ".join(f"{_quote(name)} {fields[name].db_type(connection)}" for name in spec.stored)
            cursor.execute(
                f"CREATE TEMPORARY TABLE {_STAGE} (line integer NOT NULL, seq integer, col text, reason text, "
                f"{typed}, pdf_source text)"
            )
            cursor.execute(f"DELETE FROM {_BAD}")  # noqa: S608 (a constant name)
            columns = ["line", "seq", "col", "reason", *stored, "pdf_source"]
            if self.copy:
                lines = (_copy_line(record, len(columns) - 1) for record in records)
                cursor.cursor.copy_expert(
                    f"COPY {_STAGE} ({', '.join(columns)}) FROM STDIN", _Lines(lines), size=1 << 16
                )
                cursor.execute(f"ANALYZE {_STAGE}")
            else:
                insert = f"INSERT INTO {_STAGE} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
                batch: list[tuple[Any, ...]] = []
                for record in records:
                    batch.append(record)
                    if len(batch) == self.batch_size:
                        cursor.executemany(insert, batch)
                        batch = []
                if batch:
                    cursor.executemany(insert, batch)
            cursor.execute(
                f"INSERT INTO {_BAD} (line, seq, col, code, detail) "  # noqa: S608 (constant names)
                f"SELECT line, seq, col, '', reason FROM {_STAGE} WHERE reason IS NOT NULL"
            )
        self._mark_repeated_keys(spec)
        for n, ref in enumerate(spec.refs):
            self._mark_missing(spec, n, ref)
        return self._merge(spec, stamp)

    # --- 2. repeated keys and references -------------------------------------------------------

    def _mark_repeated_keys(self, spec: FileSpec) -> None:
        keys = [_quote(k) for k in spec.key]
        firsts = ", ".join(f"s.{k}" for k in keys)
        same = " AND ".join(f"d.{k} = s.{k}" for k in keys)
        self._execute(
            f"INSERT INTO {_BAD} (line, seq, col, code, detail) "  # noqa: S608 (names from the specs)
            f"SELECT s.line, {_REPEATED}, %s, 'repeated', CAST(d.first AS text) FROM {_STAGE} s JOIN ("
            f"SELECT {firsts}, min(s.line) AS first FROM {_STAGE} s WHERE {_GOOD} "
            f"GROUP BY {firsts} HAVING count(*) > 1) d ON {same} WHERE s.line <> d.first AND {_GOOD}",
            [spec.columns[0].name],
        )

    def _mark_missing(self, spec: FileSpec, n: int, ref: Ref) -> None:
        """Rows naming a row that exists neither in its table nor (a reference within the file)
        among the file's good rows; or one of another customer, where it must be the row's own."""
        cell = f"s.{_quote(ref.attname)}"
        target = ref.model._meta
        target_pk = _quote(target.pk.column)
        joins = f"LEFT JOIN {_quote(target.db_table)} t ON t.{target_pk} = {cell}"
        found, owner = f"t.{target_pk}", "t.customer_id"
        if ref.same_file:
            key = _quote(spec.key[0])
            joins += f" LEFT JOIN {_STAGE} n ON n.{key} = {cell} AND NOT EXISTS ({_BAD_LINE} n.line)"
            # A row of this file takes precedence: it is what the database will hold.
            found, owner = f"coalesce(n.{key}, {found})", f"coalesce(n.customer_id, {owner})"
        wrong = f"{found} IS NULL"
        if ref.same_customer:
            wrong += f" OR {owner} <> s.customer_id"
        self._execute(
            f"INSERT INTO {_BAD} (line, seq, col, code, detail) "  # noqa: S608 (names from the models)
            f"SELECT s.line, {_REFERENCE + n}, %s, CASE WHEN {found} IS NULL THEN 'missing' ELSE 'foreign' END, "
            f"{cell} FROM {_STAGE} s {joins} WHERE {cell} IS NOT NULL AND {_REFS_CHECKED} AND ({wrong})",
            [spec.column_of(ref.attname)],
        )

    @staticmethod
    def _execute(sql: str, params: list[Any]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    # --- 3. the merge ----------------------------------------------------------------------------

    def _merge(self, spec: FileSpec, stamp: dt.datetime) -> tuple[int, int]:
        """Upsert the good rows; (created, updated)."""
        meta = spec.model._meta
        joins, expressions, columns, params = [], [], [], []
        fills = {}
        for n, ref in enumerate(r for r in spec.refs if r.fill):
            target = ref.model._meta
            joins.append(
                f"JOIN {_quote(target.db_table)} r{n} ON r{n}.{_quote(target.pk.column)} = s.{_quote(ref.attname)}"
            )
            for attname, target_attname in ref.fill:
                column = next(f.column for f in target.concrete_fields if f.attname == target_attname)
                fills[attname] = f"r{n}.{_quote(column)}"
        for f in meta.concrete_fields:
            if f.attname in spec.stored:
                expressions.append(f"s.{_quote(f.attname)}")
            elif f.attname in fills:
                expressions.append(fills[f.attname])
            elif f.attname == CREATED_AT_FIELD:
                expressions.append("%s")
                params.append(f.get_db_prep_value(stamp, connection))
            else:
                continue  # an automatic id
            columns.append(f.column)
        keys = [meta.get_field(k).column for k in spec.key]
        others = [c for c in columns if c not in keys and c != CREATED_AT_FIELD]
        table = _quote(meta.db_table)
        insert = (
            f"INSERT INTO {table} AS t ({', '.join(_quote(c) for c in columns)}) "  # noqa: S608 (names from the models)
            f"SELECT {', '.join(expressions)} FROM {_STAGE} s {' '.join(joins)} WHERE {_GOOD}"
        )
        same_key = " AND ".join(f"t.{_quote(k)} = s.{_quote(k)}" for k in spec.key)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608 (a model's table)
            (existing,) = cursor.fetchone()
            if existing:
                cursor.execute(
                    f"SELECT count(*) FROM {_STAGE} s WHERE {_GOOD} "  # noqa: S608 (names from the models)
                    f"AND EXISTS (SELECT 1 FROM {table} t WHERE {same_key})"
                )
                (existing,) = cursor.fetchone()
            if not existing:
                # Nothing to conflict with (repeated keys are already among the bad rows), so a
                # plain INSERT, without the upsert's index probes: the first load.
                cursor.execute(insert, params)
                return cursor.rowcount, 0
            distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"  # SQLite before 3.39
            differs = " OR ".join(f"t.{_quote(c)} {distinct} EXCLUDED.{_quote(c)}" for c in others)
            sets = ", ".join(f"{_quote(c)} = EXCLUDED.{_quote(c)}" for c in others)
            cursor.execute(
                f"{insert} ON CONFLICT ({', '.join(_quote(k) for k in keys)}) DO UPDATE SET {sets} WHERE {differs}",
                params,
            )
            # rowcount: rows inserted plus rows updated; an unchanged row is neither.
            (good,) = self._one(f"SELECT count(*) FROM {_STAGE} s WHERE {_GOOD}")  # noqa: S608
            created = good - existing
            return created, cursor.rowcount - created

    @staticmethod
    def _one(sql: str) -> tuple[Any, ...]:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()

    # --- 4. what the reader reports ------------------------------------------------------------

    def bad_rows(self) -> int:
        """How many rows of the file just written are bad."""
        (bad,) = self._one(f"SELECT count(DISTINCT line) FROM {_BAD}")  # noqa: S608 (a constant name)
        return bad

    def errors(self, spec: FileSpec) -> Iterator[tuple[int, str, str]]:
        """(line, column, reason) of every error of the file just written, in line order."""
        for line, seq, column, code, detail in self._stream(
            f"SELECT line, seq, col, code, detail FROM {_BAD} ORDER BY line, seq"  # noqa: S608 (a constant name)
        ):
            if code == "":
                yield line, column, detail
            elif code == "repeated":
                yield line, column, _("Ten klucz występuje już w wierszu %(line)d.") % {"line": int(detail)}
            elif code == "missing":
                what = spec.refs[seq - _REFERENCE].model._meta.verbose_name
                yield (
                    line,
                    column,
                    _("„%(key)s” nie istnieje ani w tym eksporcie, ani w bazie (%(what)s).")
                    % {
                        "key": detail,
                        "what": what,
                    },
                )
            else:
                yield line, column, _("„%(key)s” należy do innego odbiorcy.") % {"key": detail}

    def good_pdfs(self, spec: FileSpec) -> Iterator[tuple[str, str]]:
        """(storage name, source path) of each distinct PDF the file's good rows name."""
        if "pdf" not in spec.stored:
            return iter(())
        return self._stream(
            f"SELECT DISTINCT s.pdf, s.pdf_source FROM {_STAGE} s "  # noqa: S608 (constant names)
            f"WHERE s.pdf_source IS NOT NULL AND {_GOOD}"
        )

    @staticmethod
    def _stream(sql: str) -> Iterator[tuple[Any, ...]]:
        """The query's rows, fetched in chunks (on PostgreSQL through a server-side cursor)."""
        if connection.vendor == "postgresql":
            with connection.connection.cursor(name="ebok_import_stream") as rows:
                rows.itersize = 2000
                rows.execute(sql)
                yield from rows
            return
        with connection.cursor() as cursor:
            cursor.execute(sql)
            while chunk := cursor.fetchmany(2000):
                yield from chunk
