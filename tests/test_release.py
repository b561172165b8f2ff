"""The release: what the workflows publish agrees with what ``make test`` checks."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"


def test_the_documentation_url_is_where_the_docs_workflow_publishes() -> None:
    published = re.search(r"MINIGD_SITE_URL: (.+)$", (WORKFLOWS / "docs.yml").read_text(), re.M)
    release = (WORKFLOWS / "release.yml").read_text()
    documented = re.search(r'Documentation = \\"(.+?)\\""', release)
    assert published is not None
    assert documented is not None
    assert documented[1] == published[1]
    # written only by the release workflow, from the repository it runs in
    tables = [ln for ln in (ROOT / "pyproject.toml").read_text().splitlines() if ln[:1] == "["]
    assert "[project.urls]" not in tables


def test_the_release_checks_what_make_package_checks() -> None:
    release = (WORKFLOWS / "release.yml").read_text()
    makefile = (ROOT / "Makefile").read_text()
    for check in ("twine check --strict", "check-wheel-contents", "-m build"):
        assert check in release
        assert check in makefile
    assert "pypa/gh-action-pypi-publish" in release
    assert "id-token: write" in release  # trusted publishing: no stored token
