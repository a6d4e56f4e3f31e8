"""What a request adds to its case (registered in HeatConfig.ready): its panel on the case page
(cases.panels), and in the case admin the request as the owner of the case's status (cases.owners)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from cases.models import Case
from cases.owners import StatusOwner
from heat import details
from heat.models import HeatRequest


def request_panel(case: Case) -> dict | None:
    req = (
        HeatRequest.objects.filter(case=case)
        .select_related("document")
        .prefetch_related("delivery_points", "changes")
        .first()
    )
    if req is None:
        return None
    return {"template": "heat/_panel.html", "req": req, "rows": details.rows(req), "due": details.due_text(req)}


def request_status_owner(case: Case) -> StatusOwner | None:
    """The case's request: heat.services moves both statuses together, so it is changed there."""
    try:
        req = case.heat_request  # the case keeps the answer, "none" too: one query per page
    except HeatRequest.DoesNotExist:
        return None
    return StatusOwner(
        label=_("Dyspozycja „%(kind)s”: %(status)s")
        % {"kind": req.get_kind_display(), "status": req.get_status_display()},
        url=reverse("admin:heat_heatrequest_change", args=[req.pk]),
        help_text=_("Status sprawy idzie za statusem dyspozycji: zmień go na jej stronie."),
    )
