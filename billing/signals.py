"""Signals other apps listen to; billing itself imports no other app."""

from django.dispatch import Signal

# Sent after an import was committed (never after --dry-run or a rejected import), with
# ``result`` (exchange.importer.ImportResult) and ``imported_at`` (the stamp its new rows carry).
import_committed = Signal()
