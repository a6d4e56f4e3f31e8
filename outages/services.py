"""Publishing an interruption: who it affects, and telling them once per change.

``publish`` is the one path after every save, from the admin, the CSV import and the demo: it
resolves the affected points and queues the notices in the caller's transaction.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from accounts.models import CustomerAccess, User
from billing.models import DeliveryPoint
from ebok import mail
from ebok.links import absolute_url, customer_url
from outages.models import AffectedPoint, Interruption, OutageNotice, street_key, street_name


@dataclass(frozen=True)
class Published:
    points: int  # affected delivery points
    emails: int  # e-mails queued by this call


def resolve(*, interruption: Interruption) -> list[DeliveryPoint]:
    """The delivery points the interruption affects: those named, those of its substation, and
    those whose address is on one of its streets (same town, same street, any house number)."""
    wanted = Q(pk__in=interruption.points.values("pk"))
    if interruption.substation.strip():
        wanted |= Q(substation__iexact=interruption.substation.strip())
    streets = list(interruption.streets.all())
    if streets:
        keys = {(s.city.strip().casefold(), street_key(s.street)) for s in streets}
        in_towns = functools.reduce(operator.or_, (Q(city__iexact=s.city.strip()) for s in streets))
        # Addresses differ in writing ("ul. Mickiewicza 26/4", "Mickiewicza 26"): compared in Python,
        # among the points of the towns named only.
        on_streets = [
            p.pk
            for p in DeliveryPoint.objects.filter(in_towns).only("pk", "city", "street")
            if (p.city.strip().casefold(), street_key(p.street)) in keys
        ]
        wanted |= Q(pk__in=on_streets)
    return list(DeliveryPoint.objects.filter(wanted).order_by("code"))


def _sync_affected(interruption: Interruption, points: list[DeliveryPoint]) -> None:
    current = set(AffectedPoint.objects.filter(interruption=interruption).values_list("point_id", flat=True))
    codes = {p.pk for p in points}
    AffectedPoint.objects.filter(interruption=interruption).exclude(point_id__in=codes).delete()
    AffectedPoint.objects.bulk_create(
        [
            AffectedPoint(interruption=interruption, point=p, city=p.city.strip(), street=street_name(p.street))
            for p in points
            if p.pk not in current
        ]
    )


def note_changes(*, interruption: Interruption, previous_expected_end) -> None:
    """Before saving an edited interruption: a new expected end is a change the customers hear of."""
    if previous_expected_end is not None and previous_expected_end != interruption.expected_end_at:
        interruption.end_revision += 1


def current_change(interruption: Interruption) -> str:
    if interruption.ended_at is not None:
        return "ended"
    if interruption.end_revision:
        return f"end-{interruption.end_revision}"
    return "new"


def notify(*, interruption: Interruption, now=None) -> int:
    """Queue one e-mail per affected login for the interruption's latest change; returns how many.

    Each login hears of each change once (OutageNotice, and the outbox's dedup key): running this
    again, or saving again without a change, sends nothing. A login first reached by a later change
    (its point was added) gets the announcement with the current times; an interruption that ended
    before a login was told anything is not news to it. Logins with the notices switched off in
    Moje konto get nothing. Five queries, whatever the number of points and logins.
    """
    now = now or timezone.now()
    change = current_change(interruption)
    if change != "ended" and not interruption.is_visible(now):
        return 0  # entered after the fact: nothing to announce
    by_customer: dict[str, list[AffectedPoint]] = {}
    for affected in AffectedPoint.objects.filter(interruption=interruption).select_related("point__customer"):
        by_customer.setdefault(affected.point.customer_id, []).append(affected)
    # Every login with live access to an affected customer (its właściciel and representatives,
    # ebok.access) hears of it, in one e-mail listing all its affected points.
    users: dict[int, User] = {}
    customers_of: dict[int, list[str]] = {}
    for grant in (
        CustomerAccess.objects.live()
        .filter(customer_id__in=list(by_customer), user__notify_outages=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id", "customer_id")
    ):
        users.setdefault(grant.user_id, grant.user)
        customers_of.setdefault(grant.user_id, []).append(grant.customer_id)
    told: dict[int, set[str]] = {}
    for user_id, told_change in OutageNotice.objects.filter(
        interruption=interruption, user__in=list(users)
    ).values_list("user_id", "change"):
        told.setdefault(user_id, set()).add(told_change)
    messages, notices = [], []
    public_url = absolute_url("outages:public")
    for user in users.values():
        before = told.get(user.pk, set())
        if change in before or (change == "ended" and not before):
            continue
        name = "outages-new" if not before else ("outages-ended" if change == "ended" else "outages-end-changed")
        points = [(number, a) for number in customers_of[user.pk] for a in by_customer[number]]
        messages.append(
            mail.Message(
                name=name,
                to=user.email,
                language=user.language,
                context={
                    "interruption": interruption,
                    "kind": interruption.get_kind_display(),
                    "points": [
                        {
                            "code": a.point.code,
                            "address": a.point.address,
                            # Named in the text too: a representative may act for dozens of customers.
                            "customer": a.point.customer,
                            # The link names the customer: the login may reach several.
                            "url": customer_url("billing:point", number, a.point.code),
                        }
                        for number, a in points
                    ],
                    "public_url": public_url,
                    "emergency_phone": settings.EBOK_UTILITY_EMERGENCY_PHONE,
                    "my_account_url": absolute_url("accounts:my_account"),
                },
                dedup_key=f"outages:{interruption.pk}:{change}:{user.pk}",
            )
        )
        notices.append(OutageNotice(interruption=interruption, user=user, change=change, sent_at=now))
    queued = [row for row in mail.send_many(messages) if row is not None]
    # A concurrent run recorded the same change first: its rows stand, and the outbox's key kept
    # this run's copy of the e-mail out.
    OutageNotice.objects.bulk_create(notices, ignore_conflicts=True)
    return len(queued)


def publish(*, interruption: Interruption, now=None) -> Published:
    """After the interruption (and its points and streets) are saved: resolve, then notify."""
    points = resolve(interruption=interruption)
    _sync_affected(interruption, points)
    return Published(points=len(points), emails=notify(interruption=interruption, now=now))
