"""Reads several views share: the customer's cases with their unread counts, the search, the badge."""

from __future__ import annotations

import re
import unicodedata

from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Count, Exists, Func, OuterRef, Q, QuerySet, TextField, Value

from billing.models import Customer
from cases.models import Case, Message
from ebok.access import shown_customer

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
    """Staff messages the request's customer has not opened, in one query per request (the tab badge)."""
    if not hasattr(request, "_cases_unread"):
        customer = shown_customer(request)
        customer_id = customer.pk if customer is not None else None
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
    (development) each word, folded the same way (``fold``), is looked for as a substring. Words
    that read as a case number ("SP/2026/000013", "13") also find that case.
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


# "SP/2026/000013", "2026/13", "000013" or just "13": a case by its number.
_CASE_NUMBER = re.compile(r"^(?:SP/)?(?:(\d{4})/)?0*(\d{1,6})$", re.IGNORECASE)


def _number_matches(words: str) -> Q | None:
    match = _CASE_NUMBER.match(words.replace(" ", ""))
    if not match:
        return None
    year, sequence = match.groups()
    tail = f"/{int(sequence):06d}"
    return Q(number=f"SP/{year}{tail}") if year else Q(number__endswith=tail)


def fold(text: str | None) -> str | None:
    """Lower case without Polish diacritics ("Ciepło" -> "cieplo"), as PostgreSQL's unaccent and
    full-text search see words; SQLite gets it as the function EBOK_FOLD (cases.apps)."""
    if text is None:
        return None
    text = text.replace("ł", "l").replace("Ł", "L")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


class Fold(Func):
    function = "EBOK_FOLD"
    output_field = TextField()


def _matches(words: str) -> Q:
    by_number = _number_matches(words)
    by_text = _text_matches(words)
    return by_text | by_number if by_number is not None else by_text


def _text_matches(words: str) -> Q:
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
    # SQLite (development): every word, folded, in the subject or in one message, as PostgreSQL's
    # plain query asks every word of one document.
    terms = fold(words).split()
    in_messages = Message.objects.filter(case=OuterRef("pk")).annotate(folded=Fold("body"))
    in_subject = Case.objects.annotate(folded=Fold("subject"))
    for term in terms:
        in_messages = in_messages.filter(folded__contains=term)
        in_subject = in_subject.filter(folded__contains=term)
    return Q(Exists(in_messages)) | Q(pk__in=in_subject.values("pk"))
