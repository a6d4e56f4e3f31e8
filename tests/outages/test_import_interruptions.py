"""manage.py import_interruptions: a documented CSV, all rows or none, bad rows with line and reason."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from ebok.models import OutboundEmail
from outages.models import AffectedPoint, Interruption

HEADER = "identyfikator;rodzaj;poczatek;przewidywany_koniec;koniec;wezel;punkty;ulice;opis\n"
GOOD = HEADER + (
    "A-1;awaria;2026-11-24 08:00;2026-11-24 20:00;;W-305;;;Awaria w węźle\n"
    'P-1;planowana;2026-12-10 07:00;2026-12-11 15:00;;;PO-BOB-1;Mielec: Mickiewicza;"Przegląd; sieć"\n'
)


@pytest.fixture
def csv_file(tmp_path):
    def write(text: str):
        path = tmp_path / "przerwy.csv"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def _run(path, *args):
    call_command("import_interruptions", str(path), *args, verbosity=0)


def test_it_imports_the_rows_and_resolves_and_notifies(today, csv_file, alice_point, carol, bob_point):
    _run(csv_file(GOOD))
    assert Interruption.objects.count() == 2
    assert sorted(AffectedPoint.objects.filter(interruption__ref="A-1").values_list("point_id", flat=True)) == [
        "PO-ALICE-1",
        "PO-CAROL-1",
    ]
    planned = Interruption.objects.get(ref="P-1")
    assert planned.description == "Przegląd; sieć"
    assert sorted(AffectedPoint.objects.filter(interruption=planned).values_list("point_id", flat=True)) == [
        "PO-ALICE-1",
        "PO-BOB-1",
        "PO-CAROL-1",
    ]
    assert OutboundEmail.objects.count() == 5  # alice, carol: two each; bob: one


def test_importing_the_same_file_twice_changes_nothing_and_emails_nobody_again(today, csv_file, alice_point, carol):
    path = csv_file(GOOD.replace("PO-BOB-1", ""))
    _run(path)
    sent = OutboundEmail.objects.count()
    _run(path)
    assert Interruption.objects.count() == 2 and OutboundEmail.objects.count() == sent


def test_a_new_expected_end_in_the_file_is_one_email_each(today, csv_file, alice_point, carol):
    _run(csv_file(HEADER + "A-1;awaria;2026-11-24 08:00;2026-11-24 20:00;;W-305;;;Awaria\n"))
    _run(csv_file(HEADER + "A-1;awaria;2026-11-24 08:00;2026-11-24 23:00;;W-305;;;Awaria\n"))
    assert OutboundEmail.objects.filter(template="outages-end-changed").count() == 2


def test_bad_rows_are_reported_with_line_and_reason_and_nothing_is_imported(today, csv_file, alice_point, capsys):
    text = HEADER + (
        "A-1;awaria;2026-11-24 08:00;2026-11-24 20:00;;W-305;;;Dobry wiersz\n"
        "A-2;remont;2026-11-24 08:00;2026-11-24 20:00;;W-305;;;Zły rodzaj\n"
        "A-3;awaria;24/11/2026;2026-11-24 20:00;;W-305;;;Zła data\n"
        "A-4;awaria;2026-11-24 20:00;2026-11-24 08:00;;W-305;;;Koniec przed początkiem\n"
        "A-5;awaria;2026-11-24 08:00;2026-11-24 20:00;;;PO-NIE-MA;;Nieznany punkt\n"
        "A-6;awaria;2026-11-24 08:00;2026-11-24 20:00;;;;;Niczego nie dotyczy\n"
        "A-1;awaria;2026-11-24 08:00;2026-11-24 20:00;;W-305;;;Powtórzony\n"
        "A-8;awaria;2026-11-24 08:00;2026-11-24 20:00;;;;Mickiewicza;Ulica bez miasta\n"
    )
    with pytest.raises(CommandError, match="Nie zaimportowano niczego"):
        _run(csv_file(text))
    errors = capsys.readouterr().err
    for expected in (
        "wiersz 3: rodzaj: „remont”",
        "wiersz 4: poczatek: „24/11/2026” nie jest datą",
        "wiersz 5: expected_end_at: Przewidywany koniec musi być późniejszy niż początek.",
        "wiersz 6: nie ma punktów odbioru: PO-NIE-MA",
        "wiersz 7: przerwa nie dotyczy niczego",
        "wiersz 8: identyfikator A-1 był już w wierszu 2",
        "wiersz 9: ulice: „Mickiewicza” nie ma postaci Miejscowość: ulica",
    ):
        assert expected in errors, expected
    assert "wiersz 2" not in errors
    assert not Interruption.objects.exists() and not OutboundEmail.objects.exists()


def test_a_file_without_the_columns_is_refused(csv_file):
    with pytest.raises(CommandError):
        _run(csv_file("id;start\n1;2026-11-24\n"))


def test_a_dry_run_saves_nothing(today, csv_file, alice_point):
    _run(csv_file(GOOD.replace("PO-BOB-1", "")), "--dry-run")
    assert not Interruption.objects.exists() and not OutboundEmail.objects.exists()


def test_the_import_costs_the_same_queries_whatever_the_number_of_points(today, csv_file, alice_point, carol):
    from tests import factories
    from tests.queries import queries_of

    row = "{ref};awaria;2026-11-24 08:00;2026-11-24 20:00;;{substation};;;Awaria\n"
    few = queries_of(lambda: _run(csv_file(HEADER + row.format(ref="F-1", substation="W-305"))))
    for _ in range(15):
        customer = factories.make_customer()
        factories.make_user(customer)
        factories.make_point(factories.make_contract(customer), substation="W-999")
    many = queries_of(lambda: _run(csv_file(HEADER + row.format(ref="M-1", substation="W-999"))))
    assert many == few, (few, many)
