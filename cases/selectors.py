"""Reads several views share: the customer's cases with their unread counts, the search, the badge."""

from __future__ import annotations

from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value

from billing.models import Customer
from cases.models import Case, Message

UNREAD = Q(messages__from_staff=True, messages__read_at__isnull=True)


def cases_for(customer: Customer) -> QuerySet[Case]:
    """The customer's cases, newest first, each with ``unread``: staff messages not yet opened."""
    return (
        Case.objects.filter(customer=customer)
        .select_related("type")
        .annotate(unread=Count("messages", filter=UNREAD))
        .order_by("-created_at", "-pk")
    )


def unread_count(request) -> int:
    """Staff messages the logged-in customer has not opened, in one query per request (the tab badge)."""
    if not hasattr(request, "_cases_unread"):
        customer_id = getattr(request.user, "customer_id", None)
        request._cases_unread = (
            Message.objects.filter(case__customer_id=customer_id, from_staff=True, read_at__isnull=True).count()
            if customer_id
            else 0
        )
    return request._cases_unread


def search(
    qs: QuerySet[Case], *, words: str = "", status="", type=None, date_from=None, date_to=None, delivery_point=None
):
    """Narrow ``qs`` by the advanced-search fields.

    On PostgreSQL the words go through full-text search with the ``simple`` configuration over
    unaccented text, so "reklamacja" finds "Reklamacja" and "cieplo" finds "ciepło"; on SQLite
    (development) a case-insensitive substring match stands in.
    """
    if status:
        qs = qs.filter(status=status)
    if type is not None:
        qs = qs.filter(type=type)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    if delivery_point is not None:
        qs = qs.filter(delivery_point=delivery_point)
    words = words.strip()
    if words:
        qs = qs.filter(_matches(words))
    return qs


def _matches(words: str) -> Q:
    if connection.vendor == "postgresql":
        query = SearchQuery(Unaccent(Value(words)), config="simple", search_type="plain")
        in_messages = (
            Message.objects.filter(case=OuterRef("pk"))
            .annotate(document=SearchVector(Unaccent("body"), config="simple"))
            .filter(document=query)
        )
        return Q(Exists(in_messages)) | Q(
            pk__in=Case.objects.annotate(document=SearchVector(Unaccent("subject"), config="simple"))
            .filter(document=query)
            .values("pk")
        )
    in_messages = Message.objects.filter(case=OuterRef("pk"), body__icontains=words)
    return Q(subject__icontains=words) | Q(Exists(in_messages))
