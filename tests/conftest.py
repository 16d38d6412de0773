"""Shared test set-up."""

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def example_folder() -> Path:
    """The three-tenancy interchange folder of the design docs."""
    return FIXTURES / "interchange-small"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests sign users in often; the production hasher is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
