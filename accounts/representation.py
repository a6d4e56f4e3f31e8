"""Access for representatives (issue #12): the właściciel's invitations, changes of role and
revocations, the staff's grants on a paper authorisation. Each is audited and e-mailed to both
sides (the customer's właściciel and the representative). Views validate forms, then call these."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts import services
from accounts.models import AccountAttempt, CustomerAccess, Invitation, User
from accounts.services import _digest
from billing.models import Customer
from ebok import mail
from ebok.audit import audit
from ebok.links import absolute_url, customer_url

INVITATION_DAYS = 7
Role = CustomerAccess.Role


class InvitationUnusable(Exception):
    """The link is unknown, used, cancelled or expired."""


def _owner(customer: Customer) -> User | None:
    access = CustomerAccess.objects.active().filter(customer=customer, role=Role.OWNER).select_related("user").first()
    return access.user if access else None


def _to_owner(owner: User, customer: Customer, **context) -> mail.Message:
    """The e-mail to the customer's właściciel (or whoever registered it) with a link to Moje konto."""
    url = customer_url("accounts:my_account", customer.number)
    context = {**context, "side": "owner", "customer": customer, "url": url}
    return mail.Message("access-changed", owner.email, context, owner.language)


def _tell_both(event: str, customer: Customer, representative: User, role: str, **context):
    """One e-mail to the właściciel and one to the representative (in ``role`` now) about ``event``."""
    owner = _owner(customer)
    login, role = representative.get_username(), Role(role).label
    context = {"event": event, "login": login, "role": role, **context}
    messages = [_to_owner(owner, customer, **context)] if owner is not None and owner.email else []
    if representative.email:
        url = customer_url("start", customer.number)
        context = {**context, "side": "representative", "customer": customer, "url": url}
        messages.append(mail.Message("access-changed", representative.email, context, representative.language))
    mail.send_many(messages)


def invite(*, customer: Customer, email: str, role: str, invited_by: User, ip: str | None = None) -> str:
    """Invite ``email`` to ``role`` for ``customer``; returns the link's secret (sent by e-mail)."""
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation(
            customer=customer,
            email=email,
            role=role,
            invited_by=invited_by,
            digest=_digest(raw),
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        invitation.full_clean()
        invitation.save()
        audit("access_invited", user=invited_by, ip=ip, customer_number=customer.number, email=email, role=role)
        mail.send(
            "access-invitation",
            to=email,
            language=invited_by.language,
            secret=True,
            context={
                "customer": customer,
                "role": Role(invitation.role).label,
                "inviter": invited_by.get_username(),
                "days": INVITATION_DAYS,
                "url": absolute_url("accounts:invitation", token=raw),
            },
        )
        owner = _owner(customer)
        if owner is not None and owner.email:
            mail.send_many([_to_owner(owner, customer, event="invited", login=email, role=Role(invitation.role).label)])
    return raw


def find_invitation(raw: str) -> Invitation | None:
    return Invitation.objects.pending().filter(digest=_digest(raw)).select_related("customer", "invited_by").first()


def accept(*, raw: str, user: User, ip: str | None = None) -> CustomerAccess:
    """Give ``user`` the invitation's role; the link works once. A login that already reaches the
    customer gets the invited role (a właściciel stays one)."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().pending().filter(digest=_digest(raw)).first()
        if invitation is None or user.is_staff:
            raise InvitationUnusable
        now = timezone.now()
        invitation.accepted_at, invitation.accepted_by = now, user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        access = (
            CustomerAccess.objects.active().select_for_update().filter(user=user, customer=invitation.customer).first()
        )
        if access is None:
            access = CustomerAccess.objects.create(
                user=user,
                customer=invitation.customer,
                role=invitation.role,
                source=CustomerAccess.Source.INVITATION,
                granted_by=invitation.invited_by,
                granted_at=now,
            )
        elif access.role != Role.OWNER:
            access.role = invitation.role
            access.save(update_fields=["role"])
        audit(
            "access_accepted",
            user=user,
            ip=ip,
            customer_number=invitation.customer_id,
            role=access.role,
            invited_by=invitation.invited_by.get_username(),
        )
        _tell_both("accepted", invitation.customer, user, access.role)
    return access


def create_login(*, email: str, password: str) -> User:
    """A login of a representative without a customer number of its own: its login is its e-mail."""
    return User.objects.create_user(email.casefold(), email=email, password=password)


def change_role(*, access: CustomerAccess, role: str, by: User, ip: str | None = None) -> None:
    if access.role == Role.OWNER or role not in (Role.PROXY, Role.VIEWER) or access.role == role:
        return
    with transaction.atomic():
        old = Role(access.role).label
        access.role = role
        access.save(update_fields=["role"])
        audit(
            "access_role_changed",
            user=by,
            ip=ip,
            customer_number=access.customer_id,
            login=access.user.get_username(),
            old=old,
            role=role,
        )
        _tell_both("changed", access.customer, access.user, access.role)


def revoke(*, access: CustomerAccess, by: User, ip: str | None = None) -> None:
    """End a representative's access; it holds from their next request on."""
    if access.role == Role.OWNER or access.revoked_at is not None:
        return
    with transaction.atomic():
        access.revoked_at, access.revoked_by = timezone.now(), by
        access.save(update_fields=["revoked_at", "revoked_by"])
        audit(
            "access_revoked",
            user=by,
            ip=ip,
            customer_number=access.customer_id,
            login=access.user.get_username(),
            role=access.role,
        )
        _tell_both("revoked", access.customer, access.user, access.role)


def cancel_invitation(*, invitation: Invitation, by: User, ip: str | None = None) -> None:
    updated = Invitation.objects.pending().filter(pk=invitation.pk).update(cancelled_at=timezone.now())
    if updated:
        audit(
            "access_invitation_cancelled",
            user=by,
            ip=ip,
            customer_number=invitation.customer_id,
            email=invitation.email,
        )


def grant_on_paper(
    *, user: User, customer: Customer, role: str, reference: str, date, by: User, ip: str | None = None
) -> CustomerAccess:
    """Staff's grant on a paper authorisation (upoważnienie), its reference and date kept."""
    with transaction.atomic():
        access = CustomerAccess(
            user=user,
            customer=customer,
            role=role,
            source=CustomerAccess.Source.PAPER,
            paper_reference=reference,
            paper_date=date,
            granted_by=by,
        )
        access.full_clean()
        access.save()
        audit(
            "access_granted_on_paper",
            user=by,
            ip=ip,
            customer_number=customer.number,
            login=user.get_username(),
            role=role,
            reference=reference,
            date=date,
        )
        _tell_both("granted", customer, user, access.role, reference=reference, date=date)
    return access


def add_customer(*, user: User, customer_number: str, invoice_number: str, amount, ip: str | None = None) -> None:
    """ "Dodaj numer odbiorcy": with registration's proof, a customer nobody holds becomes the
    login's (właściciel). A customer that has a właściciel (or a registration under way) gets
    nothing but the same answer, and its właściciel is told someone asked and how to invite them.
    Says nothing about the outcome. Raises accounts.services.Throttled."""
    customer = services.proven_customer(
        customer_number=customer_number, invoice_number=invoice_number, amount=amount, ip=ip
    )
    if customer is None:
        return
    with transaction.atomic():
        Customer.objects.select_for_update().filter(pk=customer.pk).first()  # one claim at a time
        owner = _owner(customer)
        registered = User.objects.filter(customer=customer).exclude(pk=user.pk).first()
        if owner is None and registered is None:
            CustomerAccess.objects.create(
                user=user,
                customer=customer,
                role=Role.OWNER,
                source=CustomerAccess.Source.REGISTRATION,
                granted_by=user,
            )
            AccountAttempt.objects.create(
                kind=AccountAttempt.Kind.REGISTRATION,
                customer_number=customer.number,
                ip=ip,
                outcome=AccountAttempt.Outcome.OK,
            )
            audit("access_customer_added", user=user, ip=ip, customer_number=customer.number)
            return
        if owner is not None and owner.pk == user.pk:
            return
        told = owner or registered
        since = timezone.now() - timedelta(days=1)
        already = AccountAttempt.objects.filter(
            kind=AccountAttempt.Kind.REGISTRATION,
            customer_number=customer.number,
            outcome=AccountAttempt.Outcome.NOTIFIED,
            at__gte=since,
        ).exists()
        AccountAttempt.objects.create(
            kind=AccountAttempt.Kind.REGISTRATION,
            customer_number=customer.number,
            ip=ip,
            outcome=AccountAttempt.Outcome.REGISTERED if already else AccountAttempt.Outcome.NOTIFIED,
        )
        audit("access_customer_add_refused", user=user, ip=ip, customer_number=customer.number, notified=not already)
        if not already and told.email:
            mail.send_many([_to_owner(told, customer, event="requested")])
