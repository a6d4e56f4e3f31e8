"""The public list of interruptions, and the compensation request a customer files from the point page."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from billing.models import DeliveryPoint
from billing.templatetags.ebok_format import pldate
from cases.forms import CaseForm
from cases.models import CaseType
from cases.views import open_from_form
from ebok.access import ACT, customer_required, get_for_customer_or_404
from outages import selectors
from outages.forms import PublicFilterForm


@require_GET
def public(request):
    """ "Przerwy w dostawie ciepła": current and upcoming interruptions by town and street, for
    anyone, without login. It names towns and streets only, never a customer or a house number."""
    form = PublicFilterForm(request.GET or None, towns=selectors.towns())
    city = street = ""
    if form.is_bound and form.is_valid():
        city, street = form.cleaned_data["miejscowosc"], form.cleaned_data["ulica"]
    towns = selectors.public_list(city=city, street=street)
    return render(
        request,
        "outages/public.html",
        {
            "form": form,
            "towns": towns,
            "filtered": bool(city or street),
            "has_errors": form.is_bound and not form.is_valid(),
        },
    )


def _get_point_for_customer(request, code: str) -> DeliveryPoint:
    return get_for_customer_or_404(request, DeliveryPoint, code=code)


def _prefill(item, point: DeliveryPoint) -> dict:
    interruption = item.interruption
    case_type = CaseType.objects.filter(name=settings.EBOK_OUTAGE_COMPENSATION_CASE_TYPE, is_active=True).first()
    facts = {
        "kind": interruption.get_kind_display(),
        "start": pldate(interruption.starts_at),
        "end": pldate(interruption.ended_at) if interruption.ended_at else _("trwa nadal"),
        "code": point.code,
        "address": point.address,
        "reason": item.compensation,
    }
    body = (
        _(
            "Wnoszę o bonifikatę za przerwę w dostawie ciepła do punktu odbioru %(code)s (%(address)s).\n"
            "Rodzaj przerwy: %(kind)s.\nPoczątek: %(start)s.\nKoniec: %(end)s.\n"
            "Standard jakości nie został dotrzymany: %(reason)s."
        )
        % facts
    )
    return {
        "type": case_type.pk if case_type else None,
        "subject": _("Wniosek o bonifikatę: przerwa w dostawie ciepła od %(start)s") % facts,
        "body": body,
        "delivery_point": point.pk,
    }


@never_cache
@require_http_methods(["GET", "POST"])
@customer_required(action=ACT, to_open=ACT)
def compensation(request, pk: int, code: str):
    """A compensation request (bonifikata) for an interruption beyond the quality standards: the
    new-case form, pre-filled from the interruption, filed as a case in Lista spraw."""
    point = _get_point_for_customer(request, code)
    item = selectors.compensation_for(point, pk)
    if item is None:
        raise Http404
    if request.method == "POST":
        sent = _("Wniosek o bonifikatę został wysłany. Numer sprawy: %(number)s. Potwierdzenie wysłaliśmy e-mailem.")
        form, done = open_from_form(request, sent)
        if done:
            return done
    else:
        form = CaseForm(initial=_prefill(item, point), customer=request.customer)
    return render(
        request,
        "outages/compensation.html",
        {"form": form, "item": item, "point": point, "answer_days": settings.EBOK_CASE_ANSWER_DAYS},
    )
