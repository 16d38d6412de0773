"""Interchange test fixtures: writable copies of folders and a loaded database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ix_helpers import dump, write_rich


@pytest.fixture
def folder(tmp_path, example_folder) -> Path:
    """A writable copy of the example folder."""
    target = tmp_path / "example"
    shutil.copytree(example_folder, target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target


@pytest.fixture
def loaded(db, example_folder):
    """The database holding the example folder; returns a dump of it."""
    from openincome.interchange import import_folder

    import_folder(example_folder, actor="test")
    return dump()


@pytest.fixture
def rich_folder(tmp_path) -> Path:
    """A folder using every file and column, with awkward text, written as export writes."""
    return write_rich(tmp_path / "rich")
