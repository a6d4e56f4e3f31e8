"""manage.py purge_orphan_files: private files no row names, older than a day, and nothing else."""

from __future__ import annotations

import os
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Attachment
from cases.services import ATTACHMENTS_DIR
from exchange.importer import PDF_FOLDER
from meters.services import PHOTO_DIR
from tests import factories

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


def private_file(relative: str, *, age_hours: float) -> Path:
    path = Path(settings.PRIVATE_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4\n% x\n%%EOF\n")
    then = time.time() - age_hours * 3600
    os.utime(path, (then, then))
    return path


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_orphan_files", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def files(alice):
    case = factories.make_case(alice.customer)
    kept_attachment = private_file(f"{ATTACHMENTS_DIR}/2026/kept.pdf", age_hours=48)
    Attachment.objects.create(
        message=case.messages.first(), path=f"{ATTACHMENTS_DIR}/2026/kept.pdf", filename="a.pdf",
        content_type="application/pdf", size=10,
    )  # fmt: skip
    kept_pdf = private_file(f"{PDF_FOLDER}/ab/kept.pdf", age_hours=48)
    factories.make_document(alice.customer, pdf=f"{PDF_FOLDER}/ab/kept.pdf")
    return {
        "kept": [kept_attachment, kept_pdf],
        "young orphans": [private_file(f"{ATTACHMENTS_DIR}/2026/uploading.pdf", age_hours=2)],
        "old orphans": [
            private_file(f"{ATTACHMENTS_DIR}/2026/rolled-back.pdf", age_hours=30),
            private_file(f"{PHOTO_DIR}/2026/10/deleted.jpg", age_hours=24 * 40),
            private_file(f"{PDF_FOLDER}/cd/gone.pdf", age_hours=48),
        ],
        "elsewhere": [private_file("backup-notes/readme.txt", age_hours=24 * 90)],  # not a declared folder
    }


def test_it_deletes_old_files_no_row_names_and_nothing_else(files):
    out = purge()

    assert "Deleted 3 orphan file(s)" in out
    assert not any(p.exists() for p in files["old orphans"])
    assert all(p.exists() for p in files["kept"] + files["young orphans"] + files["elsewhere"])


def test_a_dry_run_lists_them_and_deletes_nothing(files):
    out = purge("--dry-run")

    assert f"{ATTACHMENTS_DIR}/2026/rolled-back.pdf" in out and f"{PHOTO_DIR}/2026/10/deleted.jpg" in out
    assert "kept.pdf" not in out and "uploading.pdf" not in out
    assert "Would delete 3 orphan file(s)" in out
    assert all(p.exists() for group in files.values() for p in group)


def test_a_younger_limit_takes_younger_orphans(files):
    purge("--older-than", "1")

    assert not any(p.exists() for p in files["young orphans"] + files["old orphans"])
    assert all(p.exists() for p in files["kept"])


def test_it_refuses_a_limit_under_an_hour(files):
    with pytest.raises(CommandError, match="at least 1 hour"):
        purge("--older-than", "0.1")


def test_every_folder_the_portal_writes_is_declared():
    assert {ATTACHMENTS_DIR, PHOTO_DIR, PDF_FOLDER} <= set(settings.EBOK_PRIVATE_FILES)
