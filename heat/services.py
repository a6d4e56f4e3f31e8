"""The request workflows: filing a request (a case with typed data and a deadline) and changing its status.

Both run in one transaction; the e-mail goes into the outbox in it (ebok.mail), so a failed save
never mails. A status change is a ``StatusChange`` row and its e-mail is keyed on that row: each
change mails each login of the customer exactly once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from billing.models import Customer, DeliveryPoint, Document
from cases.models import CaseType
from cases.services import case_open
from ebok import mail
from ebok.audit import audit
from ebok.links import customer_url
from heat import details
from heat.models import DeadlineRule, HeatRequest, Kind, StatusChange

# The case type of every request (cases/migrations seeds the four free-text ones; this one is ours,
# inactive so the free-text form does not offer it).
CASE_TYPE = gettext_noop("Dyspozycje i wnioski")


def case_type() -> CaseType:
    found, _created = CaseType.objects.get_or_create(name=CASE_TYPE, defaults={"is_active": False, "order": 90})
    return found


def subject(kind: str, points: list[DeliveryPoint], document: Document | None) -> str:
    label = str(Kind(kind).label)
    if document is not None:
        return f"{label}: {document.number}"[:200]
    if points:
        return f"{label}: {', '.join(p.code for p in points)}"[:200]
    return label


@transaction.atomic
def request_file(
    *,
    customer: Customer,
    author,
    kind: str,
    points: Iterable[DeliveryPoint] = (),
    document: Document | None = None,
    requested_at: dt.datetime | None = None,
    requested_until: dt.datetime | None = None,
    effective_from: dt.date | None = None,
    data: dict | None = None,
    comment: str = "",
    files: Iterable[UploadedFile] = (),
    now: dt.datetime | None = None,
) -> HeatRequest:
    """File a request: its case (with the typed data as the first message), the request, its deadline."""
    now = now or timezone.now()
    points = list(points)
    if any(p.customer_id != customer.pk for p in points) or (document and document.customer_id != customer.pk):
        raise ValueError("a request names only the customer's own points and documents")
    rule = DeadlineRule.objects.get(kind=kind)
    req = HeatRequest(
        customer=customer,
        kind=kind,
        document=document,
        requested_at=requested_at,
        requested_until=requested_until,
        effective_from=effective_from,
        data=data or {},
        filed_at=now,
        due_at=rule.due(filed_at=now, requested_at=requested_at),
        due_by_day=rule.by_day,
        promise=rule.promise,
    )
    # The summary is written before the request has a primary key to hang its points on.
    body = details.as_text(req, comment, points=points)
    # The confirmation says the deadline, in the language each recipient gets it in.
    promise = lazy(details.due_text, str)(req)
    case = case_open(
        customer=customer,
        author=author,
        type=case_type(),
        subject=subject(kind, points, document),
        body=body,
        delivery_point=points[0] if len(points) == 1 else None,
        files=files,
        now=now,
        promise=promise,
    )
    req.case = case
    req.full_clean()
    req.save()
    req.delivery_points.set(points)
    return req


class TransitionError(ValueError):
    pass


@transaction.atomic
def request_set_status(
    *, heat_request: HeatRequest, status: str, staff_user, reason: str = "", ip: str | None = None
) -> StatusChange:
    """Move the request to ``status`` (checked against ``HeatRequest.NEXT``), its case with it;
    mail the customer's logins."""
    # Lock only the request row.
    qs = HeatRequest.objects.select_for_update(of=("self",)).select_related("case", "customer")
    req = qs.get(pk=heat_request.pk)
    if status not in HeatRequest.NEXT[req.status]:
        raise TransitionError(f"{req.status} -> {status} is not allowed")
    reason = reason.strip()
    if status == HeatRequest.Status.REJECTED and not reason:
        raise ValidationError({"rejection_reason": _("Podaj powód odrzucenia: odbiorca go zobaczy.")})
    now = timezone.now()
    req.status = status
    if status == HeatRequest.Status.ACCEPTED:
        req.accepted_at = now
    if status == HeatRequest.Status.REJECTED:
        req.rejection_reason = reason
    req.full_clean()
    req.save(update_fields=["status", "accepted_at", "rejection_reason"])
    case = req.case
    case.status = HeatRequest.CASE_STATUS[status]
    case.save(update_fields=["status"])
    change = StatusChange.objects.create(
        request=req, status=status, reason=reason, changed_by=staff_user, changed_at=now
    )
    context = {
        "req": req,
        "case": case,
        "customer": req.customer,  # named in the e-mail: a representative may act for many
        "change": change,
        "case_url": customer_url("cases:detail", req.customer_id, case.pk),
    }
    recipients = User.objects.addressees(req.customer)
    mail.send_each("heat-status", recipients, context, dedup_key=f"heat-status-{change.pk}")
    audit(
        "heat_request_status",
        ip=ip,
        user=staff_user,
        customer_number=req.customer_id,
        case=case.number,
        status=status,
    )
    # The caller's object follows.
    heat_request.status, heat_request.accepted_at = req.status, req.accepted_at
    heat_request.rejection_reason = req.rejection_reason
    return change
