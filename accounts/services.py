"""Account workflows that span models and e-mail: registration, password set-up and reset,
e-mail change. Views validate forms, then call one of these."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from accounts.backends import login_name
from accounts.models import AccountAttempt, AccountToken, ConsentEvent, LoginEvent, User
from accounts.signals import account_disputed
from billing.models import Customer, Document
from ebok import mail
from ebok.audit import audit
from ebok.links import absolute_url
from ebok.models import FailingAddress
from ebok.numbers import parse_typed_decimal

_CURRENCY = re.compile(r"\s*(zł|zl|pln)\.?$", re.IGNORECASE)


class Throttled(Exception):
    """Too many attempts for this customer number or client IP."""


def parse_amount(text: str) -> Decimal | None:
    """``1234,56``, ``1 234,56``, ``1234.56``, ``1234,56 zł`` → Decimal; anything else → None."""
    text = _CURRENCY.sub("", text.strip()).strip()
    amount = parse_typed_decimal(text, places=2)
    return None if amount is None else amount.quantize(Decimal("0.01"))


# --- throttling ---------------------------------------------------------------------------


def _limits(kind: str) -> tuple[int, int, int]:
    """(per number and IP, per number, per IP). The first is tight: one address guessing one
    number. The second is loose, so that a third party from a few addresses cannot lock the real
    customer out of their own number; the per-IP limit stops one address trying many numbers."""
    if kind == AccountAttempt.Kind.REGISTRATION:
        return (
            settings.EBOK_REGISTRATION_LIMIT_PER_NUMBER_AND_IP,
            settings.EBOK_REGISTRATION_LIMIT_PER_NUMBER,
            settings.EBOK_REGISTRATION_LIMIT_PER_IP,
        )
    return (
        settings.EBOK_RESET_LIMIT_PER_NUMBER_AND_IP,
        settings.EBOK_RESET_LIMIT_PER_NUMBER,
        settings.EBOK_RESET_LIMIT_PER_IP,
    )


def _recent_attempts(kind: str):
    """Attempts of ``kind`` in the last EBOK_ATTEMPT_WINDOW_MINUTES: the window every limit counts in."""
    since = timezone.now() - timedelta(minutes=settings.EBOK_ATTEMPT_WINDOW_MINUTES)
    return AccountAttempt.objects.filter(kind=kind, at__gte=since)


def is_throttled(*, kind: str, customer_number: str, ip: str | None) -> bool:
    """Registration counts failed checks; a reset counts every request (it never says which failed)."""
    counted = _recent_attempts(kind)
    if kind == AccountAttempt.Kind.REGISTRATION:
        counted = counted.filter(outcome=AccountAttempt.Outcome.FAILED)
    else:
        counted = counted.exclude(outcome=AccountAttempt.Outcome.THROTTLED)
    per_number_and_ip, per_number, per_ip = _limits(kind)
    if ip is not None and counted.filter(customer_number=customer_number, ip=ip).count() >= per_number_and_ip:
        return True
    if counted.filter(customer_number=customer_number).count() >= per_number:
        return True
    return ip is not None and counted.filter(ip=ip).count() >= per_ip


def login_throttled(*, ip: str | None) -> bool:
    """Too many failed logins from this client address, whatever customer numbers they named
    (password spraying: axes alone allows every number its own few tries from one address)."""
    if ip is None:
        return False
    return _recent_attempts(AccountAttempt.Kind.LOGIN).filter(ip=ip).count() >= settings.EBOK_LOGIN_LIMIT_PER_IP


def _check_throttle(kind: str, customer_number: str, ip: str | None) -> None:
    if is_throttled(kind=kind, customer_number=customer_number, ip=ip):
        AccountAttempt.objects.create(
            kind=kind, customer_number=customer_number, ip=ip, outcome=AccountAttempt.Outcome.THROTTLED
        )
        audit(f"{kind}_throttled", ip=ip, customer_number=customer_number)
        raise Throttled


# --- single-use links ---------------------------------------------------------------------


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(*, user: User, purpose: str, lifetime: timedelta, new_email: str = "") -> str:
    """Create a link secret; earlier unused links of the same purpose stop working."""
    now = timezone.now()
    AccountToken.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(used_at=now)
    raw = secrets.token_urlsafe(32)
    AccountToken.objects.create(
        user=user, purpose=purpose, digest=_digest(raw), new_email=new_email, expires_at=now + lifetime
    )
    return raw


def _mail_link(user: User, purpose: str, lifetime: timedelta, name: str, url_name: str, new_email="", **context):
    """A fresh single-use link of ``purpose`` (to ``url_name``) in the e-mail ``name`` to the
    account's address, or to ``new_email`` that the link confirms; ``context`` for the e-mail."""
    raw = issue_token(user=user, purpose=purpose, lifetime=lifetime, new_email=new_email)
    mail.send(
        name,
        to=new_email or user.email,
        language=user.language,
        context={"customer_number": user.username, "url": absolute_url(url_name, token=raw), **context},
        secret=True,
    )


def find_token(*, raw: str, purpose: str) -> AccountToken | None:
    """The usable token for this secret, or None (unknown, used or expired)."""
    return AccountToken.objects.usable().filter(digest=_digest(raw), purpose=purpose).select_related("user").first()


def _consume(raw: str, purpose: str) -> AccountToken | None:
    """Mark the token used; of two concurrent uses only one gets it (a conditional UPDATE)."""
    token = find_token(raw=raw, purpose=purpose)
    if token is None:
        return None
    taken = AccountToken.objects.usable().filter(pk=token.pk).update(used_at=timezone.now())
    return token if taken == 1 else None


# --- consents -----------------------------------------------------------------------------


def document_version(kind: str) -> str:
    # E-invoices are a service under the portal's terms: billing needs the version it was given for.
    if kind in (ConsentEvent.Kind.TERMS, ConsentEvent.Kind.E_INVOICE):
        return settings.EBOK_TERMS_VERSION
    if kind == ConsentEvent.Kind.DATA:
        return settings.EBOK_PRIVACY_VERSION
    return ""


def record_consent(*, customer: Customer, kind: str, given: bool, source: str) -> ConsentEvent | None:
    """Append a history row when the consent changes (or was never recorded)."""
    last = ConsentEvent.newest_first(customer, kind).first()
    version = document_version(kind)
    if last is not None and last.given == given and last.document_version == version:
        return None
    return ConsentEvent.objects.create(
        customer=customer, kind=kind, given=given, document_version=version, source=source
    )


# --- registration -------------------------------------------------------------------------


def strong_proof() -> bool:
    """EBOK_REGISTRATION_PROOF=invoice+amount: a document's number and its gross amount, both."""
    return settings.EBOK_REGISTRATION_PROOF == "invoice+amount"


def _latest(customer: Customer, kinds: list[str], count: int):
    return (
        customer.documents.filter(kind__in=kinds)
        .order_by("-issue_date", "-number")
        .values_list("number", "gross")[:count]
    )


def proof_matches(customer: Customer, *, invoice_number: str, amount: Decimal | None) -> bool:
    """The invoice is one of the two latest invoices/corrections, or (tenants) the amount equals
    the gross of the latest settlement. With the strong proof (EBOK_REGISTRATION_PROOF): the
    number of one of those documents (a tenant's: the latest settlement) and its gross amount."""
    invoices = _latest(customer, [Document.Kind.INVOICE, Document.Kind.CORRECTION], 2)
    wanted = invoice_number.strip().casefold()
    if strong_proof():
        documents = _latest(customer, [Document.Kind.SETTLEMENT], 1) if customer.is_tenant else invoices
        return bool(wanted) and any(n.strip().casefold() == wanted and gross == amount for n, gross in documents)
    if wanted:
        return any(number.strip().casefold() == wanted for number, _gross in invoices)
    if amount is not None and customer.is_tenant:
        latest = list(_latest(customer, [Document.Kind.SETTLEMENT], 1))
        return bool(latest) and latest[0][1] == amount
    return False


def _page_language() -> str:
    """The active language if the portal offers it, else the default (e-mails follow it)."""
    code = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def send_set_password_link(*, user: User) -> None:
    """A fresh set-password link to the account's address; an earlier one stops working."""
    hours = settings.EBOK_SET_PASSWORD_LINK_HOURS
    purpose = AccountToken.Purpose.SET_PASSWORD
    _mail_link(user, purpose, timedelta(hours=hours), "accounts-set-password", "accounts:set_password", hours=hours)


def _notify_registration_attempt(user: User, *, ip: str | None, pending: bool) -> bool:
    """Tell the account's address that its customer number was registered again with a valid
    proof, at most once a day per customer (a valid proof is no failure, so nothing else limits
    it). Returns whether the notice went out. The caller holds the user row locked."""
    kind = AccountAttempt.Kind.REGISTRATION
    since = timezone.now() - timedelta(days=1)
    already = AccountAttempt.objects.filter(
        kind=kind, customer_number=user.username, outcome=AccountAttempt.Outcome.NOTIFIED, at__gte=since
    ).exists()
    outcome = AccountAttempt.Outcome.REGISTERED if already else AccountAttempt.Outcome.NOTIFIED
    AccountAttempt.objects.create(kind=kind, customer_number=user.username, ip=ip, outcome=outcome)
    if already or not user.email:
        return False
    mail.send(
        "accounts-registration-attempt",
        to=user.email,
        language=user.language,
        context={
            "customer_number": user.username,
            "reset_url": absolute_url("accounts:password_reset"),
            "pending": pending,
        },
    )
    return True


def proven_customer(*, customer_number: str, invoice_number: str, amount: Decimal | None, ip: str | None):
    """The customer whose proof this is, or None (the failure counted and audited); registration
    and "Dodaj numer odbiorcy" share the check and its throttle. Raises Throttled."""
    kind = AccountAttempt.Kind.REGISTRATION
    _check_throttle(kind, customer_number, ip)
    customer = Customer.objects.filter(number=customer_number).first()
    if customer is None or not proof_matches(customer, invoice_number=invoice_number, amount=amount):
        AccountAttempt.objects.create(
            kind=kind, customer_number=customer_number, ip=ip, outcome=AccountAttempt.Outcome.FAILED
        )
        audit("registration_failed", ip=ip, customer_number=customer_number)
        return None
    return customer


def registration_start(
    *,
    customer_number: str,
    invoice_number: str,
    amount: Decimal | None,
    email: str,
    e_invoices: bool,
    ip: str | None,
) -> None:
    """Check the customer's proof and start the account. Says nothing about the outcome: the
    caller shows the same page whatever happened (no enumeration). Raises Throttled."""
    kind = AccountAttempt.Kind.REGISTRATION
    customer = proven_customer(customer_number=customer_number, invoice_number=invoice_number, amount=amount, ip=ip)
    if customer is None:
        return

    with transaction.atomic():
        user = User.objects.select_for_update().filter(customer=customer).first()
        if user is None:
            try:
                with transaction.atomic():
                    user = User.objects.create(
                        username=customer.number,
                        email=email,
                        customer=customer,
                        status=User.Status.PENDING,
                        password=make_password(None),
                        language=_page_language(),
                    )
            except IntegrityError:
                # A concurrent registration of the same customer won; its e-mail gets the link.
                user = None
            if user is None:
                AccountAttempt.objects.create(
                    kind=kind, customer_number=customer_number, ip=ip, outcome=AccountAttempt.Outcome.REGISTERED
                )
                return
        elif user.status == User.Status.ACTIVE:
            notified = _notify_registration_attempt(user, ip=ip, pending=False)
            audit("registration_repeated", ip=ip, customer_number=customer_number, notified=notified)
            return
        elif user.email.casefold() != email.casefold():
            # Still pending, another address: the link moves only with a notice to the address it
            # leaves, and at most once a day (the notices are limited so).
            if not _notify_registration_attempt(user, ip=ip, pending=True):
                audit("registration_move_refused", ip=ip, customer_number=customer_number)
                return
            user.email = email
            user.save(update_fields=["email"])

        AccountAttempt.objects.create(
            kind=kind, customer_number=customer_number, ip=ip, outcome=AccountAttempt.Outcome.OK
        )
        for consent, given in (
            (ConsentEvent.Kind.TERMS, True),
            (ConsentEvent.Kind.DATA, True),
            (ConsentEvent.Kind.E_INVOICE, e_invoices),
        ):
            record_consent(customer=customer, kind=consent, given=given, source=ConsentEvent.Source.REGISTRATION)
        send_set_password_link(user=user)
        notify_billing_address(user=user, new_email=email)
        audit("registration_started", ip=ip, customer_number=customer_number)


def set_initial_password(*, raw: str, password: str, ip: str | None = None) -> User | None:
    """Use a set-password link: activate the account. None when the link is no longer valid."""
    with transaction.atomic():
        token = _consume(raw, AccountToken.Purpose.SET_PASSWORD)
        if token is None:
            return None
        user = token.user
        user.set_password(password)
        user.status = User.Status.ACTIVE
        user.save(update_fields=["password", "status"])
        mail.send(
            "accounts-registration-confirmed",
            to=user.email,
            language=user.language,
            context={"customer_number": user.username, "login_url": absolute_url("accounts:login")},
        )
        audit("registration_completed", ip=ip, user=user, customer_number=user.username)
        return user


# --- forgotten password -------------------------------------------------------------------


def password_reset_request(*, customer_number: str, ip: str | None) -> None:
    """Take a reset request and queue its work; the caller shows the same page at once.

    Whether the number has an account is looked up by the worker (``send_password_reset``), so the
    answer does the same work, and takes the same time, for every number. Raises Throttled."""
    from accounts.tasks import password_reset_task

    kind = AccountAttempt.Kind.RESET
    _check_throttle(kind, customer_number, ip)
    attempt = AccountAttempt.objects.create(
        kind=kind, customer_number=customer_number, ip=ip, outcome=AccountAttempt.Outcome.REQUESTED
    )
    audit("password_reset_requested", ip=ip, customer_number=customer_number)
    # The database backend stores the task in this transaction: the worker sees it once committed.
    password_reset_task.enqueue(attempt.pk)


def send_password_reset(*, attempt_id: int) -> bool:
    """The worker's half of a reset request: send a reset link (or, to an account never finished,
    a new set-password link). Returns whether a link went out."""
    attempt = AccountAttempt.objects.filter(pk=attempt_id, outcome=AccountAttempt.Outcome.REQUESTED).first()
    if attempt is None:  # done already (a task run twice)
        return False
    number = attempt.customer_number
    # A customer number, or the e-mail address of exactly one login (accounts.backends.login_name):
    # representatives' logins have no customer number of their own.
    user = User.objects.filter(username=login_name(number), is_active=True, is_staff=False, is_superuser=False).first()
    known = user is not None and bool(user.email)
    attempt.outcome = AccountAttempt.Outcome.OK if user else AccountAttempt.Outcome.FAILED
    attempt.save(update_fields=["outcome"])
    audit("password_reset_looked_up", customer_number=number, known=bool(user), attempt=attempt.pk)
    if not known:
        return False
    with transaction.atomic():
        if user.status == User.Status.PENDING:
            send_set_password_link(user=user)
            return True
        minutes = settings.EBOK_RESET_LINK_MINUTES
        lifetime, purpose = timedelta(minutes=minutes), AccountToken.Purpose.RESET_PASSWORD
        _mail_link(
            user, purpose, lifetime, "accounts-password-reset", "accounts:password_reset_confirm", minutes=minutes
        )
    return True


def password_reset_complete(*, raw: str, password: str, ip: str | None = None) -> User | None:
    """Use a reset link. Changing the password ends every session of the account (Django ties
    sessions to the password hash); the owner gets a notice."""
    with transaction.atomic():
        token = _consume(raw, AccountToken.Purpose.RESET_PASSWORD)
        if token is None:
            return None
        user = token.user
        user.set_password(password)
        user.save(update_fields=["password"])
        notify_password_changed(user)
        audit("password_reset_completed", ip=ip, user=user, customer_number=user.username)
        return user


def notify_password_changed(user: User) -> None:
    mail.send(
        "accounts-password-changed",
        to=user.email,
        language=user.language,
        context={"customer_number": user.username, "reset_url": absolute_url("accounts:password_reset")},
    )


# --- e-mail change ------------------------------------------------------------------------


def email_change_start(*, user: User, new_email: str, ip: str | None = None) -> None:
    """Mail a confirmation link to the new address; nothing changes until it is used."""
    hours = settings.EBOK_CHANGE_EMAIL_LINK_HOURS
    with transaction.atomic():
        lifetime, purpose = timedelta(hours=hours), AccountToken.Purpose.CHANGE_EMAIL
        _mail_link(user, purpose, lifetime, "accounts-email-change", "accounts:email_confirm", new_email, hours=hours)
    audit("email_change_requested", ip=ip, user=user, customer_number=user.username)


def email_change_confirm(*, raw: str, ip: str | None = None) -> User | None:
    with transaction.atomic():
        token = _consume(raw, AccountToken.Purpose.CHANGE_EMAIL)
        if token is None:
            return None
        user = token.user
        old_email = user.email
        user.email = token.new_email
        user.save(update_fields=["email"])
        clear_failing_address(old_email)
        if old_email:
            mail.send(
                "accounts-email-changed",
                to=old_email,
                language=user.language,
                context={"customer_number": user.username, "new_email": user.email},
            )
        if (old_email or "").casefold() != (user.customer.email or "").casefold():
            notify_billing_address(user=user, new_email=user.email)  # else the notice above already went there
        audit("email_changed", ip=ip, user=user, customer_number=user.username)
        return user


def clear_failing_address(address: str) -> None:
    """An address the login no longer uses is no longer failing for it: the mark goes, unless
    another login still has that address (then its banner stays until that one changes too)."""
    if address and not User.objects.filter(email__iexact=address).exists():
        FailingAddress.objects.filter(address=address.lower()).delete()


# --- "to nie ja": the billing system's address disowns a new login address --------------------

NOT_ME_SALT = "accounts.not_me"


def notify_billing_address(*, user: User, new_email: str) -> None:
    """Tell the customer's e-mail on file in billing (odbiorcy.csv) that the portal login now goes
    to ``new_email``, with a link that undoes it: whoever guessed the registration proof cannot
    keep the account unnoticed. Nothing is sent when billing has no address or it is the same."""
    billing_email = user.customer.email if user.customer_id else ""
    if not billing_email or billing_email.casefold() == new_email.casefold():
        return
    raw = signing.dumps({"user": user.pk, "email": new_email}, salt=NOT_ME_SALT, compress=True)
    mail.send(
        "accounts-not-me",
        to=billing_email,
        language=user.language,
        context={
            "customer_number": user.username,
            "new_email": new_email,
            "url": absolute_url("accounts:not_me", token=raw),
            "days": settings.EBOK_NOT_ME_LINK_DAYS,
            "pending": user.status == User.Status.PENDING,
        },
        secret=True,
    )


def not_me_user(*, raw: str) -> User | None:
    """The login a "to nie ja" link concerns while it still has the address the notice named."""
    try:
        data = signing.loads(raw, salt=NOT_ME_SALT, max_age=timedelta(days=settings.EBOK_NOT_ME_LINK_DAYS))
    except signing.BadSignature:  # also SignatureExpired
        return None
    user = User.objects.filter(pk=data["user"], customer__isnull=False).select_related("customer").first()
    if user is None or user.email.casefold() != str(data["email"]).casefold():
        return None
    return user


def not_me(*, raw: str, ip: str | None = None) -> User | None:
    """Undo what the notice reported: a pending account is cancelled; an active one is frozen,
    its login address set back to billing's, and a case opened for staff (``account_disputed``).
    None when the link is no longer valid (expired, used, or the address has changed since)."""
    with transaction.atomic():
        user = not_me_user(raw=raw)
        if user is None:
            return None
        user = User.objects.select_for_update().get(pk=user.pk)
        disputed_email = user.email
        if user.status == User.Status.PENDING:
            user.delete()
            audit("registration_disowned", ip=ip, customer_number=user.username, email=disputed_email)
            return user
        user.is_active = False  # no session of this login is valid any more, no login succeeds
        user.email = user.customer.email
        user.save(update_fields=["is_active", "email"])
        AccountToken.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
        audit("account_disowned", ip=ip, customer_number=user.username, email=disputed_email)
        account_disputed.send(sender=User, user=user, disputed_email=disputed_email)
        return user


def purge_account_history(*, dry_run: bool = False) -> tuple[int, int]:
    """Delete throttling attempts older than EBOK_ATTEMPT_DAYS and login history older than
    EBOK_LOGIN_HISTORY_DAYS (both carry client IP addresses). Returns (attempts, logins)."""
    now = timezone.now()
    attempts = AccountAttempt.objects.filter(at__lt=now - timedelta(days=settings.EBOK_ATTEMPT_DAYS))
    logins = LoginEvent.objects.filter(at__lt=now - timedelta(days=settings.EBOK_LOGIN_HISTORY_DAYS))
    if dry_run:
        return attempts.count(), logins.count()
    return attempts.delete()[0], logins.delete()[0]


def purge_pending_registrations(*, dry_run: bool = False) -> int:
    """Delete pending accounts older than EBOK_PENDING_REGISTRATION_DAYS. Returns how many."""
    cutoff = timezone.now() - timedelta(days=settings.EBOK_PENDING_REGISTRATION_DAYS)
    stale = User.objects.filter(status=User.Status.PENDING, customer__isnull=False, date_joined__lt=cutoff)
    if dry_run:
        return stale.count()
    with transaction.atomic():
        _, per_model = stale.delete()
    return per_model.get(User._meta.label, 0)
