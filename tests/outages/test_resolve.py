"""Whom an interruption affects: the points named, the points of a substation, the points on a street."""

from __future__ import annotations

from outages import services
from outages.models import AffectedPoint, street_name
from tests import factories
from tests.outages.conftest import make_interruption


def _codes(interruption) -> list[str]:
    return sorted(AffectedPoint.objects.filter(interruption=interruption).values_list("point_id", flat=True))


def test_it_affects_the_points_named(alice_point, bob_point, carol):
    assert _codes(make_interruption(points=[bob_point])) == ["PO-BOB-1"]


def test_it_affects_every_point_of_the_substation_and_no_other(alice_point, bob_point, carol):
    assert _codes(make_interruption(substation="W-305")) == ["PO-ALICE-1", "PO-CAROL-1"]


def test_a_substation_written_in_another_case_is_the_same(alice_point, carol):
    assert _codes(make_interruption(substation=" w-305 ")) == ["PO-ALICE-1", "PO-CAROL-1"]


def test_it_affects_the_points_on_a_street_whatever_the_house_number_or_prefix(alice_point, bob_point, carol):
    assert _codes(make_interruption(streets=[("Mielec", "ul. Mickiewicza")])) == ["PO-ALICE-1", "PO-CAROL-1"]
    assert _codes(make_interruption(streets=[("mielec", "KOŚCIUSZKI")])) == ["PO-BOB-1"]


def test_a_street_of_another_town_or_a_longer_name_is_not_the_same(alice_point, bob):
    contract = factories.make_contract(bob.customer)
    factories.make_point(contract, "PO-RZESZOW", street="Mickiewicza 26", city="Rzeszów")
    factories.make_point(contract, "PO-LONGER", street="Mickiewicza Adama 3", city="Mielec")
    assert _codes(make_interruption(streets=[("Mielec", "Mickiewicza")])) == ["PO-ALICE-1"]


def test_the_three_ways_combine_and_a_point_counts_once(alice_point, bob_point, carol):
    interruption = make_interruption(
        points=[alice_point, bob_point], substation="W-305", streets=[("Mielec", "Mickiewicza")]
    )
    assert _codes(interruption) == ["PO-ALICE-1", "PO-BOB-1", "PO-CAROL-1"]


def test_publishing_again_follows_a_change_of_what_it_affects(alice_point, bob_point, carol):
    interruption = make_interruption(substation="W-305")
    interruption.substation = ""
    interruption.save()
    interruption.points.set([bob_point])
    assert services.publish(interruption=interruption).points == 1
    assert _codes(interruption) == ["PO-BOB-1"]


def test_the_public_street_drops_house_and_flat_numbers():
    assert street_name("Mickiewicza 26/4") == "Mickiewicza"
    assert street_name("Wojska Polskiego 3A") == "Wojska Polskiego"
    assert street_name("ul. 3 Maja 5 lok. 2") == "ul. 3 Maja"
    assert street_name("Generała Sikorskiego-Andersa 125/37A lok. 12") == "Generała Sikorskiego-Andersa"
