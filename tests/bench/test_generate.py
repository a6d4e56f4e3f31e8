"""bench/generate.py: the benchmark's export is valid, so the benchmark measures a clean import."""

from bench.generate import generate, history_months, sample_indexes
from bench.run import TABLES, prepare_copy_files
from billing.models import Customer, Document, Payment
from exchange.importer import import_folder
from meters.models import Reading


def test_the_generated_export_imports_without_a_bad_row(db, tmp_path):
    counts = generate(tmp_path / "export", 15)
    result = import_folder(tmp_path / "export")
    assert result.ok, result.errors[:5]
    assert Customer.objects.count() == 15
    assert Document.objects.count() == counts["faktury.csv"] == sum(history_months(i) for i in range(15))
    assert Payment.objects.count() == counts["wplaty.csv"]
    assert Reading.objects.count() == counts["odczyty.csv"]
    assert Document.objects.filter(kind="korekta", corrects__isnull=False).exists()


def test_the_same_scale_gives_the_same_files(tmp_path):
    generate(tmp_path / "a", 4)
    generate(tmp_path / "b", 4)
    assert (tmp_path / "a" / "faktury.csv").read_bytes() == (tmp_path / "b" / "faktury.csv").read_bytes()


def test_the_copy_files_hold_the_same_rows_with_decimal_points(tmp_path):
    counts = generate(tmp_path / "export", 6)
    prepare_copy_files(tmp_path / "export", tmp_path / "copy")
    for table, filename in TABLES:
        lines = (tmp_path / "copy" / f"{table}.tsv").read_text().splitlines()
        assert len(lines) - 1 == counts[filename], table
    payment = (tmp_path / "copy" / "billing_payment.tsv").read_text().splitlines()[1].split("\t")
    assert "." in payment[3] and "," not in payment[3]


def test_the_sampled_customers_are_distinct_and_have_cases():
    sample = sample_indexes(10_000, 300)
    assert len(set(sample)) == 300
    assert all(i % 3 == 0 and i < 10_000 for i in sample)
