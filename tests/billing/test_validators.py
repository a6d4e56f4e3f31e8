"""billing.validators: the export's NIP, NRB, postal code, amount and date rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from billing.validators import (
    complete_nip,
    format_decimal,
    format_nrb,
    is_valid_nip,
    is_valid_nrb,
    is_valid_postal_code,
    nrb_check_digits,
    parse_date,
    parse_export_decimal,
)


@pytest.mark.parametrize("nip", ["1181590832", "7426565156", "8172156330"])
def test_it_accepts_a_nip_with_a_valid_checksum(nip):
    assert is_valid_nip(nip)


@pytest.mark.parametrize("nip", ["1181590833", "118159083", "11815908321", "118-159-08-32", "abcdefghij", ""])
def test_it_rejects_a_bad_nip(nip):
    assert not is_valid_nip(nip)


def test_it_completes_nine_digits_to_a_valid_nip():
    assert complete_nip("118159083") == "1181590832"


def test_it_refuses_to_complete_nine_digits_whose_checksum_would_be_ten():
    with pytest.raises(ValueError):
        complete_nip("100000016")
    assert not is_valid_nip("1000000160")


def test_it_accepts_an_nrb_with_a_valid_iban_checksum():
    assert is_valid_nrb("68102053563186091390996030")  # from a real-format example
    assert is_valid_nrb(nrb_check_digits("102053560000000000200101") + "102053560000000000200101")


@pytest.mark.parametrize(
    "nrb", ["69102053563186091390996030", "6810205356318609139099603", "PL68102053563186091390996030"]
)
def test_it_rejects_a_bad_nrb(nrb):
    assert not is_valid_nrb(nrb)


def test_it_formats_an_nrb_in_groups_of_four():
    assert format_nrb("68102053563186091390996030") == "68 1020 5356 3186 0913 9099 6030"


@pytest.mark.parametrize(("code", "ok"), [("39-300", True), ("39300", False), ("39-30", False), ("3a-300", False)])
def test_it_checks_postal_codes(code, ok):
    assert is_valid_postal_code(code) is ok


@pytest.mark.parametrize(
    ("text", "places", "value"),
    [
        ("1234,56", 2, Decimal("1234.56")),
        ("-87,10", 2, Decimal("-87.10")),
        ("0,125", 3, Decimal("0.125")),
        ("12", 2, 12),
    ],
)
def test_it_parses_decimal_commas(text, places, value):
    assert parse_export_decimal(text, places=places) == value


@pytest.mark.parametrize("text", ["1234.56", "1 234,56", "1.234,56", ",5", "12,", "--1", "1,234", "+1,00"])
def test_it_rejects_anything_else_as_an_amount(text):
    with pytest.raises(ValueError):
        parse_export_decimal(text, places=2)


def test_it_writes_amounts_back_with_a_comma():
    assert format_decimal(Decimal("-87.1")) == "-87,10"


def test_it_parses_iso_dates_only():
    assert parse_date("2026-02-28") == dt.date(2026, 2, 28)
    for bad in ("2026-02-29", "28.02.2026", "2026-2-28", "20260228"):
        with pytest.raises(ValueError):
            parse_date(bad)
