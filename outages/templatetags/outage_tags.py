"""``{% point_interruptions point %}``: the interruptions box of the point page.

The point page belongs to billing, which imports no app above it; the page asks for this box by
name instead, and outages (above billing) fills it.
"""

from django import template

from outages import selectors

register = template.Library()


@register.inclusion_tag("outages/_point.html", takes_context=True)
def point_interruptions(context, point):
    request = context["request"]
    access = getattr(request, "access", None)
    return {"items": selectors.for_point(point), "point": point, "may_act": bool(access and access.act)}
