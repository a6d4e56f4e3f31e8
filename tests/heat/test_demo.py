"""The demo's requests (`make run`) and the default deadline rules every fresh database has."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from heat import demo
from heat.models import DeadlineRule, HeatRequest, Kind, PowerChangeRule


def test_the_default_deadlines_and_power_rule_are_there_after_migrate(db):
    rules = {r.kind: (r.amount, r.unit, r.promise) for r in DeadlineRule.objects.all()}
    assert set(rules) == set(Kind.values)
    assert rules[Kind.HEATING_START] == (8, "godziny", "realizacja")
    assert rules[Kind.COMPLAINT] == (14, "dni", "odpowiedz")
    active = PowerChangeRule.active()
    assert (active.deadline_day, active.deadline_month, active.effective_day, active.effective_month) == (30, 6, 1, 10)


@pytest.mark.django_db
def test_load_demo_files_a_heating_start_and_a_complaint_once(capsys):
    call_command("load_demo", reference_date=dt.date(2026, 11, 24), verbosity=0)
    kinds = sorted(HeatRequest.objects.values_list("customer_id", "kind", "status"))
    assert kinds == [("200201", "reklamacja", "zlozony"), ("200401", "wlaczenie-co", "przyjety")]
    start = HeatRequest.objects.get(kind=Kind.HEATING_START)
    assert start.delivery_points.count() == 2
    assert start.case.messages.count() == 1
    assert demo.seed() == 0
    assert HeatRequest.objects.count() == 2
