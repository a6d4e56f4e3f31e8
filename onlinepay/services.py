"""Starting a payment, asking the gateway about open ones, and matching billing's booked payments."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from payments import PaymentStatus, RedirectNeeded

from billing.models import Customer, Payment
from billing.selectors import settlement_for
from ebok.audit import audit
from onlinepay.models import FINAL, OnlinePayment, OnlinePaymentLine
from onlinepay.payu import GatewayError
from onlinepay.selectors import online_state
from onlinepay.variants import DUMMY, PAYU, active_variant, provider_factory

log = logging.getLogger(__name__)
CURRENCY = "PLN"


class NothingToPay(Exception):
    """None of the chosen documents is still owed (or each is being paid already)."""


class PaymentInProgress(Exception):
    """Some of the chosen documents are in a payment started a moment ago and still open at the gateway."""

    def __init__(self, payment: OnlinePayment, numbers: list[str]):
        super().__init__(payment.reference)
        self.payment = payment
        self.numbers = numbers


@dataclass
class Started:
    payment: OnlinePayment
    redirect_url: str | None  # the gateway's page; None when the gateway failed
    reused: bool = False  # the same documents' payment started a moment ago: back to its page


def open_payment_for(*, customer, numbers: list[str]) -> OnlinePayment | None:
    """The newest payment of the customer's, still open at the gateway (created or waiting for the bank,
    younger than the order's validity), that pays any of ``numbers``."""
    since = timezone.now() - dt.timedelta(minutes=settings.EBOK_ONLINEPAY_OPEN_MINUTES)
    return (
        OnlinePayment.objects.filter(
            customer=customer,
            status__in=[PaymentStatus.WAITING, PaymentStatus.INPUT],
            created__gte=since,
            lines__document_number__in=numbers,
        )
        .prefetch_related("lines")
        .order_by("-created")
        .first()
    )


def choose_documents(*, customer, numbers: list[str] | None):
    """The open, not-yet-paid documents among ``numbers`` (all of them when ``numbers`` is None),
    with the amounts billing's settlement says are still owed; documents of another customer are
    simply not among them."""
    settlement = settlement_for(customer)
    state = online_state(customer.pk, settlement)
    chosen = state.payable if numbers is None else [s for s in state.payable if s.document.number in set(numbers)]
    return chosen, settlement, state


def start_payment(*, customer, user, numbers: list[str] | None, ip: str | None, language: str = "pl") -> Started:
    variant = active_variant()
    if variant is None:
        raise NothingToPay
    with transaction.atomic():
        # One start at a time per customer (two clicks, two tabs): the second waits here, then finds
        # the first one's payment below. The lock is held over the gateway's call (its timeout bounds it).
        Customer.objects.select_for_update().filter(pk=customer.pk).values_list("pk", flat=True).first()
        chosen, _settlement, _state = choose_documents(customer=customer, numbers=numbers)
        if not chosen:
            raise NothingToPay
        wanted = [s.document.number for s in chosen]
        existing = open_payment_for(customer=customer, numbers=wanted)
        if existing is not None:
            # The same documents at the same amounts (billing may have booked part of one meanwhile).
            same = {line.document_number: line.amount for line in existing.lines.all()} == {
                s.document.number: s.rest for s in chosen
            }
            if (
                same
                and existing.status == PaymentStatus.WAITING
                and (existing.gateway_url or existing.variant == DUMMY)
            ):
                audit(
                    "online_payment_resumed",
                    user=user,
                    ip=ip,
                    customer_number=customer.pk,
                    reference=existing.reference,
                    documents=wanted,
                )
                return Started(existing, existing.gateway_url, reused=True)
            busy = sorted({line.document_number for line in existing.lines.all()} & set(wanted))
            raise PaymentInProgress(existing, busy)
        payment = OnlinePayment(
            variant=variant,
            customer=customer,
            user=user,
            currency=CURRENCY,
            total=sum(s.rest for s in chosen),
            billing_email=getattr(user, "email", "") or "",
            customer_ip_address=ip,
            language=language if language in ("pl", "en", "uk") else "pl",
        )
        payment.save()
        numbers_text = ", ".join(wanted)
        payment.description = f"{payment.reference} {customer.number}: {numbers_text}"[:4000]
        payment.save(update_fields=["description"])
        OnlinePaymentLine.objects.bulk_create(
            OnlinePaymentLine(payment=payment, document_number=s.document.number, amount=s.rest) for s in chosen
        )
        payment.events.create(previous="", status=payment.status, source="customer", message="")
        audit(
            "online_payment_started",
            user=user,
            ip=ip,
            customer_number=customer.pk,
            reference=payment.reference,
            amount=payment.total,
            documents=wanted,
            variant=variant,
        )
        provider = provider_factory(variant, payment)
        try:
            provider.get_form(payment)
        except RedirectNeeded as redirect:
            return Started(payment, str(redirect))
        except GatewayError as exc:
            log.error("online payment %s: the gateway failed: %s", payment.reference, exc)
            payment.change_status(PaymentStatus.ERROR, str(exc)[:500], source="gateway", ip=ip)
            return Started(payment, None)
        # The dummy provider answers with its form: our demo page shows it.
        return Started(payment, "")


def refresh(payment: OnlinePayment, *, source: str) -> bool:
    """Ask the gateway (PayU only) about a payment not yet final; False when nothing changed or it failed."""
    if payment.is_final or payment.variant != PAYU or not payment.transaction_id or active_variant() != PAYU:
        return False
    try:
        return provider_factory(PAYU, payment).refresh(payment, source=source)
    except GatewayError as exc:
        log.warning("online payment %s: could not ask the gateway: %s", payment.reference, exc)
        return False


def sync_pending(*, older_than: dt.timedelta = dt.timedelta(minutes=5)) -> tuple[int, int, int]:
    """Ask PayU about every payment left open (a lost notification); returns (asked, changed, failed)."""
    cutoff = timezone.now() - older_than
    pending = OnlinePayment.objects.filter(
        variant=PAYU, status__in=[PaymentStatus.WAITING, PaymentStatus.INPUT], created__lte=cutoff
    ).exclude(transaction_id="")
    asked = changed = failed = 0
    provider = provider_factory(PAYU) if active_variant() == PAYU else None
    if provider is None:
        return 0, 0, 0
    for payment in pending.order_by("created").iterator():
        asked += 1
        try:
            changed += provider.refresh(payment, source="sync")
        except GatewayError as exc:
            failed += 1
            log.warning("online payment %s: sync failed: %s", payment.reference, exc)
    return asked, changed, failed


def match_booked_payments() -> int:
    """Mark as booked each confirmed payment whose money billing has booked: a payment of the same
    customer and amount whose transfer title carries the payment's reference, or else names every one
    of its documents. Each billing payment books one online payment at most. Returns how many."""
    open_payments = list(
        OnlinePayment.objects.filter(status=PaymentStatus.CONFIRMED, booked_at__isnull=True).prefetch_related("lines")
    )
    if not open_payments:
        return 0
    taken = set(OnlinePayment.objects.exclude(booked_payment_id="").values_list("booked_payment_id", flat=True))
    condition = Q()
    for p in open_payments:
        condition |= Q(customer_id=p.customer_id, amount=p.total)
    candidates: dict[tuple[str, str], list[Payment]] = {}
    for booked in Payment.objects.filter(condition).exclude(ext_id__in=taken).order_by("date", "ext_id"):
        candidates.setdefault((booked.customer_id, str(booked.amount)), []).append(booked)
    matched = 0
    now = timezone.now()
    for p in sorted(open_payments, key=lambda p: p.created):
        pool = candidates.get((p.customer_id, str(p.total)), [])
        numbers = [line.document_number.upper() for line in p.lines.all()]
        hit = next((b for b in pool if p.reference in b.title.upper()), None) or next(
            (b for b in pool if numbers and all(n in b.title.upper() for n in numbers)), None
        )
        if hit is None:
            continue
        pool.remove(hit)
        p.booked_at = now
        p.booked_payment_id = hit.ext_id
        p.save(update_fields=["booked_at", "booked_payment_id", "modified"])
        p.events.create(previous=p.status, status=p.status, source="sync", message=f"booked as {hit.ext_id}")
        audit(
            "online_payment_booked",
            customer_number=p.customer_id,
            reference=p.reference,
            billing_payment=hit.ext_id,
            amount=p.total,
        )
        matched += 1
    return matched


__all__ = [
    "FINAL",
    "NothingToPay",
    "PaymentInProgress",
    "Started",
    "open_payment_for",
    "choose_documents",
    "match_booked_payments",
    "refresh",
    "start_payment",
]
