"""Notices to customers: new documents (with the PDFs for e-invoice customers) and payment reminders.

Both work in batches of customers with a fixed number of queries per batch (whatever the number
of customers or documents), and record what they sent in the same transaction as the queued
e-mails (ebok.mail.send_many): a crash rolls back a batch whole, a re-run continues where the
last committed batch ended, and nothing is announced twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts import unsubscribe
from accounts.models import ConsentEvent, User
from billing import qr
from billing.files import safe_filename
from billing.models import ZERO, Customer, Document, OtherDocument
from billing.selectors import SettledDocument, documents_and_payments, settle, today
from ebok import mail
from ebok.files import private_path
from ebok.links import absolute_url
from ebok.models import FailingAddress
from notices.models import DocumentNotice, PaymentReminder

QR_CONTENT_ID = "qr-platnosc"
MAX_CONFLICTS = 3


def _active(prefix: str = "") -> dict:
    """Filters for an active customer login (``prefix``: the path from the queried model to User)."""
    return {f"{prefix}status": User.Status.ACTIVE, f"{prefix}is_active": True}


# --- new documents ----------------------------------------------------------------------------


def _new(model: type[Document] | type[OtherDocument]):
    """Documents imported since the customer registered and not yet announced. A customer who
    registers later is not flooded with their history; rows from before imports were stamped
    (imported_at empty) are never news."""
    return model.objects.filter(
        imported_at__isnull=False,
        notice__isnull=True,
        imported_at__gte=F("customer__user__date_joined"),
        **_active("customer__user__"),
    )


@dataclass
class NoticeLine:
    number: str
    kind: str
    amount: Decimal | None
    due_date: dt.date | None
    url: str
    pdf: str  # relative to PRIVATE_ROOT, "" when there is none
    attached: bool = False


def _kind_label(model: type[Document] | type[OtherDocument], value: str):
    """The kind's label, lazy: the e-mail renders it in the recipient's language, not the worker's."""
    return dict(model.Kind.choices).get(value, value)


def _lines(customer_ids: list[str]) -> dict[str, list[tuple[NoticeLine, Document | OtherDocument]]]:
    by_customer: dict[str, list] = defaultdict(list)
    for doc in _new(Document).filter(customer_id__in=customer_ids).order_by("issue_date", "number"):
        line = NoticeLine(
            number=doc.number,
            kind=_kind_label(Document, doc.kind),
            amount=doc.gross,
            due_date=doc.due_date,
            url=absolute_url("billing:document_pdf", number=doc.number),
            pdf=doc.pdf,
        )
        by_customer[doc.customer_id].append((line, doc))
    for other in _new(OtherDocument).filter(customer_id__in=customer_ids).order_by("date", "ext_id"):
        line = NoticeLine(
            number=other.title,
            kind=_kind_label(OtherDocument, other.kind),
            amount=None,
            due_date=None,
            url=absolute_url("billing:other_document_pdf", ext_id=other.ext_id),
            pdf=other.pdf,
        )
        by_customer[other.customer_id].append((line, other))
    return by_customer


def _attach(lines: list[NoticeLine]) -> list[mail.Attachment]:
    """The PDFs, in order, while the message stays within EBOK_EINVOICE_MAX_ATTACHMENT_BYTES
    (mail servers refuse large messages); the rest go as links only."""
    budget = settings.EBOK_EINVOICE_MAX_ATTACHMENT_BYTES
    attachments = []
    for line in lines:
        path = private_path(line.pdf) if line.pdf else None
        if path is None or not path.is_file():
            continue
        size = path.stat().st_size
        if size > budget:
            continue
        budget -= size
        line.attached = True
        attachments.append(mail.Attachment(safe_filename(line.number), "application/pdf", path=line.pdf))
    return attachments


def _users(customer_ids: list[str]):
    e_invoices = ConsentEvent.newest_first(OuterRef("customer_id"), ConsentEvent.Kind.E_INVOICE).values("given")[:1]
    return User.objects.filter(customer_id__in=customer_ids, **_active()).annotate(
        e_invoices=Coalesce(Subquery(e_invoices), Value(False))
    )


def _customers_with_news(limit: int, after: str) -> list[str]:
    """The first ``limit`` customers after ``after`` (in customer order) with news: each batch
    walks on from where the last one ended, so a month-end run reads the documents once, not once
    per batch."""
    ids: set[str] = set()
    for model in (Document, OtherDocument):
        news = _new(model).filter(customer_id__gt=after).order_by("customer_id")
        ids.update(news.values_list("customer_id", flat=True).distinct()[:limit])
    return sorted(ids)[:limit]


def _announce(customer_ids: list[str]) -> tuple[int, int]:
    """One e-mail per customer of the batch listing all their new documents; 6 queries.
    Returns (e-mails queued, documents recorded)."""
    lines = _lines(customer_ids)
    messages, pending = [], []  # pending: (message index or None, customer id, [(line, doc)])
    for user in _users(customer_ids):
        items = lines.get(user.customer_id, [])
        if not items:
            continue
        wanted = bool(user.email) and (user.e_invoices or user.notify_documents)
        if not wanted:
            pending.append((None, user.customer_id, items))
            continue
        shown = [line for line, _doc in items]
        attachments = _attach(shown) if user.e_invoices else []
        messages.append(
            mail.Message(
                name="notices-documents",
                to=user.email,
                language=user.language,
                context={
                    "customer_number": user.customer_id,
                    "lines": shown,
                    "e_invoices": user.e_invoices,
                    "any_attached": bool(attachments),
                    "all_attached": all(line.attached for line in shown),
                    "documents_url": absolute_url("billing:documents"),
                    "my_account_url": absolute_url("accounts:my_account"),
                },
                attachments=attachments,
                # An e-invoice is mail the law requires; a mere notice can be switched off in one click.
                headers=None if user.e_invoices else unsubscribe.headers_for(user, "documents"),
                # No dedup key: the per-document records (unique) are what make it once.
            )
        )
        pending.append((len(messages) - 1, user.customer_id, items))
    emails = mail.send_many(messages)
    notices = []
    for index, customer_id, items in pending:
        email = emails[index] if index is not None else None
        for line, doc in items:
            notices.append(
                DocumentNotice(
                    customer_id=customer_id,
                    document=doc if isinstance(doc, Document) else None,
                    other_document=doc if isinstance(doc, OtherDocument) else None,
                    email=email,
                    pdf_attached=line.attached,
                )
            )
    DocumentNotice.objects.bulk_create(notices)
    return len(emails), len(notices)


def send_document_notices(*, batch_size: int | None = None) -> int:
    """Announce every new document to its customer. Idempotent; returns the e-mails queued.

    Each batch of customers is one transaction: the e-mails and the per-document records
    commit together. A concurrent run that reaches the same documents fails on the records'
    unique constraint and rolls its batch back, so it never sends a second copy.
    """
    batch_size = batch_size or settings.EBOK_NOTICE_BATCH_SIZE
    queued = conflicts = 0
    after = ""
    while True:
        try:
            with transaction.atomic():
                customer_ids = _customers_with_news(batch_size, after)
                if not customer_ids:
                    return queued
                sent, recorded = _announce(customer_ids)
        except IntegrityError:
            # A concurrent run recorded some of these documents first: this batch rolled back
            # whole, and the next pick no longer sees them.
            conflicts += 1
            if conflicts > MAX_CONFLICTS:
                raise
            continue
        queued += sent
        after = customer_ids[-1]
        if not recorded:  # cannot happen (same filters); never loop on a batch that records nothing
            return queued


# --- payment reminders ------------------------------------------------------------------------


@dataclass
class Reminder:
    user: User
    customer: Customer
    documents: list[SettledDocument]

    @property
    def total(self) -> Decimal:
        return sum((s.rest for s in self.documents), ZERO)

    @property
    def title(self) -> str:
        """The transfer title: the document numbers if they fit, else the customer number."""
        numbers = " ".join(s.document.number for s in self.documents)
        if len(self.documents) == 1:
            return qr.document_title(self.customer.number, numbers)
        if len(numbers) <= qr.TITLE_MAX:
            return numbers
        return f"Nr odbiorcy {self.customer.number}"

    @property
    def digest(self) -> str:
        numbers = "\n".join(sorted(s.document.number for s in self.documents))
        return hashlib.sha256(numbers.encode()).hexdigest()[:24]

    def qr_payload(self) -> str | None:
        """None at 10 000 zł and above: the code's amount field cannot carry it (docs/payments-qr.md)."""
        return qr.payment_payload(account=self.customer.bank_account, amount=self.total, title=self.title)


def _reminder_candidates(cutoff: dt.date, since: dt.datetime) -> list[str]:
    recent = PaymentReminder.objects.filter(document=OuterRef("pk"), sent_at__gt=since)
    return list(
        Document.objects.filter(due_date__lte=cutoff, gross__gt=0, customer__user__notify_reminders=True)
        .filter(**_active("customer__user__"))
        .exclude(customer__user__email="")
        .exclude(Exists(recent))
        .order_by("customer_id")
        .values_list("customer_id", flat=True)
        .distinct()
    )


def _plan_batch(customer_ids: list[str], on: dt.date, cutoff: dt.date, since: dt.datetime) -> list[Reminder]:
    """Settle each customer of the batch (docs/payments-qr.md: oldest first) in 4 queries."""
    documents, paid = documents_and_payments(customer_ids)
    reminded = set(
        PaymentReminder.objects.filter(document__customer_id__in=customer_ids, sent_at__gt=since).values_list(
            "document_id", flat=True
        )
    )
    skip_path = getattr(settings, "EBOK_REMINDER_SKIP_DOCUMENTS", "")
    # Documents being paid online (paid, not yet booked by billing): no reminder for them.
    being_paid = import_string(skip_path)(customer_ids) if skip_path else set()
    plans = []
    users = User.objects.filter(customer_id__in=customer_ids, notify_reminders=True, **_active())
    for user in users.select_related("customer").order_by("customer_id"):
        settlement = settle(documents[user.customer_id], paid.get(user.customer_id) or ZERO, on=on)
        due = [
            s
            for s in settlement.documents
            if s.rest > ZERO
            and s.document.due_date <= cutoff
            and s.document.number not in reminded
            and (user.customer_id, s.document.number) not in being_paid
        ]
        if due and user.email:
            plans.append(Reminder(user=user, customer=user.customer, documents=due))
    return plans


def _queue_reminders(plans: list[Reminder], on: dt.date) -> list[Reminder]:
    """Queue the reminders; returns those queued (not those a concurrent run queued first)."""
    messages = []
    link_path = getattr(settings, "EBOK_REMINDER_PAY_LINK", "")
    pay_link = import_string(link_path) if link_path else None
    for plan in plans:
        payload = plan.qr_payload()
        attachments = []
        if payload:
            attachments.append(
                mail.Attachment("kod-qr.png", "image/png", content=qr.png_bytes(payload), inline_id=QR_CONTENT_ID)
            )
        messages.append(
            mail.Message(
                name="notices-reminder",
                to=plan.user.email,
                language=plan.user.language,
                context={
                    "customer_number": plan.customer.number,
                    "documents": [
                        {
                            "number": s.document.number,
                            "kind": _kind_label(Document, s.document.kind),
                            "due_date": s.document.due_date,
                            "rest": s.rest,
                            "days": (on - s.document.due_date).days,
                        }
                        for s in plan.documents
                    ],
                    "total": plan.total,
                    "account": plan.customer.bank_account,
                    "recipient": settings.EBOK_UTILITY_NAME,
                    "recipient_address": settings.EBOK_UTILITY_ADDRESS,
                    "title": plan.title,
                    "qr_cid": QR_CONTENT_ID if payload else "",
                    "payments_url": absolute_url("billing:payments"),
                    "pay_url": pay_link([s.document.number for s in plan.documents]) if pay_link else None,
                    "my_account_url": absolute_url("accounts:my_account"),
                },
                attachments=attachments,
                headers=unsubscribe.headers_for(plan.user, "reminders"),
                # The same documents are never reminded twice a day, even by two runs at once.
                dedup_key=f"reminder:{plan.customer.number}:{on.isoformat()}:{plan.digest}",
            )
        )
    emails = mail.send_many(messages)
    # A used dedup key (None): a concurrent run queued and recorded that reminder a moment ago.
    sent = [(plan, email) for plan, email in zip(plans, emails, strict=True) if email is not None]
    PaymentReminder.objects.bulk_create(
        PaymentReminder(customer=plan.customer, document=s.document, email=email, rest=s.rest)
        for plan, email in sent
        for s in plan.documents
    )
    return [plan for plan, _email in sent]


def send_payment_reminders(
    *, dry_run: bool = False, on: dt.date | None = None, batch_size: int | None = None
) -> list[Reminder]:
    """Remind customers of documents overdue by EBOK_REMINDER_OVERDUE_DAYS or more, each document
    at most once per EBOK_REMINDER_REPEAT_DAYS. Returns the reminders (sent, or due with dry_run)."""
    on = on or today()
    cutoff = on - dt.timedelta(days=settings.EBOK_REMINDER_OVERDUE_DAYS)
    since = timezone.now() - dt.timedelta(days=settings.EBOK_REMINDER_REPEAT_DAYS)
    batch_size = batch_size or settings.EBOK_NOTICE_BATCH_SIZE
    candidates = _reminder_candidates(cutoff, since)
    done: list[Reminder] = []
    for start in range(0, len(candidates), batch_size):
        with transaction.atomic():
            plans = _plan_batch(candidates[start : start + batch_size], on, cutoff, since)
            if not dry_run:
                plans = _queue_reminders(plans, on)
        done += plans
    return done


# --- consents for billing ---------------------------------------------------------------------

CONSENT_COLUMNS = ["nr_odbiorcy", "rodzaj_zgody", "stan", "data", "wersja_regulaminu"]


def consent_rows(since: dt.date):
    """Rows of the consent history from ``since`` (00:00 Europe/Warsaw) on, oldest first, streamed."""
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    events = (
        ConsentEvent.objects.filter(at__gte=start)
        .order_by("at", "pk")
        .values_list("customer_id", "kind", "given", "at", "document_version")
    )
    for customer_id, kind, given, at, version in events.iterator(chunk_size=2000):
        yield [
            customer_id,
            kind,
            "udzielona" if given else "wycofana",
            timezone.localtime(at).isoformat(timespec="seconds"),
            version,
        ]


# --- e-invoice customers whose address fails, for billing ---------------------------------------

FAILING_COLUMNS = ["nr_odbiorcy", "email", "od", "ostatni_blad", "kod_smtp", "odpowiedz_serwera"]


def failing_einvoice_rows():
    """E-invoice customers (latest e-faktury consent given) whose login address a mail server
    refuses for good (ebok.models.FailingAddress): billing sends them paper. By customer number,
    streamed."""
    failing = FailingAddress.objects.filter(address=Lower(OuterRef("email")))
    e_invoices = ConsentEvent.newest_first(OuterRef("customer_id"), ConsentEvent.Kind.E_INVOICE).values("given")[:1]
    users = (
        User.objects.filter(customer__isnull=False, **_active())
        .annotate(e_invoices=Subquery(e_invoices), failing=Exists(failing))
        .filter(e_invoices=True, failing=True)
        .annotate(
            since=Subquery(failing.values("first_failed_at")[:1]),
            last=Subquery(failing.values("failed_at")[:1]),
            code=Subquery(failing.values("smtp_code")[:1]),
            reply=Subquery(failing.values("last_reply")[:1]),
        )
        .order_by("customer_id")
        .values_list("customer_id", "email", "since", "last", "code", "reply")
    )
    for customer_id, email, since, last, code, reply in users.iterator(chunk_size=2000):
        yield [
            customer_id,
            email,
            timezone.localtime(since).isoformat(timespec="seconds"),
            timezone.localtime(last).isoformat(timespec="seconds"),
            code,
            " ".join(reply.split())[:500],
        ]
