"""The customer's side of cases: new case, the lists, one case with its thread, search, attachments."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cases import panels, selectors, services
from cases.forms import CaseForm, ReplyForm, SearchForm
from cases.models import Attachment, Case, Message
from ebok.access import ACT, customer_required, get_for_customer_or_404
from ebok.files import private_file_response, typed_filename, visible_filename

PER_PAGE = 20
log = logging.getLogger(__name__)


def _get_case_for_customer(request, pk: int) -> Case:
    return get_for_customer_or_404(request, Case.objects.select_related("type", "delivery_point", "refers_to"), pk=pk)


def _page(request, qs):
    return Paginator(qs, PER_PAGE).get_page(request.GET.get("strona"))


@require_GET
@customer_required
def case_list(request):
    """Lista wysłanych spraw: the seed's table, newest first."""
    page = _page(request, selectors.cases_for(request.customer))
    return render(request, "cases/list.html", {"page": page})


def open_from_form(request, sent: str) -> tuple[CaseForm, HttpResponse | None]:
    """The posted new-case form (here and the outages' compensation request): the case opened, the
    message ``sent`` (with its %(number)s) shown and a redirect to it; or the form with its errors."""
    form = CaseForm(request.POST, request.FILES, customer=request.customer)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    case = services.case_open(
        customer=request.customer,
        author=request.user,
        type=data["type"],
        subject=data["subject"],
        body=data["body"],
        delivery_point=data.get("delivery_point"),
        refers_to=data.get("refers_to"),
        files=data["attachments"],
    )
    messages.success(request, sent % {"number": case.number})
    return form, redirect("cases:detail", pk=case.pk)


@never_cache
@require_http_methods(["GET", "POST"])
@customer_required(action=ACT)
def case_new(request):
    refers_to = None
    if request.method == "POST":
        sent = _("Sprawa została wysłana. Numer sprawy: %(number)s. Potwierdzenie wysłaliśmy e-mailem.")
        form, done = open_from_form(request, sent)
        if done:
            return done
        refers_to = form.cleaned_data.get("refers_to")
    else:
        initial = {}
        if request.GET.get("dotyczy", "").isdigit():
            # A follow-up to a closed case: only the customer's own case can be referred to.
            refers_to = _get_case_for_customer(request, int(request.GET["dotyczy"]))
            initial = {
                "refers_to": refers_to,
                "type": refers_to.type_id,
                "subject": _("Dotyczy sprawy %(number)s: %(subject)s")
                % {"number": refers_to.number, "subject": refers_to.subject},
                "delivery_point": refers_to.delivery_point_id,
            }
        form = CaseForm(initial=initial, customer=request.customer)
    context = {
        "form": form,
        "refers_to": refers_to,
        "emergency_phone": settings.EBOK_UTILITY_EMERGENCY_PHONE,
        "answer_days": settings.EBOK_CASE_ANSWER_DAYS,
    }
    return render(request, "cases/new.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@customer_required(action=ACT)
def case_detail(request, pk: int):
    """The thread; opening it marks staff messages read. A reply form while the case is open."""
    case = _get_case_for_customer(request, pk)
    form = None
    if not case.is_closed:
        form = ReplyForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            services.customer_reply(
                case=case, author=request.user, body=form.cleaned_data["body"], files=form.cleaned_data["attachments"]
            )
            messages.success(request, _("Wiadomość została wysłana."))
            return redirect("cases:detail", pk=case.pk)
    elif request.method == "POST":
        messages.error(request, _("Sprawa jest zakończona i nie przyjmuje odpowiedzi. Możesz założyć nową sprawę."))
        return redirect("cases:detail", pk=case.pk)
    thread = list(case.messages.prefetch_related("attachments"))
    new_ids = services.mark_read(thread)
    context = {"case": case, "thread": thread, "new_ids": new_ids, "form": form, "panels": panels.for_case(case)}
    return render(request, "cases/detail.html", context)


@require_GET
@customer_required
def message_list(request):
    """Lista wysłanych wiadomości: every message of the customer's cases, theirs and the utility's
    replies, the unread replies marked, so the page and the tab's unread badge agree."""
    qs = (
        Message.objects.filter(case__customer=request.customer)
        .select_related("case")
        .annotate(attachment_count=Count("attachments"))
        .order_by("-created_at", "-pk")
    )
    context = {"page": _page(request, qs), "unread": selectors.unread_count(request)}
    return render(request, "cases/messages.html", context)


@require_GET
@customer_required
def case_search(request):
    """Wyszukiwanie zaawansowane: the list narrowed by status, type, dates, point and words."""
    form = SearchForm(request.GET or None, customer=request.customer)
    page = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        qs = selectors.search(
            selectors.cases_for(request.customer),
            words=data["q"],
            status=data["status"],
            type=data["type"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            delivery_point=data["delivery_point"],
        )
        page = _page(request, qs)
    query = request.GET.copy()
    query.pop("strona", None)
    return render(request, "cases/search.html", {"form": form, "page": page, "query": query.urlencode()})


@require_GET
@customer_required
def attachment_download(request, pk: int):
    attachment = get_for_customer_or_404(
        request, Attachment.objects.select_related("message__case"), customer_field="message__case__customer", pk=pk
    )
    response = attachment_response(request, attachment)
    if response is None:
        back_url = reverse("cases:detail", args=[attachment.message.case_id])
        back = {"back_url": back_url, "back_label": _("Wróć do sprawy")}
        return render(request, "file_missing.html", {"name": attachment.filename, **back}, status=404)
    return response


def attachment_response(request, attachment: Attachment) -> HttpResponse | None:
    """The file as a download with a safe name, or None (logged) if it is missing; shared with the admin."""
    try:
        name = typed_filename(visible_filename(attachment.filename), attachment.content_type)
        response = private_file_response(request, attachment.path, name)
    except Http404:
        log.error("case attachment file missing: attachment=%s path=%s", attachment.pk, attachment.path)
        return None
    response["Content-Type"] = attachment.content_type  # checked against the file's bytes on upload
    response["Cache-Control"] = "private, no-store"
    return response
