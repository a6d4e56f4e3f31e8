"""``{% onlinepay_state settlement as online %}`` for the billing and start pages' small includes.

The pages stay billing's and portal's; this tag adds what online payments know about the settlement
they already hold (one query, none when no gateway is configured)."""

from django import template

from onlinepay.selectors import online_state

register = template.Library()


@register.simple_tag(takes_context=True)
def onlinepay_state(context, settlement):
    request = context["request"]
    return online_state(request.customer.pk, settlement)


@register.filter
def online_note(state, number):
    return state.note_for(number) if state else None


@register.filter
def online_payable(state, number):
    return bool(state) and state.enabled and state.is_payable(number)
