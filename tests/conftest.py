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


def pytest_sessionstart(session):
    """With OPENINCOME_DATABASE_ROLE set on PostgreSQL (as CI does), create that role first:
    every connection of the suite and of the servers it starts switches to it."""
    import os

    url, role = os.environ.get("OPENINCOME_DATABASE_URL", ""), os.environ.get(
        "OPENINCOME_DATABASE_ROLE", "")
    if url.startswith("postgres") and role:
        import psycopg

        from openincome.ledger.dbrole import create_role_sql

        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(create_role_sql(role))


@pytest.fixture(scope="session")
def scratch_template(tmp_path_factory):
    """A migrated, loaded database the concurrency tests copy (see tests/scratch.py)."""
    from tests.scratch import make_template

    template = make_template(tmp_path_factory.mktemp("scratch-template"))
    yield template
    template[2]()


@pytest.fixture
def scratch(scratch_template, tmp_path):
    """A database of this test's own, for real processes run at once (tests/scratch.py)."""
    from tests.scratch import scratch_copy

    with scratch_copy(scratch_template, tmp_path) as db:
        yield db
