"""docs/deployment.md's nginx example agrees with the code: upload limits and the X-Accel location."""

import re
from pathlib import Path

from cases.forms import MAX_FILE_SIZE, MAX_FILES
from meters.forms import MAX_PHOTO_BYTES

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "deployment.md").read_text()
MB = 1024 * 1024


def _limit_for(path: str) -> int:
    """The client_max_body_size nginx would apply to a request for path (regex locations win)."""
    for pattern, block in re.findall(r"location ~ (\S+) \{(.*?)\}", DOC, flags=re.S):
        if re.match(pattern, path):
            return int(re.search(r"client_max_body_size (\d+)m;", block).group(1)) * MB
    return int(re.search(r"^        client_max_body_size (\d+)m;", DOC, flags=re.M).group(1)) * MB


def test_case_forms_take_every_allowed_attachment_with_room_for_the_form():
    for path in ("/sprawy/nowa/", "/sprawy/123/", "/admin/cases/case/123/change/", "/przerwy/7/bonifikata/PO-1/"):
        assert _limit_for(path) > MAX_FILES * MAX_FILE_SIZE, path


def test_the_self_reading_form_takes_the_largest_photo():
    assert _limit_for("/liczniki/ABC-123/podaj-odczyt/") > MAX_PHOTO_BYTES


def test_other_paths_keep_the_small_default():
    assert _limit_for("/logowanie/") <= MB


def test_the_internal_location_is_the_documented_x_accel_prefix():
    prefix = re.search(r"^EBOK_X_ACCEL_REDIRECT_PREFIX=(\S+)$", (ROOT / ".env.example").read_text(), flags=re.M)
    block = re.search(r"location " + re.escape(prefix.group(1)) + r" \{(.*?)\}", DOC, flags=re.S)
    assert block is not None
    assert "internal;" in block.group(1)
    assert re.search(r"alias /\S+/;", block.group(1))
