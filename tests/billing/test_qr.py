"""The ZBP "Standard 2D" transfer payload.

These cases are built from the recommendation's stated rules (field order, separators,
lengths, amount in grosze on six digits, at most 160 characters, error correction L), not
copied from a published example: we could not verify the published example's exact text.
"""

from decimal import Decimal

import pytest
import segno

from billing import qr
from billing.validators import format_nrb

ACCOUNT = "12102053560000000000100001"


def build(amount="123.45", title="FV/2026/10/000123 100001", name="MPEC"):
    return qr.transfer_payload(nip="8170004770", account=ACCOUNT, amount=Decimal(amount), name=name, title=title)


def test_the_payload_has_nine_fields_in_the_recommended_order():
    assert build() == f"8170004770|PL|{ACCOUNT}|012345|MPEC|FV/2026/10/000123 100001|||"


def test_the_amount_is_in_grosze_zero_padded_to_six_digits():
    assert build("0.05").split("|")[3] == "000005"
    assert build("9999.99").split("|")[3] == "999999"


def test_amounts_of_ten_thousand_zloty_and_more_get_no_payload():
    assert build("10000.00") is None
    assert build("12345.67") is None


def test_zero_or_negative_amounts_get_no_payload():
    assert build("0") is None
    assert build("-5") is None


def test_name_and_title_are_cut_to_twenty_and_thirty_two_characters_and_lose_separators():
    payload = build(title="A|" + "x" * 50, name="Miejskie Przedsiębiorstwo Energetyki")
    fields = payload.split("|")
    assert len(fields) == 9
    assert fields[4] == "Miejskie Przedsiębio"
    assert len(fields[5]) == 32 and fields[5].startswith("A x")


def test_the_longest_payload_stays_within_160_characters():
    assert len(build(title="x" * 100, name="y" * 100)) <= qr.MAX_PAYLOAD


def test_a_malformed_account_is_refused():
    with pytest.raises(ValueError):
        qr.transfer_payload(nip="8170004770", account="123", amount=Decimal(1), name="MPEC", title="t")


def test_the_document_title_starts_with_the_document_number():
    assert qr.document_title("100001", "FV/2026/10/000123") == "FV/2026/10/000123 100001"


def test_the_svg_file_is_a_level_l_qr_code_without_inline_styles():
    payload = build()
    svg = qr.svg_document(payload).decode()
    assert svg.startswith("<?xml") and "<svg" in svg
    assert "style=" not in svg
    code = qr.make_qr(payload)
    assert code.error == "L" and not code.is_micro


def test_the_png_for_e_mails_is_a_png():
    assert qr.png_bytes(build()).startswith(b"\x89PNG")


def test_the_account_is_printed_in_groups():
    assert format_nrb(ACCOUNT) == "12 1020 5356 0000 0000 0010 0001"


def test_segno_encodes_the_payload_losslessly():
    # Decoding needs a reader we do not ship; instead check segno chose byte mode for UTF-8 data.
    code = segno.make(build(name="Łódź"), error="L", micro=False)
    assert code.mode == "byte"


# The recommendation's own examples ("Rekomendacja ZBP … Standard 2D", 2013-12-03, section with
# "2D dla Odbiorcy typ 1/typ 2"), as quoted verbatim in the test suites of open implementations.
@pytest.mark.parametrize(
    "nip, title, expected",
    [
        (
            "1234567890",
            "FV 1234/34/2012",
            "1234567890|PL|92124012340001567890123456|001200|Odbiorca 1|FV 1234/34/2012|||",
        ),
        ("", "Przelew ekspress", "|PL|92124012340001567890123456|001200|Odbiorca 1|Przelew ekspress|||"),
    ],
)
def test_the_payload_matches_the_recommendations_published_examples(nip, title, expected):
    payload = qr.transfer_payload(
        nip=nip, account="92124012340001567890123456", amount=Decimal("12.00"), name="Odbiorca 1", title=title
    )
    assert payload == expected


def test_a_code_already_drawn_is_taken_from_the_cache_unchanged():
    payload = build("321.00", title="FV/2026/10/CACHE 100001")
    first = qr.svg_document(payload)
    hits = qr.svg_document.cache_info().hits
    assert qr.svg_document(payload) == first
    assert qr.svg_document.cache_info().hits == hits + 1
    assert qr.svg_document(build("321.01", title="FV/2026/10/CACHE 100001")) != first
