"""Objects of other apps that set a case's status, so cases never imports the apps built on it.

A heat request moves its case's status with its own (``heat.services``); a status changed on the
case alone would leave the request behind. The case admin therefore shows such a status read-only,
with a link to the owner's admin page. An owner is a function of the case returning ``None`` (the
status is the case's own) or a :class:`StatusOwner`. Apps register theirs in ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cases.models import Case


@dataclass(frozen=True)
class StatusOwner:
    label: str  # the link's text, naming the object
    url: str  # its admin page, where the status is changed
    help_text: str


Owner = Callable[[Case], StatusOwner | None]
_owners: list[Owner] = []


def register(owner: Owner) -> Owner:
    if owner not in _owners:
        _owners.append(owner)
    return owner


def status_owner(case: Case) -> StatusOwner | None:
    return next((found for owner in _owners if (found := owner(case)) is not None), None)
