"""The customer's online payment: choose documents, go to the gateway, come back to plain words."""

from __future__ import annotations

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from payments import PaymentStatus, RedirectNeeded

from ebok.access import ACT, customer_required, get_for_customer_or_404
from ebok.audit import client_ip
from onlinepay import services
from onlinepay.forms import PayForm
from onlinepay.models import OnlinePayment
from onlinepay.variants import DUMMY, PAYU, active_variant, provider_factory

DEMO_OUTCOMES = {
    "confirmed": PaymentStatus.CONFIRMED,
    "rejected": PaymentStatus.REJECTED,
    "cancelled": PaymentStatus.CANCELLED,
}


def _get_payment_for_customer(request, reference: str) -> OnlinePayment:
    return get_for_customer_or_404(request, OnlinePayment.objects.prefetch_related("lines"), reference=reference)


def _allow_gateway_form(response, variant: str | None):
    """The pay form leads to PayU's page: the CSP's form-action must allow that one origin."""
    if variant == PAYU:
        origin = provider_factory(PAYU).origin
        # django-csp's public decorator, applied to this one response (the origin is a setting
        # read at run time, so it cannot be written on the view at import).
        return csp_update({"form-action": [origin]})(lambda: response)()
    return response


@require_http_methods(["GET", "POST"])
@customer_required(action=ACT, to_open=ACT)
def pay(request):
    variant = active_variant()
    if variant is None:
        raise Http404
    customer = request.customer
    data = request.POST if request.method == "POST" else request.GET
    asked = data.getlist("dokument")
    chosen, settlement, state = services.choose_documents(customer=customer, numbers=None)
    known = settlement.by_number()
    if any(number not in known for number in asked):
        raise Http404  # not this customer's document: as if it did not exist
    if request.method == "POST":
        form = PayForm(request.POST, payable=state.payable)
        started, status = None, 400
        if form.is_valid():
            try:
                started = services.start_payment(
                    customer=customer,
                    user=request.user,
                    numbers=form.cleaned_data["dokument"],
                    ip=client_ip(request),
                    language=get_language() or "pl",
                )
            except services.PaymentInProgress as busy:
                status = 409
                form.add_error(
                    None,
                    _(
                        "Płatność %(reference)s za %(numbers)s jest już rozpoczęta. Dokończ ją na stronie bramki "
                        "albo poczekaj, aż się zakończy (najdłużej %(minutes)s min), i spróbuj ponownie."
                    )
                    % {
                        "reference": busy.payment.reference,
                        "numbers": ", ".join(busy.numbers),
                        "minutes": settings.EBOK_ONLINEPAY_OPEN_MINUTES,
                    },
                )
            except services.NothingToPay:
                status = 409
                form.add_error(None, _("Żaden z wybranych dokumentów nie czeka już na zapłatę."))
        if started is not None:
            if started.redirect_url:
                return redirect(started.redirect_url)
            if started.redirect_url == "":
                return redirect("onlinepay:demo", started.payment.reference)
            form.add_error(
                None,
                _(
                    "Nie udało się połączyć z bramką płatności. Nic nie zostało pobrane. Spróbuj ponownie za "
                    "kilka minut albo zapłać przelewem (dane do przelewu są w „Płatności”)."
                ),
            )
            status = 503
    else:
        initial = asked or [s.document.number for s in state.payable]
        form = PayForm(initial={"dokument": initial}, payable=state.payable)
        status = 200
    response = render(
        request,
        "onlinepay/pay.html",
        {
            "form": form,
            "state": state,
            "settlement": settlement,
            "not_payable": [n for n in dict.fromkeys(asked) if not state.is_payable(n)],
        },
        status=status,
    )
    return _allow_gateway_form(response, variant)


@require_http_methods(["GET"])
@customer_required
def payment_return(request, reference: str):
    payment = _get_payment_for_customer(request, reference)
    if not payment.is_final:
        services.refresh(payment, source="return")  # the notification may be late, or lost
    failed_at_gateway = bool(request.GET.get("error")) and not payment.is_final
    return render(
        request,
        "onlinepay/return.html",
        {"payment": payment, "lines": list(payment.lines.all()), "failed_at_gateway": failed_at_gateway},
    )


@require_http_methods(["GET", "POST"])
@customer_required(action=ACT, to_open=ACT)
def demo_gateway(request, reference: str):
    """`make run`'s stand-in for the gateway's page (django-payments' dummy provider)."""
    payment = _get_payment_for_customer(request, reference)
    if payment.variant != DUMMY or active_variant() != DUMMY:
        raise Http404
    if payment.is_final:
        return redirect("onlinepay:return", payment.reference)
    if request.method == "POST" and request.POST.get("wynik") in DEMO_OUTCOMES:
        data = {
            "status": DEMO_OUTCOMES[request.POST["wynik"]],
            "fraud_status": "accept",
            "gateway_response": "3ds-disabled",
        }
        try:
            provider_factory(DUMMY, payment).get_form(payment, data=data)
        except RedirectNeeded:  # the dummy provider's way of saying "done": to its success or failure URL
            return redirect("onlinepay:return", payment.reference)
        return redirect("onlinepay:return", payment.reference)
    if request.method == "POST":
        messages.error(request, _("Wybierz, jak ma się zakończyć płatność demonstracyjna."))
    return render(request, "onlinepay/demo.html", {"payment": payment, "lines": list(payment.lines.all())})
