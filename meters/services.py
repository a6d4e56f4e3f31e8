"""Self-reading workflows: the customer submits, staff accept (a Reading appears) or reject (an e-mail)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from ebok import mail
from ebok.audit import audit
from ebok.files import delete_private, sniff_upload, store_private
from ebok.links import customer_url
from meters.models import PHOTO_TYPES, Meter, Reading, SelfReading

PHOTO_DIR = "self-readings"


class AlreadyPending(Exception):
    pass


class ReadingExists(Exception):
    def __init__(self, reading: Reading):
        super().__init__(f"reading exists for {reading.meter_id} on {reading.date}")
        self.reading = reading


def _store_photo(photo) -> str:
    _content_type, extension = sniff_upload(photo, PHOTO_TYPES)  # the form has refused anything else
    return store_private(f"{PHOTO_DIR}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{extension}", photo)


def self_reading_submit(*, meter: Meter, value: Decimal, photo=None, user=None, ip: str | None = None) -> SelfReading:
    """Store a pending self-reading; the partial unique constraint is the last word on "one pending"."""
    relative = _store_photo(photo) if photo else ""
    reading = SelfReading(
        customer_id=meter.customer_id, meter=meter, value=value, reading_date=timezone.localdate(), photo=relative
    )
    reading.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            reading.save()
    except IntegrityError as exc:
        if relative:
            delete_private(relative)
        raise AlreadyPending from exc
    audit("self_reading_submitted", user=user, ip=ip, customer_number=meter.customer_id, meter=meter.serial)
    return reading


@transaction.atomic
def self_reading_accept(*, self_reading: SelfReading, user) -> Reading:
    """Turn a pending self-reading into a Reading(source="klient") for its date.

    A reading already stored for that meter and day (e.g. a remote one) wins: the accept is
    refused, so staff decide, instead of one source silently overwriting another.
    """
    existing = Reading.objects.filter(meter_id=self_reading.meter_id, date=self_reading.reading_date).first()
    if existing is not None:
        if existing.value == self_reading.value:
            reading = existing
        else:
            raise ReadingExists(existing)
    else:
        reading = Reading.objects.create(
            meter_id=self_reading.meter_id,
            date=self_reading.reading_date,
            value=self_reading.value,
            source=Reading.Source.CUSTOMER,
        )
    self_reading.status = SelfReading.Status.ACCEPTED
    self_reading.reason = ""
    self_reading.decided_by = user
    self_reading.decided_at = timezone.now()
    self_reading.save()
    audit("self_reading_accepted", user=user, customer_number=self_reading.customer_id, pk=self_reading.pk)
    return reading


@transaction.atomic
def self_reading_reject(*, self_reading: SelfReading, user, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise ValueError("a rejection needs a reason")
    self_reading.status = SelfReading.Status.REJECTED
    self_reading.reason = reason
    self_reading.decided_by = user
    self_reading.decided_at = timezone.now()
    self_reading.save()
    # Every login with live access to the customer hears of it, each in its own language, with a
    # link naming the customer (accounts.models.UserManager.addressees; meters does not import accounts),
    # and the customer named in the subject and text: a representative may act for many.
    customer = self_reading.customer
    context = {
        "customer": customer,
        "self_reading": self_reading,
        "meter": self_reading.meter,
        "reason": reason,
        "meters_url": customer_url("meters:list", self_reading.customer_id),
    }
    recipients = get_user_model().objects.addressees(customer)
    mail.send_each("self-reading-rejected", recipients, context, dedup_key=f"self-reading-rejected:{self_reading.pk}")
    audit("self_reading_rejected", user=user, customer_number=self_reading.customer_id, pk=self_reading.pk)
