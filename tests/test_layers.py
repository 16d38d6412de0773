"""The import-linter contracts in pyproject.toml hold, and fail on a planted upward import.

lint-imports runs on a copy of the package's Python files, so a module can be planted in it
without touching the source tree. The clean copy must pass and each planted copy must fail
naming the planted module: a contract that checked nothing (a wrong root package, a copy not
analysed) would pass them all, and these tests would fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "openincome"


def _copy(tmp_path: Path) -> Path:
    """A copy of the package's Python files under tmp_path/src (templates and assets left)."""
    src = tmp_path / "src"

    def not_python(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if n == "__pycache__"
                or (not n.endswith(".py") and not (Path(folder) / n).is_dir())]

    shutil.copytree(PACKAGE, src / "openincome", ignore=not_python)
    return src


def _lint(src: Path) -> subprocess.CompletedProcess:
    """lint-imports with the project's contracts over the package found at `src`."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
         "sys.exit(lint_imports_command())", "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=src.parent, env=env, capture_output=True, text=True, timeout=300,
    )


def _plant(src: Path, module: str, source: str) -> None:
    path = src / Path(*module.split(".")).with_suffix(".py")
    path.write_text(source)


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory) -> Path:
    return _copy(tmp_path_factory.mktemp("layers"))


def test_the_source_tree_keeps_every_contract(package_copy):
    result = _lint(package_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "source", "contract"),
    [
        # The ledger is near the bottom: it may not reach up to cases.
        ("openincome.ledger.planted", "from openincome.cases import models\n", "Layers"),
        # Nor may cases reach up to web.
        ("openincome.cases.planted", "import openincome.web.views.account\n", "Layers"),
        # The capability apps of a tier are independent of each other...
        ("openincome.agreements.planted", "from openincome.benefits.models import BenefitClaim\n",
         "Layers"),
        ("openincome.payments.planted", "from openincome.legal.models import Notice\n",
         "Layers"),
        # ...and a lower tier may not reach up to a higher one.
        ("openincome.letters.planted", "from openincome.payments import models\n", "Layers"),
        # The engine is pure: no Django, not even through another module.
        ("openincome.engine.planted", "from django.db import models\n", "no Django"),
        ("openincome.engine.planted", "from openincome.ledger import locks\n", "no Django"),
    ],
)
def test_a_planted_import_breaks_its_contract(tmp_path, module, source, contract):
    src = _copy(tmp_path)
    _plant(src, module, source)
    result = _lint(src)
    assert result.returncode != 0, result.stdout
    assert "1 broken" in result.stdout
    broken = result.stdout.split("Broken contracts")[-1]
    assert contract in broken and module in broken, result.stdout
