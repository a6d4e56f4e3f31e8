"""`make faults` as a test: PostgreSQL stops and starts under load; the portal answers 503, then recovers.

It runs its own throwaway PostgreSQL cluster (never the machine's server) and takes about 25 s.
"""

import glob
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not glob.glob("/usr/lib/postgresql/*/bin/initdb"), reason="no PostgreSQL server binaries")
def test_the_portal_answers_503_while_the_database_is_down_and_recovers_by_itself():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "scripts/faults.py"], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "errors after recovery: 0 of" in result.stdout
    assert "faults: OK" in result.stdout
