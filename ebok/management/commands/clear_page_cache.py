"""Make every page in the page cache stale (ebok.pagecache), e.g. after data was changed with SQL.

Changes made through Django (the portal, the admin, the import) do this by themselves; data
changed behind Django's back (psql, a script on the database) does not, and cached pages would
show the old data until they expire (EBOK_PAGE_CACHE_SECONDS). Nothing is deleted: the global
generation changes, and each page renders again on its next view.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ebok import pagecache


class Command(BaseCommand):
    help = "Make every cached customer page stale, after data was changed outside Django."

    def handle(self, *args, **options):
        pagecache.bump_all()
        self.stdout.write(self.style.SUCCESS("Every cached page will be rendered again on its next view."))
