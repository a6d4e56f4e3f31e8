"""The customer's side of requests: the list of kinds with their deadlines and the customer's
requests, and one typed form per kind. A filed request is a case: its page is the case page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from billing.models import DeliveryPoint
from ebok.access import ACT, customer_required
from heat import details, services
from heat.forms import FORMS, PowerForm
from heat.models import DeadlineRule, HeatRequest, Kind

PER_PAGE = 20

DESCRIPTIONS = {
    Kind.HEATING_START: gettext_lazy(
        "Włączenie centralnego ogrzewania w wybranych punktach od wskazanej daty i godziny."
    ),
    Kind.HEATING_STOP: gettext_lazy(
        "Wyłączenie centralnego ogrzewania w wybranych punktach od wskazanej daty i godziny."
    ),
    Kind.CONTROLLER: gettext_lazy("Temperatura zewnętrzna włączenia ogrzewania, obniżenia nocne i weekendowe."),
    Kind.POWER: gettext_lazy("Nowa moc zamówiona punktu odbioru, od terminu, na który pozwala umowa."),
    Kind.REFILL: gettext_lazy("Napełnienie instalacji w budynku wodą z sieci po pracach lub wycieku."),
    Kind.INTERRUPTION: gettext_lazy("Wyłączenie dostawy ciepła na czas prac w budynku."),
    Kind.COMPLAINT: gettext_lazy("Zastrzeżenia do faktury, korekty, rozliczenia lub noty."),
}


def _promise_text(rule: DeadlineRule) -> str:
    unit = (_("%(count)s godz.") if rule.unit == DeadlineRule.Unit.HOURS else _("%(count)s dni")) % {
        "count": rule.amount
    }
    if rule.counted_from == DeadlineRule.CountedFrom.REQUESTED:
        when = _("w ciągu %(time)s od wskazanego terminu") % {"time": unit}
    else:
        when = _("w ciągu %(time)s od złożenia") % {"time": unit}
    if rule.promise == DeadlineRule.Promise.ANSWER:
        return _("Odpowiedź %(when)s.") % {"when": when}
    return _("Realizacja %(when)s.") % {"when": when}


@require_GET
@customer_required
def request_list(request):
    """Dyspozycje i wnioski: what can be requested (with the utility's deadlines) and what was."""
    rules = {rule.kind: rule for rule in DeadlineRule.objects.all()}
    kinds = [
        {"kind": kind, "label": kind.label, "description": DESCRIPTIONS[kind], "promise": _promise_text(rules[kind])}
        for kind in Kind
        if kind in rules
    ]
    qs = HeatRequest.objects.filter(customer=request.customer).select_related("case").order_by("-filed_at", "-pk")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("strona"))
    for req in page.object_list:
        req.due_label = details.due_text(req)
    # From a point's page (?punkt=code): each form opens with that point chosen. Only the customer's own.
    code = request.GET.get("punkt", "")
    point = DeliveryPoint.objects.filter(customer=request.customer, code=code).first() if code else None
    point_query = "?" + urlencode({"punkt": point.code}) if point else ""
    return render(request, "heat/list.html", {"kinds": kinds, "page": page, "point": point, "point_query": point_query})


@never_cache
@require_http_methods(["GET", "POST"])
@customer_required(action=ACT, to_open=ACT)
def request_new(request, kind: str):
    if kind not in FORMS:
        raise Http404
    form_class = FORMS[kind]
    # An empty POST (nothing ticked, nothing typed) is still a submit to validate.
    posted = request.method == "POST"
    form = form_class(request.POST if posted else None, request.FILES if posted else None, customer=request.customer)
    if posted and form.is_valid():
        req = services.request_file(customer=request.customer, author=request.user, **form.filing())
        messages.success(
            request,
            _("Dyspozycja została złożona. Numer sprawy: %(number)s, %(due)s. Potwierdzenie wysłaliśmy e-mailem.")
            % {"number": req.case.number, "due": details.due_text(req)},
        )
        return redirect("cases:detail", pk=req.case_id)
    points_name = "points" if "points" in form.fields else "point" if "point" in form.fields else None
    points_field = form.fields[points_name] if points_name else None
    no_points = points_field is not None and not points_field.queryset.exists()
    chosen = request.GET.get("punkt", "")
    if not posted and chosen and points_field is not None and points_field.queryset.filter(pk=chosen).exists():
        form.initial[points_name] = [chosen] if points_name == "points" else chosen
    context = {
        "form": form,
        "kind": Kind(kind),
        "description": DESCRIPTIONS[Kind(kind)],
        "promise": _promise_text(DeadlineRule.objects.get(kind=kind)),
        "no_points": no_points,
        "heating_only": kind in (Kind.HEATING_START, Kind.HEATING_STOP, Kind.CONTROLLER, Kind.REFILL),
        "power_points": form.fields["point"].queryset if isinstance(form, PowerForm) else None,
        "no_documents": kind == Kind.COMPLAINT and not form.fields["document"].queryset.exists(),
    }
    return render(request, "heat/new.html", context)
