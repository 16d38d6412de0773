"""Shared test set-up."""

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def example_folder() -> Path:
    """The three-tenancy interchange folder of the design docs."""
    return FIXTURES / "interchange-small"
