"""Legal tests: the example landlord (EX-0001 secure, EX-0002 assured, EX-0003 a garage let
that ended 27 Feb 2026; weekly rent from Mondays) and users of the roles."""

import datetime

import pytest

from openincome.staff.actions import add_user

AS_OF = datetime.date(2026, 11, 23)


@pytest.fixture
def landlord(db, example_folder):
    """The three-tenancy example folder, imported through the real importer."""
    from openincome.interchange import import_folder

    import_folder(example_folder, actor="test")


@pytest.fixture
def officer(landlord):
    """An income officer working patch EAST."""
    return add_user("officer1", "officer", "legal-test-password", ["EAST"], actor="test")


@pytest.fixture
def finance(landlord):
    """A finance user (may not serve notices)."""
    return add_user("finance1", "finance", "legal-test-password", actor="test")
