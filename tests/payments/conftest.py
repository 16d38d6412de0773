"""Shared set-up for the payments tests: the example landlord and the documented samples."""

from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "payments"


@pytest.fixture
def landlord(db, example_folder):
    """The three-tenancy example landlord (payment refs PAY000001..3, UC claim UC-77)."""
    from openincome.interchange import import_folder

    import_folder(example_folder, actor="test")


@pytest.fixture
def bank_mapping(db):
    """The column mapping of docs/payments/bank-csv-sample.csv, saved once."""
    from openincome.payments.actions import save_bank_mapping

    return save_bank_mapping("main-account", "test", date_column="Date",
                             date_format="%d/%m/%Y", amount_column="Amount",
                             reference_column="Reference", description_column="Description")


def write(tmp_path: Path, name: str, text: str) -> Path:
    """A file of this name and text in the test's folder."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
