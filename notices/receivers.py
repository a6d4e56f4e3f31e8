"""Listeners: a committed import announces its new documents at once (cron re-runs the same as a safety net)."""

from __future__ import annotations

import logging

from notices.services import send_document_notices

log = logging.getLogger(__name__)


def announce_new_documents(sender, result, imported_at, **kwargs) -> None:
    try:
        sent = send_document_notices()
    except Exception:
        # The import is committed and stays; `manage.py send_document_notices` (cron) catches up.
        log.exception("new-document notices failed after the import; send_document_notices will retry")
        return
    log.info("new-document notices queued: %s", sent)
