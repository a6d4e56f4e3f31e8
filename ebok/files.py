"""Private files (invoice PDFs, attachments, photos) to a browser, after the view checked access.

With ``EBOK_X_ACCEL_REDIRECT_PREFIX`` set (nginx in front, docs/deployment.md), Django answers with
an empty response carrying ``X-Accel-Redirect`` and nginx streams the file from its ``internal``
location; otherwise Django streams it itself. Either way the browser gets a download with a safe
name and ``nosniff``.
"""

from __future__ import annotations

import mimetypes
import unicodedata
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse


def store_private(relative: str, content) -> str:
    """Save an upload (any Django ``File``) under PRIVATE_ROOT as ``relative``; returns the name it got.

    Django's file storage writes it: the default storage's root is PRIVATE_ROOT (MEDIA_ROOT) and no
    URL serves it. It creates the folders and never overwrites: a taken name gets a suffix.
    """
    return default_storage.save(relative, content)


def delete_private(relative: str) -> None:
    default_storage.delete(relative)


def private_path(relative: str) -> Path | None:
    """The file under PRIVATE_ROOT, or None if it is missing or would leave PRIVATE_ROOT."""
    if not relative:
        return None
    root = Path(settings.PRIVATE_ROOT).resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def ascii_filename(filename: str) -> str:
    """A download name every browser and header parser accepts: ASCII letters, digits, ``.-_``."""
    folded = unicodedata.normalize("NFKD", filename.replace("ł", "l").replace("Ł", "L"))
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in ".-_") else "_" for c in folded if c.isascii())
    return cleaned.strip("._") or "plik"


def private_file_response(request, relative_path: str, filename: str) -> HttpResponse:
    path = private_path(relative_path)
    if path is None:
        raise Http404
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    prefix = settings.EBOK_X_ACCEL_REDIRECT_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        relative = path.relative_to(Path(settings.PRIVATE_ROOT).resolve()).as_posix()
        response["X-Accel-Redirect"] = quote(prefix.rstrip("/") + "/" + relative)
    else:
        response = FileResponse(path.open("rb"), content_type=content_type)
    # The ASCII name for old parsers, the real (Polish) name for every current browser (RFC 6266).
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_filename(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# An upload's first bytes decide its type; the name and the browser's Content-Type are the sender's word.
UPLOAD_SIGNATURES: dict[str, tuple[bytes, str]] = {
    "pdf": (b"%PDF-", "application/pdf"),
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
}


def sniff_bytes(head: bytes, allowed: tuple[str, ...] = ("pdf", "jpg", "png")) -> tuple[str, str] | None:
    """(content type, extension) of a file starting with ``head``, if it is one of ``allowed``."""
    for extension in allowed:
        magic, content_type = UPLOAD_SIGNATURES[extension]
        if head.startswith(magic):
            return content_type, extension
    return None


def sniff_upload(upload, allowed: tuple[str, ...] = ("pdf", "jpg", "png")) -> tuple[str, str] | None:
    """Like ``sniff_bytes`` for an uploaded file, leaving it rewound."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return sniff_bytes(head, allowed)
