from decimal import Decimal

import pytest

from ebok.numbers import parse_typed_decimal


@pytest.mark.parametrize(
    "text, number",
    [
        ("4 506,900", Decimal("4506.900")),
        ("4\u00a0506,900", Decimal("4506.900")),
        ("4\u202f506.9", Decimal("4506.9")),
        ("1 234 567", Decimal("1234567")),
        ("12", Decimal("12")),
        ("0,5", Decimal("0.5")),
        ("12 34", None),
        ("1,234.5", None),
        ("1.234,5", None),
        ("-5", None),
        ("", None),
        ("abc", None),
    ],
)
def test_it_reads_digit_groups_and_either_decimal_separator(text, number):
    assert parse_typed_decimal(text) == number


def test_it_refuses_more_decimal_places_than_allowed():
    assert parse_typed_decimal("12,345", places=2) is None
    assert parse_typed_decimal("12,34", places=2) == Decimal("12.34")
