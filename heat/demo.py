"""Demo requests for `make run`: a heating start for the housing cooperative's points (accepted,
due soon) and a complaint about an invoice (filed). Idempotent: a customer who already has a
request is left alone. No e-mail is sent: the rows are made directly, as in cases.demo."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from billing.models import Customer, DeliveryPoint
from cases.models import Case, CaseNumberCounter, Message
from heat import details, services
from heat.forms import HEATING_KINDS
from heat.models import ComplaintReason, DeadlineRule, HeatRequest, Kind, StatusChange


def _file(customer: Customer, kind: str, *, points=(), filed_at, status=HeatRequest.Status.FILED, **fields):
    rule = DeadlineRule.objects.get(kind=kind)
    req = HeatRequest(
        customer=customer,
        kind=kind,
        status=status,
        filed_at=filed_at,
        due_at=rule.due(filed_at=filed_at, requested_at=fields.get("requested_at")),
        due_by_day=rule.by_day,
        promise=rule.promise,
        accepted_at=filed_at + timedelta(hours=1) if status != HeatRequest.Status.FILED else None,
        **fields,
    )
    points = list(points)
    document = fields.get("document")
    case = Case.objects.create(
        number=CaseNumberCounter.next_number(timezone.localtime(filed_at).year),
        customer=customer,
        type=services.case_type(),
        subject=services.subject(kind, points, document),
        delivery_point=points[0] if len(points) == 1 else None,
        status=HeatRequest.CASE_STATUS[status],
        created_at=filed_at,
        last_message_at=filed_at,
    )
    Message.objects.create(
        case=case,
        author=getattr(customer, "user", None),
        body=details.as_text(req, points=points),
        created_at=filed_at,
    )
    req.case = case
    req.save()
    req.delivery_points.set(points)
    if req.accepted_at:
        StatusChange.objects.create(request=req, status=HeatRequest.Status.ACCEPTED, changed_at=req.accepted_at)
    return req


@transaction.atomic
def seed() -> int:
    """Create the demo requests; return how many were created."""
    now = timezone.now()
    created = 0
    cooperative = Customer.objects.filter(number="200401").first()
    if cooperative and not cooperative.heat_requests.exists():
        points = list(DeliveryPoint.objects.filter(customer=cooperative, kind__in=HEATING_KINDS).order_by("code"))
        if points:
            start = timezone.localtime(now + timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)
            _file(
                cooperative,
                Kind.HEATING_START,
                points=points,
                filed_at=now - timedelta(hours=2),
                status=HeatRequest.Status.ACCEPTED,
                requested_at=start,
            )
            created += 1
    person = Customer.objects.filter(number="200201").first()
    document = person.documents.order_by("-issue_date").first() if person else None
    if person and document and not person.heat_requests.exists():
        _file(
            person,
            Kind.COMPLAINT,
            filed_at=now - timedelta(days=1),
            document=document,
            data={
                "reason": ComplaintReason.READING,
                "description": "Zużycie na fakturze jest wyższe niż wynika z odczytu licznika.",
            },
        )
        created += 1
    return created
