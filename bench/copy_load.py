"""The baseline: a bare PostgreSQL COPY of COPY-ready files into the same tables (bench/run.py).

`python bench/copy_load.py DSN FOLDER TABLE...` copies FOLDER/TABLE.tsv into each TABLE in the
given order, in one transaction, and prints the seconds spent in COPY and COMMIT as JSON.
Only psycopg2: no Django, so the peak memory is what the COPY itself needs.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import psycopg2

dsn, folder, tables = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
connection = psycopg2.connect(dsn)
seconds: dict[str, float] = {}
with connection.cursor() as cursor:
    for table in tables:
        path = folder / f"{table}.tsv"
        with path.open(encoding="utf-8") as data:
            columns = data.readline().rstrip("\n").split("\t")
            started = time.perf_counter()
            cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", data, size=1 << 16)
            seconds[table] = time.perf_counter() - started
started = time.perf_counter()
connection.commit()
seconds["commit"] = time.perf_counter() - started
connection.close()
print(json.dumps({"seconds": sum(seconds.values()), "tables": seconds}))
