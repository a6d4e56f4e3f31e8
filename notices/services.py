"""Notices to the logins: new documents (with the PDFs of e-invoice customers) and payment reminders.

A login hears of every customer it has live access to (any role, accounts.CustomerAccess: its
właściciel and representatives), in one e-mail per run that lists them customer by customer,
each link naming its customer. Both walk the logins in batches by id, each batch starting where
the last one ended, with a fixed number of queries per batch (whatever the number of logins,
customers or documents), and record what they sent per login in the same transaction as the
queued e-mails (ebok.mail.send_many): a crash rolls back a batch whole, a re-run continues where
the last committed batch ended, and nothing is announced twice to a login.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Lower
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts import unsubscribe
from accounts.models import ConsentEvent, CustomerAccess, User
from billing import qr
from billing.files import safe_filename
from billing.models import ZERO, Customer, Document, OtherDocument
from billing.selectors import SettledDocument, documents_and_payments, settle, today
from ebok import mail
from ebok.access import ACT, ROLE_ACTIONS
from ebok.files import private_path
from ebok.links import customer_url
from ebok.models import FailingAddress
from notices.models import DocumentNotice, PaymentReminder

QR_CONTENT_ID = "qr-platnosc"
MAX_CONFLICTS = 3
OWNER = CustomerAccess.Role.OWNER


def _active(prefix: str = "") -> dict:
    """Filters for an active customer login (``prefix``: the path from the queried model to User)."""
    return {f"{prefix}status": User.Status.ACTIVE, f"{prefix}is_active": True}


def _e_invoices():
    """Whether the access row's customer has the e-invoice consent (its latest e-faktury event)."""
    given = ConsentEvent.newest_first(OuterRef("customer_id"), ConsentEvent.Kind.E_INVOICE).values("given")[:1]
    return Coalesce(Subquery(given), Value(False))


def _batches(pick, *, batch_size: int, work):
    """Yield ``work(login ids)`` for each batch of ``pick(limit, after)`` (the next logins by id
    after ``after``), each batch one transaction, until a pick finds none. A batch that fails on a
    unique constraint (a concurrent run recorded some of it first) rolls back whole and is picked
    again: the pick no longer sees what the other run recorded."""
    after = conflicts = 0
    while True:
        try:
            with transaction.atomic():
                user_ids = pick(batch_size, after)
                if not user_ids:
                    return
                result = work(user_ids)
        except IntegrityError:
            conflicts += 1
            if conflicts > MAX_CONFLICTS:
                raise
            continue
        after = user_ids[-1]  # walks on whatever the batch did: never the same batch twice
        yield result


# --- new documents ----------------------------------------------------------------------------

FIELD = {Document: "document", OtherDocument: "other_document"}


def _grants():
    """Live access rows (accounts' ``CustomerAccessQuerySet.live``) with ``since``: when the
    login's access to the customer began, the later of the grant and the login's joining. A login
    granted access later (or a customer added later) is not flooded with the history: only
    documents imported since count as news for it. Rows from before imports were stamped
    (imported_at empty) are never news."""
    return CustomerAccess.objects.live().annotate(since=Greatest("granted_at", "user__date_joined"))


def _told(model, user, document) -> Exists:
    """Whether login ``user`` was told of ``document`` (either may be an OuterRef)."""
    return Exists(DocumentNotice.objects.filter(user_id=user, **{FIELD[model]: document}))


def _logins_with_news(limit: int, after: int) -> list[int]:
    """The first ``limit`` logins by id after ``after`` with news about any of their customers:
    each batch walks on from where the last one ended, so a month-end run reads the access rows
    once, not once per batch. One query."""

    def news(model):
        return model.objects.filter(customer_id=OuterRef("customer_id"), imported_at__gte=OuterRef("since")).exclude(
            _told(model, OuterRef(OuterRef("user_id")), OuterRef("pk"))
        )

    grants = _grants().filter(user_id__gt=after).filter(Exists(news(Document)) | Exists(news(OtherDocument)))
    return list(grants.order_by("user_id").values_list("user_id", flat=True).distinct()[:limit])


@dataclass
class NoticeLine:
    number: str
    kind: str
    amount: Decimal | None
    due_date: dt.date | None
    url: str
    pdf: str  # relative to PRIVATE_ROOT, "" when there is none
    attached: bool = False


@dataclass
class CustomerNews:
    """One customer's part of a login's e-mail."""

    grant: CustomerAccess  # with ``e_invoices``
    items: list[tuple[NoticeLine, Document | OtherDocument]]

    @property
    def required(self) -> bool:
        """An e-invoice customer's documents to its właściciel: mail the law requires."""
        return self.grant.role == OWNER and self.grant.e_invoices

    def context(self) -> dict:
        lines = [line for line, _doc in self.items]
        customer = self.grant.customer
        return {
            "number": customer.number,
            "name": customer.name,
            "own": self.grant.role == OWNER,
            "lines": lines,
            "e_invoices": self.grant.e_invoices,
            "any_attached": any(line.attached for line in lines),
            "all_attached": all(line.attached for line in lines),
            "documents_url": customer_url("billing:documents", customer.number),
        }


def _kind_label(model: type[Document] | type[OtherDocument], value: str):
    """The kind's label, lazy: the e-mail renders it in the recipient's language, not the worker's."""
    return dict(model.Kind.choices).get(value, value)


def _line(doc: Document | OtherDocument) -> NoticeLine:
    if isinstance(doc, Document):
        return NoticeLine(
            number=doc.number,
            kind=_kind_label(Document, doc.kind),
            amount=doc.gross,
            due_date=doc.due_date,
            url=customer_url("billing:document_pdf", doc.customer_id, number=doc.number),
            pdf=doc.pdf,
        )
    return NoticeLine(
        number=doc.title,
        kind=_kind_label(OtherDocument, doc.kind),
        amount=None,
        due_date=None,
        url=customer_url("billing:other_document_pdf", doc.customer_id, ext_id=doc.ext_id),
        pdf=doc.pdf,
    )


def _batch_news(user_ids: list[int], grants: list[CustomerAccess]):
    """The documents that are news for some login of the batch, by customer in the order the
    e-mail lists them, and the (login, model, document) already told among them; 3 queries."""
    customer_ids = sorted({g.customer_id for g in grants})
    since = min(g.since for g in grants)
    batch = _grants().filter(user_id__in=user_ids)

    def news(model):
        untold = batch.filter(customer_id=OuterRef("customer_id"), since__lte=OuterRef("imported_at")).exclude(
            _told(model, OuterRef("user_id"), OuterRef(OuterRef("pk")))
        )
        return model.objects.filter(customer_id__in=customer_ids, imported_at__gte=since).filter(Exists(untold))

    documents, others = news(Document), news(OtherDocument)
    by_customer: dict[str, list] = defaultdict(list)
    for doc in documents.order_by("customer_id", "issue_date", "number"):
        by_customer[doc.customer_id].append(doc)
    for other in others.order_by("customer_id", "date", "ext_id"):
        by_customer[other.customer_id].append(other)
    told = DocumentNotice.objects.filter(user_id__in=user_ids).filter(
        Q(document__in=documents.values("pk")) | Q(other_document__in=others.values("pk"))
    )
    told_keys = set()
    for user_id, document_id, other_id in told.values_list("user_id", "document_id", "other_document_id"):
        told_keys.add((user_id, Document, document_id) if document_id else (user_id, OtherDocument, other_id))
    return by_customer, told_keys


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


def _documents_message(user: User, parts: list[CustomerNews]) -> mail.Message:
    e_invoice_lines = [line for part in parts if part.grant.e_invoices for line, _doc in part.items]
    attachments = _attach(e_invoice_lines)  # PDFs only of e-invoice customers' documents
    return mail.Message(
        name="notices-documents",
        to=user.email,
        language=user.language,
        context={
            "customers": [part.context() for part in parts],
            "e_invoices": any(part.grant.e_invoices for part in parts),
            "my_account_url": customer_url("accounts:my_account", parts[0].grant.customer_id),
        },
        attachments=attachments,
        # An e-invoice to its customer's właściciel is mail the law requires; a mere notice can be
        # switched off in one click.
        headers=None if any(part.required for part in parts) else unsubscribe.headers_for(user, "documents"),
        # No dedup key: the per-login, per-document records (unique) are what make it once.
    )


def _announce(user_ids: list[int]) -> tuple[int, int]:
    """One e-mail per login of the batch listing, customer by customer, the new documents of every
    customer it reaches; 6 queries. Returns (e-mails queued, documents recorded)."""
    grants = list(
        _grants()
        .filter(user_id__in=user_ids)
        .annotate(e_invoices=_e_invoices())
        .select_related("user", "customer")
        .order_by("user_id", "customer_id")
    )
    if not grants:
        return 0, 0
    by_customer, told = _batch_news(user_ids, grants)
    lines = {(type(doc), doc.pk): _line(doc) for docs in by_customer.values() for doc in docs}
    messages, pending = [], []  # pending: (message index or None, login, customer news)
    for _user_id, user_grants in groupby(grants, key=lambda g: g.user_id):
        parts = []
        for grant in user_grants:
            items = [
                # Each login its own copy of a line: whether its PDF is attached is per e-mail.
                (dataclasses.replace(lines[type(doc), doc.pk]), doc)
                for doc in by_customer.get(grant.customer_id, [])
                if doc.imported_at >= grant.since and (grant.user_id, type(doc), doc.pk) not in told
            ]
            if items:
                parts.append(CustomerNews(grant, items))
        if not parts:
            continue
        user = parts[0].grant.user

        def wanted(part: CustomerNews, user=user) -> bool:
            # Notices switched off in Moje konto: only what the law requires still goes.
            return bool(user.email) and (user.notify_documents or part.required)

        shown = [part for part in parts if wanted(part)]
        if shown:
            messages.append(_documents_message(user, shown))
        pending += [(len(messages) - 1 if wanted(part) else None, user, part) for part in parts]
    emails = mail.send_many(messages)
    notices = [
        DocumentNotice(
            user=user,
            customer_id=part.grant.customer_id,
            document=doc if isinstance(doc, Document) else None,
            other_document=doc if isinstance(doc, OtherDocument) else None,
            email=emails[index] if index is not None else None,
            pdf_attached=line.attached,
        )
        for index, user, part in pending
        for line, doc in part.items
    ]
    DocumentNotice.objects.bulk_create(notices)
    return len(emails), len(notices)


def send_document_notices(*, batch_size: int | None = None) -> int:
    """Announce every new document to each login with live access to its customer. Idempotent;
    returns the e-mails queued.

    Each batch of logins is one transaction: the e-mails and the per-login, per-document records
    commit together. A concurrent run that reaches the same documents fails on the records'
    unique constraint and rolls its batch back, so it never sends a second copy.
    """

    def work(user_ids: list[int]) -> int:
        sent, _recorded = _announce(user_ids)
        return sent

    return sum(_batches(_logins_with_news, batch_size=batch_size or settings.EBOK_NOTICE_BATCH_SIZE, work=work))


# --- payment reminders ------------------------------------------------------------------------


@dataclass
class CustomerDue:
    """One customer's overdue documents in a login's reminder, with its own transfer details."""

    customer: Customer
    documents: list[SettledDocument]
    role: str = OWNER  # the login's role for the customer

    @property
    def total(self) -> Decimal:
        return sum((s.rest for s in self.documents), ZERO)

    @property
    def may_pay(self) -> bool:
        """Paying online is acting for the customer: a podgląd login gets no pay link (ebok.access)."""
        return ACT in ROLE_ACTIONS[self.role]

    @property
    def title(self) -> str:
        """The transfer title: the document numbers if they fit, else the customer number."""
        numbers = " ".join(s.document.number for s in self.documents)
        if len(self.documents) == 1:
            return qr.document_title(self.customer.number, numbers)
        if len(numbers) <= qr.TITLE_MAX:
            return numbers
        return f"Nr odbiorcy {self.customer.number}"

    def qr_payload(self) -> str | None:
        """None at 10 000 zł and above: the code's amount field cannot carry it (docs/payments-qr.md)."""
        return qr.payment_payload(account=self.customer.bank_account, amount=self.total, title=self.title)


@dataclass
class Reminder:
    """One login's reminder: the overdue documents of each customer it reaches."""

    user: User
    customers: list[CustomerDue]

    @property
    def total(self) -> Decimal:
        return sum((part.total for part in self.customers), ZERO)

    @property
    def digest(self) -> str:
        numbers = "\n".join(
            sorted(f"{p.customer.number}:{s.document.number}" for p in self.customers for s in p.documents)
        )
        return hashlib.sha256(numbers.encode()).hexdigest()[:24]


def _reminder_grants():
    """Live access of the logins that want reminders and have an address."""
    return CustomerAccess.objects.live().filter(user__notify_reminders=True).exclude(user__email="")


def _recent(user, document, since: dt.datetime):
    return PaymentReminder.objects.filter(user_id=user, document=document, sent_at__gt=since)


def _logins_to_remind(cutoff: dt.date, since: dt.datetime):
    """``pick(limit, after)``: the next logins by id with a customer's document due by ``cutoff``
    that it was not reminded of since ``since``; whether it is still unpaid is settled per batch."""

    def pick(limit: int, after: int) -> list[int]:
        overdue = Document.objects.filter(customer_id=OuterRef("customer_id"), due_date__lte=cutoff, gross__gt=0)
        overdue = overdue.exclude(Exists(_recent(OuterRef(OuterRef("user_id")), OuterRef("pk"), since)))
        grants = _reminder_grants().filter(user_id__gt=after).filter(Exists(overdue))
        return list(grants.order_by("user_id").values_list("user_id", flat=True).distinct()[:limit])

    return pick


def _plan_batch(user_ids: list[int], on: dt.date, cutoff: dt.date, since: dt.datetime) -> list[Reminder]:
    """Settle each customer of the batch's logins once (docs/payments-qr.md: oldest first) in 5
    queries (6 with online payments)."""
    grants = list(
        _reminder_grants()
        .filter(user_id__in=user_ids)
        .select_related("user", "customer")
        .order_by("user_id", "customer_id")
    )
    customer_ids = sorted({g.customer_id for g in grants})
    documents, paid = documents_and_payments(customer_ids)
    reminded = set(
        PaymentReminder.objects.filter(user_id__in=user_ids, customer_id__in=customer_ids, sent_at__gt=since)
        .order_by()
        .values_list("user_id", "document_id")
    )
    skip_path = getattr(settings, "EBOK_REMINDER_SKIP_DOCUMENTS", "")
    # Documents being paid online (paid, not yet booked by billing): no reminder for them.
    being_paid = import_string(skip_path)(customer_ids) if skip_path else set()
    overdue: dict[str, list[SettledDocument]] = {}
    for customer_id in customer_ids:
        settlement = settle(documents[customer_id], paid.get(customer_id) or ZERO, on=on)
        overdue[customer_id] = [
            s
            for s in settlement.documents
            if s.rest > ZERO and s.document.due_date <= cutoff and (customer_id, s.document.number) not in being_paid
        ]
    plans = []
    for _user_id, user_grants in groupby(grants, key=lambda g: g.user_id):
        user_grants = list(user_grants)
        parts = [
            CustomerDue(customer=grant.customer, documents=due, role=grant.role)
            for grant in user_grants
            if (due := [s for s in overdue[grant.customer_id] if (grant.user_id, s.document.number) not in reminded])
        ]
        if parts:
            plans.append(Reminder(user=user_grants[0].user, customers=parts))
    return plans


def _reminder_message(plan: Reminder, on: dt.date, pay_link) -> mail.Message:
    attachments, customers = [], []
    for index, part in enumerate(plan.customers, 1):
        payload = part.qr_payload()
        cid = f"{QR_CONTENT_ID}-{index}" if payload else ""  # one code per customer, each its own Content-ID
        if payload:
            name = safe_filename(f"kod-qr-{part.customer.number}", ".png")
            attachments.append(mail.Attachment(name, "image/png", content=qr.png_bytes(payload), inline_id=cid))
        numbers = [s.document.number for s in part.documents]
        customers.append(
            {
                "number": part.customer.number,
                "name": part.customer.name,
                "documents": [
                    {
                        "number": s.document.number,
                        "kind": _kind_label(Document, s.document.kind),
                        "due_date": s.document.due_date,
                        "rest": s.rest,
                        "days": (on - s.document.due_date).days,
                    }
                    for s in part.documents
                ],
                "total": part.total,
                "account": part.customer.bank_account,
                "title": part.title,
                "qr_cid": cid,
                "payments_url": customer_url("billing:payments", part.customer.number),
                "pay_url": pay_link(part.customer.number, numbers) if pay_link and part.may_pay else None,
            }
        )
    return mail.Message(
        name="notices-reminder",
        to=plan.user.email,
        language=plan.user.language,
        context={
            "customers": customers,
            "total": plan.total,
            "recipient": settings.EBOK_UTILITY_NAME,
            "recipient_address": settings.EBOK_UTILITY_ADDRESS,
            "my_account_url": customer_url("accounts:my_account", plan.customers[0].customer.number),
        },
        attachments=attachments,
        headers=unsubscribe.headers_for(plan.user, "reminders"),
        # The same documents are never reminded to a login twice a day, even by two runs at once.
        dedup_key=f"reminder:{plan.user.pk}:{on.isoformat()}:{plan.digest}",
    )


def _queue_reminders(plans: list[Reminder], on: dt.date) -> list[Reminder]:
    """Queue the reminders; returns those queued (not those a concurrent run queued first)."""
    link_path = getattr(settings, "EBOK_REMINDER_PAY_LINK", "")
    pay_link = import_string(link_path) if link_path else None
    emails = mail.send_many([_reminder_message(plan, on, pay_link) for plan in plans])
    # A used dedup key (None): a concurrent run queued and recorded that reminder a moment ago.
    sent = [(plan, email) for plan, email in zip(plans, emails, strict=True) if email is not None]
    PaymentReminder.objects.bulk_create(
        PaymentReminder(user=plan.user, customer=part.customer, document=s.document, email=email, rest=s.rest)
        for plan, email in sent
        for part in plan.customers
        for s in part.documents
    )
    return [plan for plan, _email in sent]


def send_payment_reminders(
    *, dry_run: bool = False, on: dt.date | None = None, batch_size: int | None = None
) -> list[Reminder]:
    """Remind each login (that wants reminders) of the documents overdue by
    EBOK_REMINDER_OVERDUE_DAYS or more of every customer it has live access to, in one e-mail;
    each document at most once per login per EBOK_REMINDER_REPEAT_DAYS. Returns the reminders
    (sent, or due with dry_run)."""
    on = on or today()
    cutoff = on - dt.timedelta(days=settings.EBOK_REMINDER_OVERDUE_DAYS)
    since = timezone.now() - dt.timedelta(days=settings.EBOK_REMINDER_REPEAT_DAYS)

    def work(user_ids: list[int]) -> list[Reminder]:
        plans = _plan_batch(user_ids, on, cutoff, since)
        return plans if dry_run else _queue_reminders(plans, on)

    pick = _logins_to_remind(cutoff, since)
    batches = _batches(pick, batch_size=batch_size or settings.EBOK_NOTICE_BATCH_SIZE, work=work)
    return [plan for plans in batches for plan in plans]


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
