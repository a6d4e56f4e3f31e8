"""The customer's billing pages: Umowa, Punkt odbioru, Płatności, Dokumenty and the PDF downloads."""

from __future__ import annotations

import logging

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from billing import qr
from billing.files import period_zip, safe_filename
from billing.forms import DocumentsFilterForm, PaymentsFilterForm, ZipPeriodForm
from billing.models import Contract, DeliveryPoint, Document, OtherDocument, Payment
from billing.selectors import settlement_for
from billing.templatetags.ebok_format import format_number, pln
from ebok.access import customer_required, get_for_customer_or_404
from ebok.files import private_file_response

log = logging.getLogger(__name__)
PAGE_SIZE = 25


def _get_point_for_customer(request, code: str) -> DeliveryPoint:
    return get_for_customer_or_404(request, DeliveryPoint.objects.select_related("contract"), code=code)


def _get_document_for_customer(request, number: str) -> Document:
    return get_for_customer_or_404(request, Document, number=number)


def _get_other_document_for_customer(request, ext_id: str) -> OtherDocument:
    return get_for_customer_or_404(request, OtherDocument, ext_id=ext_id)


@require_GET
@customer_required
def contracts(request):
    customer = request.customer
    contract_list = list(
        Contract.objects.filter(customer=customer).prefetch_related(
            Prefetch("delivery_points", queryset=DeliveryPoint.objects.order_by("code"))
        )
    )
    contract_docs = list(
        OtherDocument.objects.filter(
            customer=customer, kind__in=[OtherDocument.Kind.CONTRACT, OtherDocument.Kind.ANNEX]
        ).order_by("date", "ext_id")
    )
    # The export has no contract column for documents; a contract's documents are those whose
    # title names it. The rest are listed once, below all contracts.
    matched: set[str] = set()
    for contract in contract_list:
        contract.documents = [d for d in contract_docs if contract.number in d.title]
        matched.update(d.ext_id for d in contract.documents)
    unmatched = [d for d in contract_docs if d.ext_id not in matched]
    return render(
        request,
        "billing/contracts.html",
        {"contracts": contract_list, "unmatched_documents": unmatched},
    )


@require_GET
@customer_required
def points(request):
    point_list = (
        DeliveryPoint.objects.filter(customer=request.customer)
        .select_related("contract")
        .prefetch_related("meters")
        .order_by("code")
    )
    return render(request, "billing/points.html", {"points": point_list})


@require_GET
@customer_required
def point(request, code: str):
    delivery_point = _get_point_for_customer(request, code)
    # A reverse relation by name: billing does not import meters, it only lists what is there.
    meter_list = delivery_point.meters.order_by("removed_on", "-installed_on", "serial")
    return render(request, "billing/point.html", {"point": delivery_point, "meters": meter_list})


def _qr_payload(customer, settled) -> tuple[str | None, str]:
    """(ZBP 2D payload or None when the rest does not fit the code, transfer title) for what is still due."""
    title = qr.document_title(customer.number, settled.document.number)
    return qr.payment_payload(account=customer.bank_account, amount=settled.rest, title=title), title


def _qr_for(customer, settled) -> dict:
    """What the payments page shows beside an open document: the code's image, its text alternative,
    the amount and the transfer title, formatted here once rather than by filters in the row."""
    number = settled.document.number
    payload, title = _qr_payload(customer, settled)
    alt = _("Kod QR do przelewu za dokument %(number)s: kwota %(amount)s zł, tytuł %(title)s") % {
        "number": number,
        "amount": format_number(settled.rest, 2),  # as the page prints it: 1 234,50
        "title": title,
    }
    return {
        "payload": payload,
        "title": title,
        "alt": alt,
        "image_url": reverse("billing:document_qr", args=[number]),
        "heading": _("Zapłać za %(number)s") % {"number": number},
        "amount": pln(settled.rest),
    }


@require_GET
@customer_required
def document_qr(request, number: str):
    """The QR code of one open document as an SVG image, drawn only when a browser asks for it.

    Drawing every open document's code inside the payments page made that page the slowest in the
    benchmark (about 9 ms a code); as images they load beside the page and are cached privately.
    """
    settled = next((s for s in settlement_for(request.customer).documents if s.document.number == number), None)
    if settled is None or not settled.is_payable:
        raise Http404
    payload, _title = _qr_payload(request.customer, settled)
    if payload is None:
        raise Http404
    response = HttpResponse(qr.svg_document(payload), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
@customer_required
def payments(request):
    customer = request.customer
    settlement = settlement_for(customer)
    doc_years = {s.document.issue_date.year for s in settlement.documents}
    # Payments per year in one query: the years for the filter and the count for the pager.
    per_year = dict(
        Payment.objects.filter(customer=customer)
        .order_by()
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
    )
    years = sorted(doc_years | set(per_year), reverse=True)
    form = PaymentsFilterForm(request.GET or None, years=years)
    year = status = None
    if form.is_valid():
        year = form.cleaned_data["rok"]
        status = form.cleaned_data["status"] or None

    rows = list(reversed(settlement.documents))  # newest first on screen
    if year:
        rows = [s for s in rows if s.document.issue_date.year == year]
    if status:
        rows = [s for s in rows if s.status == status]
    doc_page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("strona"))
    for settled in doc_page.object_list:
        settled.qr = _qr_for(customer, settled) if settled.is_payable else None
        document = settled.document
        settled.pdf_url = reverse("billing:document_pdf", args=[document.number]) if document.pdf else ""

    payment_qs = Payment.objects.filter(customer=customer).order_by("-date", "-ext_id")
    if year:
        payment_qs = payment_qs.filter(date__year=year)
    payment_paginator = Paginator(payment_qs, PAGE_SIZE)
    payment_paginator.count = per_year.get(year, 0) if year else sum(per_year.values())  # no COUNT query
    payment_page = payment_paginator.get_page(request.GET.get("wplaty"))

    query = request.GET.copy()
    for key in ("strona", "wplaty"):
        query.pop(key, None)
    return render(
        request,
        "billing/payments.html",
        {
            "settlement": settlement,
            "form": form,
            "doc_page": doc_page,
            "payment_page": payment_page,
            "filter_query": query.urlencode(),
            "account": customer.bank_account,
            "max_qr_amount": qr.MAX_AMOUNT,
            "filtered": bool(year or status),
        },
    )


@require_GET
@customer_required
def documents(request):
    return _documents_page(request)


def _documents_page(request, zip_form: ZipPeriodForm | None = None, status: int = 200):
    """The documents list with the "Pobierz wszystkie" form: a fresh one, or the one just sent
    back with its errors and the dates typed."""
    customer = request.customer
    payable = list(Document.objects.filter(customer=customer).exclude(pdf="").order_by())
    others = list(OtherDocument.objects.filter(customer=customer).order_by())
    entries = [
        {
            "date": d.issue_date,
            "kind": d.kind,
            "kind_label": d.get_kind_display(),
            "title": d.number,
            "key": d.number,
            "payable": True,
            "gross": d.gross,
        }
        for d in payable
    ] + [
        {
            "date": o.date,
            "kind": o.kind,
            "kind_label": o.get_kind_display(),
            "title": o.title,
            "key": o.ext_id,
            "payable": False,
            "gross": None,
        }
        for o in others
    ]
    years = sorted({e["date"].year for e in entries}, reverse=True)
    form = DocumentsFilterForm(request.GET or None, years=years)
    if form.is_valid():
        if kind := form.cleaned_data["rodzaj"]:
            entries = [e for e in entries if e["kind"] == kind]
        if year := form.cleaned_data["rok"]:
            entries = [e for e in entries if e["date"].year == year]
    entries.sort(key=lambda e: (e["date"], e["title"]), reverse=True)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("strona"))
    for entry in page.object_list:  # links for the rows shown only
        pdf_view = "billing:document_pdf" if entry["payable"] else "billing:other_document_pdf"
        entry["url"] = reverse(pdf_view, args=[entry["key"]])
    query = request.GET.copy()
    query.pop("strona", None)
    if zip_form is None:
        zip_year = form.cleaned_data.get("rok") if form.is_valid() else None
        zip_form = ZipPeriodForm(initial={"rok": zip_year or (years[0] if years else None)})
    return render(
        request,
        "billing/documents.html",
        {
            "form": form,
            "page": page,
            "filter_query": query.urlencode(),
            "years": years,
            "zip_form": zip_form,
            "has_errors": bool(zip_form.errors),
        },
        status=status,
    )


def _send_pdf(request, relative: str, name: str):
    try:
        response = private_file_response(request, relative, safe_filename(name))
    except Http404:  # missing, or a path that would leave PRIVATE_ROOT
        log.error("document file missing: customer=%s name=%s path=%s", request.customer.number, name, relative)
        back = {"back_url": reverse("billing:documents"), "back_label": _("Wróć do dokumentów")}
        return render(request, "file_missing.html", {"name": name, **back}, status=404)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@customer_required
def document_pdf(request, number: str):
    document = _get_document_for_customer(request, number)
    return _send_pdf(request, document.pdf, document.number)


@require_GET
@customer_required
def other_document_pdf(request, ext_id: str):
    document = _get_other_document_for_customer(request, ext_id)
    return _send_pdf(request, document.pdf, f"{document.date:%Y-%m-%d}_{document.title}")


@require_GET
@customer_required
def documents_zip(request):
    customer = request.customer
    form = ZipPeriodForm(request.GET)
    if not form.is_valid():
        return _documents_page(request, form, status=400)
    response = period_zip(
        form,
        [customer.number],
        header=_("Dokumenty odbiorcy %(number)s z okresu %(start)s - %(end)s.\n"),
        values={"number": customer.number},
        stem=f"dokumenty_{customer.number}",
        folders=False,
    )
    return response or _documents_page(request, form)
