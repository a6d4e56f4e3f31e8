"""Import the billing system's export folder: `manage.py import_billing FOLDER [--dry-run]`.

All or nothing: every bad row is reported (file, line, column, reason) and nothing is written.
Importing the same folder again changes nothing. See docs/billing-export.md.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.utils.translation import gettext as _

from exchange.importer import Progress, RowError, import_folder


class TerminalProgress(Progress):
    """A one-line bar per file, redrawn after each batch (only on a terminal)."""

    WIDTH = 30

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out
        self.name = ""
        self.total = 0
        self.done = 0

    def start(self, filename: str, path: Path) -> None:
        self.name, self.done = filename, 0
        with path.open("rb") as f:  # a quick count of lines for the bar's length
            self.total = max(sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) - 1, 1)
        self._draw()

    def advance(self, rows: int) -> None:
        self.done += rows
        self._draw()

    def finish(self) -> None:
        self.out.write("", ending="\n")

    def _draw(self) -> None:
        share = min(self.done / self.total, 1.0)
        bar = "#" * int(share * self.WIDTH)
        self.out.write(f"\r{self.name:<14} [{bar:<{self.WIDTH}}] {self.done}/{self.total}", ending="")
        self.out.flush()


class Command(BaseCommand):
    help = _("Importuje folder eksportu z systemu rozliczeniowego (w całości albo wcale).")

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--dry-run", action="store_true", help=_("Sprawdź wszystko, ale niczego nie zapisuj."))
        parser.add_argument("--batch-size", type=int, default=None, help=_("Wierszy w jednej paczce zapisu."))

    def handle(self, *args, folder: Path, dry_run: bool, batch_size: int | None, verbosity: int, **options):
        if not folder.is_dir():
            raise CommandError(_("Nie ma folderu %(folder)s.") % {"folder": folder})
        on_terminal = verbosity >= 1 and hasattr(self.stdout, "isatty") and self.stdout.isatty()
        progress = TerminalProgress(self.stdout) if on_terminal else None

        def report(error: RowError) -> None:
            if progress:
                self.stdout.write("\r", ending="")
            self.stderr.write(str(error))

        result = import_folder(folder, dry_run=dry_run, batch_size=batch_size, on_error=report, progress=progress)

        if verbosity >= 1:
            if not result.ok or dry_run:
                self.stdout.write(_("Sprawdzone wiersze (wycofane: nic nie zostało zapisane):"))
            if not result.counts:
                self.stdout.write(self.style.WARNING(_("W folderze nie ma żadnego pliku eksportu.")))
            for name, c in result.counts.items():
                line = _("%(file)s: utworzono %(created)d, zaktualizowano %(updated)d, bez zmian %(unchanged)d") % {
                    "file": name,
                    "created": c.created,
                    "updated": c.updated,
                    "unchanged": c.unchanged,
                }
                if c.bad:
                    line += ", " + _("błędnych %(bad)d") % {"bad": c.bad}
                self.stdout.write(line)
            if result.ok and verbosity >= 2:
                self.stdout.write(_("Skopiowano plików PDF: %(n)d") % {"n": result.pdfs_copied})
        if not result.ok:
            raise CommandError(
                _("Import odrzucony; błędy: %(n)d (wypisane wyżej). Niczego nie zapisano.") % {"n": result.error_count}
            )
        if dry_run:
            self.stdout.write(self.style.WARNING(_("Próba (--dry-run): dane są poprawne, niczego nie zapisano.")))
        elif verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(_("Import zakończony.")))
