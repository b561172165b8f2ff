"""The pages' notebooks, downloaded and run top to bottom in a real Jupyter kernel.

Run by ``make test`` after ``mkdocs build --strict``. Each notebook of the
built site runs with nbclient in a fresh kernel whose working folder is an
empty temporary one (as for a student who downloaded it), at most 120 s per
notebook. A cell whose page renders its printed output as Markdown must show
Markdown here too, so tables are tables in Jupyter.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.site
SITE = Path(__file__).resolve().parents[2] / "site"
REQUIRED = os.environ.get("MINIGD_REQUIRE_BROWSER") == "1"
TIMEOUT_S = 120


def notebooks() -> list[Path]:
    return sorted(SITE.rglob("*.ipynb"))


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Any]:
    """Every notebook of the site, run; two kernels at a time."""
    if not notebooks():
        if REQUIRED:
            pytest.fail("site/ has no notebooks: run `mkdocs build --strict` first")
        pytest.skip("site/ is not built; `make test` builds it before these tests")
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")

    # the folders are made here: tmp_path_factory is not safe to call from two threads
    folders = {path: tmp_path_factory.mktemp(path.stem) for path in notebooks()}

    def run(path: Path) -> Any:
        book = nbformat.read(path, as_version=4)
        folder = folders[path]
        client = nbclient.NotebookClient(
            book, timeout=TIMEOUT_S, kernel_name="python3", resources={"metadata": {"path": folder}}
        )
        client.execute()  # a failing cell raises CellExecutionError, naming the cell
        return book

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(notebooks(), pool.map(run, notebooks()), strict=True))


@pytest.mark.usefixtures("executed")
def test_both_languages_have_the_same_notebooks() -> None:
    english = {p.relative_to(SITE) for p in notebooks() if p.relative_to(SITE).parts[0] != "ko"}
    korean = {p.relative_to(SITE / "ko") for p in (SITE / "ko").rglob("*.ipynb")}
    assert english == korean
    assert Path("qa.ipynb") in english


def test_every_notebook_runs_and_shows_its_tables(executed: dict[Path, Any]) -> None:
    for path, book in executed.items():
        code = [c for c in book.cells if c.cell_type == "code"]
        # the first cell installs minigd only when the kernel lacks it
        assert "find_spec" in code[0].source, path
        assert "%pip install" in code[0].source, path
        for cell in code:
            if cell.source.startswith("%%markdown_output"):
                shown = [o for o in cell.outputs if "text/markdown" in o.get("data", {})]
                assert len(shown) == 1, (path, cell.source[:80])
                assert shown[0]["data"]["text/markdown"].strip(), (path, cell.source[:80])


def test_the_qa_tables_render_as_markdown_tables(executed: dict[Path, Any]) -> None:
    for lang in ("", "ko"):
        book = executed[SITE / lang / "qa.ipynb"]
        shown = [
            o["data"]["text/markdown"]
            for c in book.cells
            if c.cell_type == "code"
            for o in c.outputs
            if "text/markdown" in o.get("data", {})
        ]
        tables = [text for text in shown if "\n| ---" in text or "\n|---" in text]
        assert len(tables) >= 5, json.dumps(shown, ensure_ascii=False)[:500]


@pytest.mark.usefixtures("executed")
def test_a_page_that_reads_the_repository_has_no_notebook() -> None:
    # the Performance page reads benchmarks/results.json: nothing to download
    assert not (SITE / "performance.ipynb").exists()
    assert not (SITE / "ko" / "performance.ipynb").exists()
