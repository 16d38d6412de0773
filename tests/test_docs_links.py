"""A new clone has only the repository: every link in the README and docs must lead into it."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
         *sorted((ROOT / "src").rglob("README.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_in_the_repository(page):
    text = page.read_text(encoding="utf-8")
    assert "../shared" not in text, "points outside the repository"
    for target in LINK.findall(text):
        if re.match(r"^[a-z]+:", target):
            continue  # a web address
        path = (page.parent / target).resolve()
        assert path.exists() and ROOT in path.parents, f"{page.name}: {target}"
