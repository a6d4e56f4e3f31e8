"""The case workflows: opening a case, replying on either side, changing status. Each notifies by e-mail.

Every function runs in one transaction; ``ebok.mail.send`` stores the e-mail in it for the mail
worker, so a failed save never mails and a mail outage never loses a message.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from billing.models import Customer, DeliveryPoint
from cases.models import Attachment, Case, CaseNumberCounter, CaseType, Message
from ebok import mail
from ebok.files import sniff_upload, store_private
from ebok.links import absolute_url, customer_url

ATTACHMENTS_DIR = "cases"


def _store(message: Message, uploads: Iterable[UploadedFile]) -> list[Attachment]:
    """Write each upload under PRIVATE_ROOT/cases/<year>/ with a random name; the original name is only a label."""
    stored = []
    for upload in uploads:
        content_type, extension = sniff_upload(upload)  # the form has refused anything else
        relative = store_private(
            f"{ATTACHMENTS_DIR}/{message.created_at:%Y}/{secrets.token_hex(16)}.{extension}", upload
        )
        attachment = Attachment(
            message=message,
            path=relative,
            filename=Path(upload.name).name[:255],
            content_type=content_type,
            size=upload.size,
        )
        attachment.full_clean()
        attachment.save()
        stored.append(attachment)
    return stored


def _add_message(
    case: Case, *, body: str, author, from_staff: bool, files: Iterable[UploadedFile], now: datetime | None = None
) -> Message:
    message = Message(case=case, body=body, author=author, from_staff=from_staff, created_at=now or timezone.now())
    message.full_clean()
    message.save()
    _store(message, files)
    case.waiting_for_staff = not from_staff
    case.last_message_at = message.created_at
    return message


@transaction.atomic
def case_open(
    *,
    customer: Customer,
    author,
    type: CaseType,
    subject: str,
    body: str,
    delivery_point: DeliveryPoint | None = None,
    refers_to: Case | None = None,
    files: Iterable[UploadedFile] = (),
    now: datetime | None = None,
    promise: str = "",
) -> Case:
    """Open a case with its first message; confirm to the customer's logins and tell the staff address.

    ``now`` is the moment of sending (the case number's year comes from it); the present by default.
    ``promise``: what the confirmation also says (a request's deadline, e.g. "realizacja do
    02.12.2026 08:00"; apps above cases give it, cases does not know them), a lazy string when
    it is to come out in each recipient's language.
    """
    now = now or timezone.now()
    case = Case(
        number=CaseNumberCounter.next_number(timezone.localdate(now).year),
        customer=customer,
        type=type,
        subject=subject,
        delivery_point=delivery_point,
        refers_to=refers_to,
        created_at=now,
    )
    case.full_clean()
    case.save()
    _add_message(case, body=body, author=author, from_staff=False, files=files, now=now)
    case.save(update_fields=["waiting_for_staff", "last_message_at"])
    context = {"case": case, "case_url": customer_url("cases:detail", customer.number, case.pk), "customer": customer}
    mail.send_each("case-created", User.objects.addressees(customer), {**context, "promise": promise})
    if settings.EBOK_CASES_STAFF_EMAIL:
        admin_url = absolute_url("admin:cases_case_change", case.pk)
        mail.send("case-staff-new", to=settings.EBOK_CASES_STAFF_EMAIL, context={**context, "admin_url": admin_url})
    return case


@transaction.atomic
def customer_reply(*, case: Case, author, body: str, files: Iterable[UploadedFile] = ()) -> Message:
    """The customer writes in their open case; it goes back to the staff's "waiting for us" list."""
    if case.is_closed:
        raise ValueError("a closed case takes no replies")
    message = _add_message(case, body=body, author=author, from_staff=False, files=files)
    case.save(update_fields=["waiting_for_staff", "last_message_at"])
    return message


@transaction.atomic
def staff_update(
    *,
    case: Case,
    staff_user,
    body: str = "",
    files: Iterable[UploadedFile] = (),
    status: str | None = None,
    previous_status: str | None = None,
) -> Message | None:
    """Staff reply and/or change status. Each login of the customer gets one notice with a link, never the message body.

    ``case.status`` may already hold the new status (the admin form sets it); ``previous_status`` says
    what it was before.
    """
    previous_status = previous_status or case.status
    if status:
        case.status = status
    message = None
    if body:
        message = _add_message(case, body=body, author=staff_user, from_staff=True, files=files)
        if case.status == Case.Status.NEW and not status:
            case.status = Case.Status.IN_PROGRESS  # an answered case is being handled
    case.full_clean()
    case.save()
    status_changed = case.status != previous_status
    customer = case.customer
    # Named in the subject and text: a representative may act for dozens of customers.
    context = {
        "case": case,
        "customer": customer,
        "case_url": customer_url("cases:detail", case.customer_id, case.pk),
        "status_changed": status_changed,
    }
    if message is not None:
        mail.send_each("case-reply", User.objects.addressees(customer), context)
    elif status_changed:
        mail.send_each("case-status", User.objects.addressees(customer), context)
    return message


def mark_read(messages: Iterable[Message]) -> set[int]:
    """Mark the unread staff messages among ``messages`` read now; return their ids (shown as new once)."""
    unread = [m for m in messages if m.from_staff and m.read_at is None]
    if unread:
        Message.objects.filter(pk__in=[m.pk for m in unread], read_at__isnull=True).update(read_at=timezone.now())
    return {m.pk for m in unread}
