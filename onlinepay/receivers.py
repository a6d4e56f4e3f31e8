import logging

from onlinepay.services import match_booked_payments

log = logging.getLogger(__name__)


def match_imported_payments(sender, result, imported_at, **kwargs) -> None:
    """After each committed billing import: the online payments it booked lose their note."""
    matched = match_booked_payments()
    if matched:
        log.info("online payments booked by the import: %s", matched)
