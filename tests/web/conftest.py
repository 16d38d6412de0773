"""Web test set-up: the example landlord imported, and users of each role."""

import datetime

import pytest
from django.test import Client

from openincome.staff.actions import add_user

AS_OF = datetime.date(2026, 11, 23)
PASSWORD = "web-test-password"


@pytest.fixture
def landlord(db, example_folder):
    """The three-tenancy example folder, imported through the real importer."""
    from openincome.interchange import import_folder

    import_folder(example_folder, actor="test")


def _client(username: str, role: str, patches=()) -> Client:
    add_user(username, role, PASSWORD, list(patches), actor="test")
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def officer(landlord) -> Client:
    """A signed-in income officer working patch EAST."""
    return _client("officer1", "officer", ["EAST"])


@pytest.fixture
def leader(landlord) -> Client:
    """A signed-in team leader."""
    return _client("leader1", "team_leader")


@pytest.fixture
def finance(landlord) -> Client:
    """A signed-in finance user (reads, does not record)."""
    return _client("finance1", "finance")
