"""Panels other apps add to the case page, so cases never imports the apps built on it.

A panel is a function of the case returning ``None`` (nothing to show) or a dict with the key
``template`` (rendered with the dict as ``panel``). Apps register theirs in ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable

from cases.models import Case

Panel = Callable[[Case], dict | None]
_panels: list[Panel] = []


def register(panel: Panel) -> Panel:
    if panel not in _panels:
        _panels.append(panel)
    return panel


def for_case(case: Case) -> list[dict]:
    return [shown for panel in _panels if (shown := panel(case)) is not None]
