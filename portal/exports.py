"""Across all customers of a login (issue #12): the open documents as CSV and XLSX (what property
managers hand to their accountants), the documents of a period as one ZIP, the cases with a
customer column. Each customer is asked of ebok.access like any page."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font

from billing.files import period_zip, safe_filename
from billing.forms import ZipPeriodForm
from cases.models import Case
from ebok import access
from portal.selectors import customer_rows
from portal.views import customers_page

PAGE_SIZE = 25
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def viewable_grants(request) -> list:
    """The login's access rows for customers it may see (every role may), or 404 for staff."""
    user = request.user
    if user.is_staff:
        raise Http404
    return [g for g in access.grants(user).values() if access.may(user, g.customer, access.VIEW)]


def _open_document_rows(request) -> list[list]:
    rows = []
    for row in sorted(customer_rows(viewable_grants(request)), key=lambda r: r.customer.number):
        for settled in row.settlement.open_documents:
            document = settled.document
            rows.append(
                [
                    row.customer.number,
                    row.customer.name,
                    document.number,
                    document.get_kind_display(),
                    document.issue_date,
                    document.due_date,
                    document.gross,
                    settled.rest,
                    settled.status_label,
                ]
            )
    return rows


def _headers() -> list[str]:
    return [
        _("Numer odbiorcy"),
        _("Nazwa odbiorcy"),
        _("Numer dokumentu"),
        _("Rodzaj"),
        _("Data wystawienia"),
        _("Termin płatności"),
        _("Kwota brutto"),
        _("Do zapłaty"),
        _("Status"),
    ]


def _download(content, content_type: str, suffix: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = safe_filename(f"otwarte_dokumenty_{timezone.localdate():%Y%m%d}", suffix)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _csv_cell(value) -> str:
    """As Polish spreadsheets read it (decimal comma, dd.mm.yyyy); text that a spreadsheet would
    take for a formula is quoted off."""
    if hasattr(value, "strftime"):
        return f"{value:%d.%m.%Y}"
    if hasattr(value, "quantize"):
        return f"{value:.2f}".replace(".", ",")
    text = str(value)
    return "'" + text if text.startswith(CSV_FORMULA_START) else text


@require_GET
@login_required
def open_documents_csv(request):
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 only after a BOM
    writer = csv.writer(out, delimiter=";")
    writer.writerow(_headers())
    for row in _open_document_rows(request):
        writer.writerow([_csv_cell(value) for value in row])
    return _download(out.getvalue(), "text/csv; charset=utf-8", ".csv")


@require_GET
@login_required
def open_documents_xlsx(request):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Otwarte dokumenty")[:31]
    sheet.append(_headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _open_document_rows(request):
        sheet.append(row)
        cells = sheet[sheet.max_row]
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
        for cell in cells[4:6]:
            cell.number_format = "DD.MM.YYYY"
        for cell in cells[6:8]:
            cell.number_format = "#,##0.00"
    for letter, width in zip("ABCDEFGHI", (14, 40, 22, 16, 14, 14, 14, 14, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return _download(out.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")


@require_GET
@login_required
def documents_zip(request):
    """The documents of a period of every customer, one folder per customer number."""
    numbers = [g.customer_id for g in viewable_grants(request)]
    form = ZipPeriodForm(request.GET)
    if not form.is_valid():
        return customers_page(request, zip_form=form, status=400)
    response = period_zip(
        form,
        numbers,
        header=_("Dokumenty odbiorców %(numbers)s z okresu %(start)s - %(end)s.\n"),
        values={"numbers": ", ".join(sorted(numbers))},
        stem="dokumenty_odbiorcow",
        folders=True,
    )
    return response or customers_page(request, zip_form=form)


@require_GET
@login_required
def cases(request):
    """Every customer's cases, newest first, with a customer column."""
    grants = {g.customer_id: g for g in viewable_grants(request)}
    unread = Count("messages", filter=Q(messages__from_staff=True, messages__read_at__isnull=True))
    qs = (
        Case.objects.filter(customer_id__in=list(grants))
        .select_related("type", "customer")
        .annotate(unread=unread)
        .order_by("-created_at", "-pk")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("strona"))
    base = access.reverse_without_customer("home")
    for case in page:
        case.url = access.customer_prefix(case.customer_id, base) + access.reverse_without_customer(
            "cases:detail", case.pk
        ).lstrip("/")
    return render(request, "portal/cases.html", {"page": page})
