"""Shared set-up for the cases tests: a small simulated landlord, imported."""

import pytest

from openincome.interchange import import_folder


def load_simulated(tmp_path, tenancies: int = 40, seed: int = 11) -> None:
    """Simulate a landlord of `tenancies` over two years and import it as `test`."""
    from openincome.simulator import simulate

    out = tmp_path / "landlord"
    simulate(tenancies=tenancies, years=2, seed=seed, out=out)
    import_folder(out, actor="test")


@pytest.fixture
def simulated(tmp_path):
    """Forty simulated tenancies over two years, imported."""
    load_simulated(tmp_path)
