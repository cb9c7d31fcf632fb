"""Every ``>>>`` example in the docs and the README runs and prints what it shows."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([*ROOT.joinpath("docs").rglob("*.md"), ROOT / "README.md"])


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_page_examples(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's examples pass as doctests (run from the repository root)."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "120")
    result = doctest.testfile(
        str(page),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        raise_on_error=False,
        verbose=False,
        encoding="utf-8",
    )
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {page.name}"


def test_pages_found() -> None:
    """The docs exist (an empty list would make the test above vacuous)."""
    assert len(PAGES) > 3
    assert (ROOT / "docs" / "index.md").exists()
