"""Delete private files that no row refers to any more.

They are left by an upload whose transaction rolled back (a case message that failed after its
attachment was written), by a crash between writing a file and committing its row, and by rows
deleted in the admin (a case with its attachments, a self-reading with its photo, a document).
Which folder belongs to which rows is declared in settings.EBOK_PRIVATE_FILES by each app. Only
files older than --older-than hours are touched, so an upload or an import still in its
transaction is never taken. Run daily from cron (docs/deployment.md).
"""

from __future__ import annotations

import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def referenced_paths(owners: list[str]) -> set[str]:
    """The paths (relative to PRIVATE_ROOT) the given "app.Model.field" columns hold."""
    paths: set[str] = set()
    for owner in owners:
        app_label, model_name, field = owner.split(".")
        model = apps.get_model(app_label, model_name)
        paths.update(model.objects.exclude(**{field: ""}).values_list(field, flat=True).iterator(chunk_size=5000))
    return paths


def orphan_files(older_than_hours: float) -> list[Path]:
    root = Path(settings.PRIVATE_ROOT)
    cutoff = time.time() - older_than_hours * 3600
    orphans = []
    for folder, owners in settings.EBOK_PRIVATE_FILES.items():
        base = root / folder
        if not base.is_dir():
            continue
        referenced = referenced_paths(owners)
        for path in base.rglob("*"):
            relative = path.relative_to(root).as_posix()
            if path.is_file() and relative not in referenced and path.stat().st_mtime < cutoff:
                orphans.append(path)
    return sorted(orphans)


class Command(BaseCommand):
    help = "Delete private files (attachments, photos, PDFs) that no database row refers to."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list the files that would be deleted.")
        parser.add_argument(
            "--older-than",
            type=float,
            default=24,
            metavar="HOURS",
            help="Leave files younger than this alone (default 24), so work in progress is never taken.",
        )

    def handle(self, *args, dry_run: bool = False, older_than: float = 24, **options):
        if older_than < 1:
            raise CommandError("--older-than must be at least 1 hour: a younger file may belong to work in progress.")
        orphans = orphan_files(older_than)
        root = Path(settings.PRIVATE_ROOT)
        size = 0
        for path in orphans:
            size += path.stat().st_size
            if options["verbosity"] >= 2 or dry_run:
                self.stdout.write(path.relative_to(root).as_posix())
            if not dry_run:
                path.unlink(missing_ok=True)
        verb = "Would delete" if dry_run else "Deleted"
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"{verb} {len(orphans)} orphan file(s), {size / 1024**2:.1f} MB."))
