"""The request's panel on its case page (registered with cases.panels in HeatConfig.ready)."""

from __future__ import annotations

from cases.models import Case
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
