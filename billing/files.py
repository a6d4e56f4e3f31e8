"""Private PDFs of billing documents: safe download names, the ZIP stream and the ZIP of a period."""

from __future__ import annotations

import logging
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from billing.models import Document, OtherDocument
from ebok.files import private_path

log = logging.getLogger(__name__)
CHUNK = 64 * 1024
_NO_DECOMPOSITION = str.maketrans({"ł": "l", "Ł": "L"})


def safe_filename(stem: str, suffix: str = ".pdf") -> str:
    """An ASCII-only file name from a document number: 'FV/2026/04/00123' -> 'FV_2026_04_00123.pdf'."""
    # NFKD strips most Polish accents; ł/Ł have no decomposition and need their own mapping.
    ascii_stem = (
        unicodedata.normalize("NFKD", stem.translate(_NO_DECOMPOSITION)).encode("ascii", "ignore").decode("ascii")
    )
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_stem).strip("._") or "dokument"
    return f"{ascii_stem[:100]}{suffix}"


class _Sink:
    """A write-only file-like the ZipFile writes into; the generator drains it between chunks."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def stream_zip(entries: Iterable[tuple[str, str]], readme_header: str, missing_heading: str) -> Iterator[bytes]:
    """Yield a ZIP of (archive name, private path) entries, a chunk at a time.

    The sink has no tell()/seek(), so zipfile writes data descriptors and never seeks back:
    nothing but the current chunk is held in memory. Missing files are skipped, logged and
    listed in README.txt inside the archive.
    """
    sink = _Sink()
    missing: list[str] = []
    used: set[str] = set()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, relative in entries:
            path = private_path(relative)
            if path is None:
                log.warning("document file missing for zip: %s (%s)", name, relative)
                missing.append(name)
                continue
            arcname = name
            n = 2
            while arcname in used:
                arcname = f"{Path(name).stem}-{n}{Path(name).suffix}"
                n += 1
            used.add(arcname)
            with path.open("rb") as source, archive.open(arcname, "w") as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    if data := sink.drain():
                        yield data
            if data := sink.drain():
                yield data
        readme = readme_header
        if missing:
            readme += "\n" + missing_heading + "\n" + "\n".join(f"- {name}" for name in missing) + "\n"
        archive.writestr("README.txt", readme.encode("utf-8"))
    yield sink.drain()


def period_zip(form, numbers: list[str], *, header: str, values: dict, stem: str, folders: bool):
    """The PDFs of the customers ``numbers`` from the valid ZipPeriodForm's period as a streamed
    ``<stem>_<from>-<to>.zip`` (a folder per customer with ``folders``), its README opening with
    ``header`` filled with ``values`` and the dates; None, the error on the form, when there are none."""
    start, end = form.period()
    dates = {"start": f"{start:%d.%m.%Y}", "end": f"{end:%d.%m.%Y}"}
    payable = Document.objects.filter(customer_id__in=numbers, issue_date__range=(start, end)).exclude(pdf="")
    others = OtherDocument.objects.filter(customer_id__in=numbers, date__range=(start, end))
    entries = [
        (d.customer_id, safe_filename(d.number), d.pdf) for d in payable.order_by("customer_id", "issue_date", "number")
    ]
    entries += [
        (o.customer_id, safe_filename(f"{o.date:%Y-%m-%d}_{o.title}"), o.pdf)
        for o in others.order_by("customer_id", "date", "ext_id")
    ]
    if not entries:  # say so on the page rather than hand over an archive with only a README
        form.add_error(
            None, _("Od %(start)s do %(end)s nie ma żadnych dokumentów. Wybierz inny rok albo okres.") % dates
        )
        return None
    files = [(f"{number}/{name}" if folders else name, pdf) for number, name, pdf in entries]
    readme = header % {**values, **dates} + _("Plików: %(count)s.\n") % {"count": len(files)}
    missing = _("Tych plików brakuje w archiwum (prosimy o kontakt z Biurem Obsługi Klienta):")
    response = StreamingHttpResponse(stream_zip(files, readme, missing), content_type="application/zip")
    name = safe_filename(f"{stem}_{start:%Y%m%d}-{end:%Y%m%d}", ".zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
