import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="needs make")


def run_recipe(*args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "EBOK_SITE_URL"}
    done = subprocess.run(  # noqa: S603
        [MAKE, "-n", "run", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=30
    )
    return done.stdout


def test_the_links_in_e_mails_follow_host_and_port():
    recipe = run_recipe("HOST=localhost", "PORT=8041")
    assert 'export EBOK_SITE_URL="${EBOK_SITE_URL:-http://localhost:8041}"' in recipe
    assert "runserver localhost:8041" in recipe


def test_the_readme_names_host_and_port():
    readme = (ROOT / "README.md").read_text()
    assert "make run HOST=0.0.0.0 PORT=8041" in readme
