"""Account workflows that span models and e-mail: registration, password set-up and reset,
e-mail change. Views validate forms, then call one of these."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from accounts.models import AccountAttempt, AccountToken, ConsentEvent, User
from billing.models import Customer, Document
from ebok import mail
from ebok.audit import audit
from ebok.links import absolute_url

_AMOUNT = re.compile(r"^(\d{1,3}(?: \d{3})+|\d+)(?:[,.](\d{1,2}))?$")
_CURRENCY = re.compile(r"\s*(zł|zl|pln)\.?$", re.IGNORECASE)


class Throttled(Exception):
    """Too many attempts for this customer number or client IP."""


def parse_amount(text: str) -> Decimal | None:
    """``1234,56``, ``1 234,56``, ``1234.56``, ``1234,56 zł`` → Decimal; anything else → None."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").strip()
    text = _CURRENCY.sub("", text).strip()
    match = _AMOUNT.match(text)
    if not match:
        return None
    whole, cents = match.groups()
    try:
        return Decimal(f"{whole.replace(' ', '')}.{(cents or '0').ljust(2, '0')}")
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None


# --- throttling ---------------------------------------------------------------------------


def _limits(kind: str) -> tuple[int, int]:
    if kind == AccountAttempt.Kind.REGISTRATION:
        return settings.EBOK_REGISTRATION_LIMIT_PER_NUMBER, settings.EBOK_REGISTRATION_LIMIT_PER_IP
    return settings.EBOK_RESET_LIMIT_PER_NUMBER, settings.EBOK_RESET_LIMIT_PER_IP


def is_throttled(*, kind: str, customer_number: str, ip: str | None) -> bool:
    """Registration counts failed checks; a reset counts every request (it never says which failed)."""
    since = timezone.now() - timedelta(minutes=settings.EBOK_ATTEMPT_WINDOW_MINUTES)
    counted = AccountAttempt.objects.filter(kind=kind, at__gte=since)
    if kind == AccountAttempt.Kind.REGISTRATION:
        counted = counted.filter(outcome=AccountAttempt.Outcome.FAILED)
    else:
        counted = counted.exclude(outcome=AccountAttempt.Outcome.THROTTLED)
    per_number, per_ip = _limits(kind)
    if counted.filter(customer_number=customer_number).count() >= per_number:
        return True
    return ip is not None and counted.filter(ip=ip).count() >= per_ip


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


def proof_matches(customer: Customer, *, invoice_number: str, amount: Decimal | None) -> bool:
    """The invoice is one of the two latest invoices/corrections, or (tenants) the amount equals
    the gross of the latest settlement."""
    if invoice_number:
        wanted = invoice_number.strip().casefold()
        latest = (
            customer.documents.filter(kind__in=[Document.Kind.INVOICE, Document.Kind.CORRECTION])
            .order_by("-issue_date", "-number")
            .values_list("number", flat=True)[:2]
        )
        return any(number.strip().casefold() == wanted for number in latest)
    if amount is not None and customer.is_tenant:
        gross = (
            customer.documents.filter(kind=Document.Kind.SETTLEMENT)
            .order_by("-issue_date", "-number")
            .values_list("gross", flat=True)
            .first()
        )
        return gross is not None and gross == amount
    return False


def _page_language() -> str:
    """The active language if the portal offers it, else the default (e-mails follow it)."""
    code = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


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
    _check_throttle(kind, customer_number, ip)
    customer = Customer.objects.filter(number=customer_number).first()
    if customer is None or not proof_matches(customer, invoice_number=invoice_number, amount=amount):
        AccountAttempt.objects.create(
            kind=kind, customer_number=customer_number, ip=ip, outcome=AccountAttempt.Outcome.FAILED
        )
        audit("registration_failed", ip=ip, customer_number=customer_number)
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
            AccountAttempt.objects.create(
                kind=kind, customer_number=customer_number, ip=ip, outcome=AccountAttempt.Outcome.REGISTERED
            )
            mail.send(
                "accounts-registration-attempt",
                to=user.email,
                language=user.language,
                context={"customer_number": customer.number, "reset_url": absolute_url("accounts:password_reset")},
            )
            audit("registration_repeated", ip=ip, customer_number=customer_number)
            return
        else:
            # Still pending: whoever passes the check again gets a fresh link at the address given now.
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
        hours = settings.EBOK_SET_PASSWORD_LINK_HOURS
        raw = issue_token(user=user, purpose=AccountToken.Purpose.SET_PASSWORD, lifetime=timedelta(hours=hours))
        mail.send(
            "accounts-set-password",
            to=email,
            language=user.language,
            context={
                "customer_number": customer.number,
                "url": absolute_url("accounts:set_password", token=raw),
                "hours": hours,
            },
        )
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
    """Send a reset link (or, to an account never finished, a new set-password link).
    The caller shows the same page either way. Raises Throttled."""
    kind = AccountAttempt.Kind.RESET
    _check_throttle(kind, customer_number, ip)
    user = User.objects.filter(username=customer_number, customer__isnull=False, is_active=True).first()
    AccountAttempt.objects.create(
        kind=kind,
        customer_number=customer_number,
        ip=ip,
        outcome=AccountAttempt.Outcome.OK if user else AccountAttempt.Outcome.FAILED,
    )
    audit("password_reset_requested", ip=ip, customer_number=customer_number, known=bool(user))
    if user is None or not user.email:
        return
    with transaction.atomic():
        if user.status == User.Status.PENDING:
            hours = settings.EBOK_SET_PASSWORD_LINK_HOURS
            raw = issue_token(user=user, purpose=AccountToken.Purpose.SET_PASSWORD, lifetime=timedelta(hours=hours))
            mail.send(
                "accounts-set-password",
                to=user.email,
                language=user.language,
                context={
                    "customer_number": user.username,
                    "url": absolute_url("accounts:set_password", token=raw),
                    "hours": hours,
                },
            )
            return
        minutes = settings.EBOK_RESET_LINK_MINUTES
        raw = issue_token(user=user, purpose=AccountToken.Purpose.RESET_PASSWORD, lifetime=timedelta(minutes=minutes))
        mail.send(
            "accounts-password-reset",
            to=user.email,
            language=user.language,
            context={
                "customer_number": user.username,
                "url": absolute_url("accounts:password_reset_confirm", token=raw),
                "minutes": minutes,
            },
        )


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
        raw = issue_token(
            user=user, purpose=AccountToken.Purpose.CHANGE_EMAIL, lifetime=timedelta(hours=hours), new_email=new_email
        )
        mail.send(
            "accounts-email-change",
            to=new_email,
            language=user.language,
            context={
                "customer_number": user.username,
                "url": absolute_url("accounts:email_confirm", token=raw),
                "hours": hours,
            },
        )
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
        if old_email:
            mail.send(
                "accounts-email-changed",
                to=old_email,
                language=user.language,
                context={"customer_number": user.username, "new_email": user.email},
            )
        audit("email_changed", ip=ip, user=user, customer_number=user.username)
        return user


def purge_pending_registrations(*, dry_run: bool = False) -> int:
    """Delete pending accounts older than EBOK_PENDING_REGISTRATION_DAYS. Returns how many."""
    cutoff = timezone.now() - timedelta(days=settings.EBOK_PENDING_REGISTRATION_DAYS)
    stale = User.objects.filter(status=User.Status.PENDING, customer__isnull=False, date_joined__lt=cutoff)
    if dry_run:
        return stale.count()
    with transaction.atomic():
        _, per_model = stale.delete()
    return per_model.get(User._meta.label, 0)
