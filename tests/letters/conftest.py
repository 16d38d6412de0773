"""Letters test set-up: the example landlord, and a simulated one."""

import datetime

import pytest

# The browser suite's server and signed-in page, for this folder's browser test.
from tests.browser.conftest import (  # noqa: F401
    browser_type_launch_args,
    server,
    signed_in,
)

AS_OF = datetime.date(2026, 11, 23)


@pytest.fixture
def landlord(db, example_folder):
    """The three-tenancy example folder, imported through the real importer."""
    from openincome.interchange import import_folder

    import_folder(example_folder, actor="test")


@pytest.fixture
def simulated(db, tmp_path):
    """A small simulated landlord (the simulator's realistic accounts), imported."""
    from openincome.interchange import import_folder
    from openincome.simulator import simulate

    out = tmp_path / "landlord"
    simulate(tenancies=60, years=2, seed=5, out=out)
    import_folder(out, actor="test")
