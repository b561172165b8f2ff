"""MkDocs hooks: pages as Jupyter notebooks, and docstrings' Sphinx roles as code.

Every page that runs code can be downloaded as a Jupyter notebook. The
notebook is made from the page's own Markdown when the site is built, so the
two never drift: prose becomes Markdown cells, executed blocks and ``pycon``
examples become code cells (lines hidden on the page are dropped; a figure
block ends by showing its figure).

Docstrings name other objects with numpydoc's Sphinx roles (``:class:`Schedule```),
which read well in ``help()`` but which mkdocstrings leaves as they are: on the
site the role is dropped and the name stays as code.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

FENCE = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```\s*$", re.MULTILINE | re.DOTALL)
_NOTEBOOKS: dict[str, dict[str, Any]] = {}
# ":class:<code>~minigd.Schedule</code>", as a docstring's role arrives in the HTML
SPHINX_ROLE = re.compile(
    r":(?:class|func|meth|attr|data|mod|exc|obj):<code>(?P<tilde>~?)(?P<target>[\w.]+)</code>"
)


def drop_sphinx_roles(html: str) -> str:
    """``:class:`~a.B``` as rendered becomes ``B`` in code; without ``~`` the whole name.

    >>> drop_sphinx_roles("A :class:<code>~minigd.Schedule</code> and :func:<code>fit</code>")
    'A <code>Schedule</code> and <code>fit</code>'
    """

    def code(match: re.Match[str]) -> str:
        target = match.group("target")
        return f"<code>{target.rsplit('.', 1)[-1] if match.group('tilde') else target}</code>"

    return SPHINX_ROLE.sub(code, html)


def _code_cell(source: str) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": [],
        "source": source.strip("\n").splitlines(keepends=True),
    }


def _markdown_cell(source: str) -> dict[str, Any]:
    return {
        "cell_type": "markdown",
        "metadata": {},
        "source": source.strip("\n").splitlines(keepends=True),
    }


def notebook(markdown: str) -> dict[str, Any] | None:
    """The notebook of a page, or None when the page runs no code."""
    cells: list[dict[str, Any]] = []
    position = 0
    runs = False
    for match in FENCE.finditer(markdown):
        info, body = match.group("info"), match.group("body")
        executed = info.startswith("python") and 'exec="on"' in info
        example = info.strip() == "pycon"
        if not (executed or example):
            continue
        prose = markdown[position : match.start()]
        if prose.strip():
            cells.append(_markdown_cell(prose))
        position = match.end()
        if executed:
            runs = True
            lines = [ln for ln in body.splitlines() if "markdown-exec: hide" not in ln]
            if 'html="1"' in info and any(ln.startswith("fig") for ln in lines):
                lines.append("fig")
            cells.append(_code_cell("\n".join(lines)))
        else:
            code = [ln[4:] for ln in body.splitlines() if ln.startswith((">>> ", "... "))]
            cells.append(_code_cell("\n".join(code)))
    if not runs:
        return None
    rest = markdown[position:]
    if rest.strip():
        cells.append(_markdown_cell(rest))
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    book = notebook(markdown)
    if book is None:
        return markdown
    name = Path(page.file.src_uri).name.split(".")[0] + ".ipynb"
    target = str(Path(page.file.dest_uri).parent / name)
    _NOTEBOOKS[target] = book
    korean = page.file.dest_uri.startswith("ko/")
    label = (
        "이 페이지를 Jupyter 노트북으로 내려받기"
        if korean
        else "Download this page as a Jupyter notebook"
    )
    # raw HTML: the notebook is written after the build, so MkDocs cannot check the link
    return f'<a class="md-button" href="{name}" download>{label}</a>\n\n' + markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    return drop_sphinx_roles(html)


def on_post_build(config: Any) -> None:
    site = Path(config["site_dir"])
    for target, book in _NOTEBOOKS.items():
        path = site / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(book, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
