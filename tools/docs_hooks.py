"""MkDocs hooks: pages as Jupyter notebooks, and docstrings' Sphinx roles as code.

Every page that runs code can be downloaded as a Jupyter notebook. The
notebook is made from the page's own Markdown when the site is built, so the
two never drift: prose becomes Markdown cells, executed blocks and ``pycon``
examples become code cells (lines hidden on the page are dropped; a figure
block ends by showing its figure). A page whose code reads the repository's
files says ``notebook: false`` in its front matter and gets none.

Two cells come first. One installs minigd when the kernel lacks it: from
PyPI for a release; before the first release, from the GitHub repository the
site is published from, or from the clone that built it. The other defines
``%%markdown_output``, which starts every block whose printed output the page
renders as Markdown, so its tables render as tables in Jupyter too.

Each language searches its own pages. mkdocs-static-i18n writes one search
index for both (and drops the Korean entries identical to English ones, such
as the API reference's), so an English page could outrank the Korean one for
a reader of the Korean site. After the build, the index is split: the English
pages keep the English entries, and the Korean pages read an index of their
own (their search ``base`` points at ``ko/``). Links to the site root that the
i18n plugin writes as absolute paths (the language switcher on the home page)
are made relative, so the site works under a sub-path and opened from files.

Docstrings name other objects with numpydoc's Sphinx roles (``:class:`Schedule```),
which read well in ``help()`` but which mkdocstrings leaves as they are: on the
site the role is dropped and the name stays as code.
"""

from __future__ import annotations

import json
import posixpath
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


ROOT = Path(__file__).resolve().parent.parent
GITHUB_PAGES = re.compile(r"https://(?P<owner>[\w-]+)\.github\.io/(?P<repo>[\w.-]+)/?$")

# The setup cells' text, by language: (install note, output note)
_SETUP_NOTES = {
    "en": (
        "Run this first: it installs minigd in this kernel if it is missing.",
        "On the site, what these cells print is rendered as Markdown. "
        "`%%markdown_output` does the same here, so tables show as tables.",
    ),
    "ko": (
        "먼저 실행하세요. 이 커널에 minigd가 없으면 설치합니다.",
        "사이트에서는 셀이 출력한 내용을 Markdown으로 보여 줍니다. "
        "`%%markdown_output`이 여기서도 똑같이 해 주어 표가 표로 보입니다.",
    ),
}
_MARKDOWN_OUTPUT = '''from IPython.core.magic import register_cell_magic
from IPython.display import Markdown, display
from IPython.utils.capture import capture_output


@register_cell_magic
def markdown_output(line, cell):
    """Run the cell and show what it prints as Markdown."""
    with capture_output(stderr=False, display=False) as printed:
        get_ipython().ex(cell)  # an error stops the notebook, as on the site
    display(Markdown(printed.stdout))'''


def install_requirement(site_url: str, version: str, root: Path = ROOT) -> str:
    """What a notebook's first cell passes to ``%pip install``.

    A release comes from PyPI. Before the first release, a development
    version comes from the GitHub repository the site is published from
    (GitHub Pages: ``https://OWNER.github.io/REPO/``), or from the clone
    that built the site.

    >>> install_requirement("https://example.org/", "0.2.0")
    '"minigd[plot]"'
    >>> install_requirement("https://ann.github.io/minigd/", "0.3.0.dev0")
    '"minigd[plot] @ git+https://github.com/ann/minigd"'
    >>> install_requirement("http://127.0.0.1:8765/", "0.3.0.dev0", Path("/src/minigd"))
    '-e "/src/minigd[plot]"'
    """
    if "dev" not in version:
        return '"minigd[plot]"'
    pages = GITHUB_PAGES.match(site_url)
    if pages:
        return f'"minigd[plot] @ git+https://github.com/{pages["owner"]}/{pages["repo"]}"'
    return f'-e "{root}[plot]"'


def _setup_cells(lang: str, requirement: str) -> list[dict[str, Any]]:
    install_note, output_note = _SETUP_NOTES[lang]
    install = (
        "import importlib.util\n\n"
        'if importlib.util.find_spec("minigd") is None:\n'
        f"    %pip install {requirement}"
    )
    return [
        _markdown_cell(install_note),
        _code_cell(install),
        _markdown_cell(output_note),
        _code_cell(_MARKDOWN_OUTPUT),
    ]


def notebook(
    markdown: str, lang: str = "en", requirement: str = '"minigd[plot]"'
) -> dict[str, Any] | None:
    """The notebook of a page, or None when the page runs no code."""
    cells: list[dict[str, Any]] = _setup_cells(lang, requirement)
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
            if 'html="1"' not in info:  # printed Markdown: shown rendered
                lines.insert(0, "%%markdown_output")
            elif any(ln.startswith("fig") for ln in lines):
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
    for number, cell in enumerate(cells):
        cell["id"] = f"cell-{number}"  # nbformat 4.5: stable ids, so rebuilds diff cleanly
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    import minigd  # the version being documented

    if page.meta.get("notebook") is False:  # the page reads files of the repository
        return markdown
    korean = page.file.dest_uri.startswith("ko/")
    requirement = install_requirement(config["site_url"] or "", minigd.__version__)
    book = notebook(markdown, "ko" if korean else "en", requirement)
    if book is None:
        return markdown
    name = Path(page.file.src_uri).name.split(".")[0] + ".ipynb"
    target = str(Path(page.file.dest_uri).parent / name)
    _NOTEBOOKS[target] = book
    label = (
        "이 페이지를 Jupyter 노트북으로 내려받기"
        if korean
        else "Download this page as a Jupyter notebook"
    )
    # raw HTML: the notebook is written after the build, so MkDocs cannot check the link
    return f'<a class="md-button" href="{name}" download>{label}</a>\n\n' + markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    return drop_sphinx_roles(html)


LANG = "ko"  # the translated language, built under ko/
ROOT_LINK = re.compile(r'href="/(?!/)(?P<path>[^"]*)"')
SEARCH_BASE = re.compile(
    r'(<script id="__config" type="application/json">\{[^}]*?"base": ")([^"]*)"'
)


def relative_root_links(html: str, page_url: str) -> str:
    """``href="/ko/"`` as a link relative to the page at ``page_url``.

    >>> relative_root_links('<a href="/ko/index.html">', "index.html")
    '<a href="ko/index.html">'
    >>> relative_root_links('<a href="/">', "ko/index.html")
    '<a href="../">'
    """
    folder = posixpath.dirname(page_url) or "."

    def relative(match: re.Match[str]) -> str:
        path = match.group("path")
        target = posixpath.relpath(path or ".", folder)
        return f'href="{target}{"/" if not path or path.endswith("/") else ""}"'

    return ROOT_LINK.sub(relative, html)


def on_post_page(output: str, page: Any, config: Any) -> str:
    output = relative_root_links(output, page.file.dest_uri)
    if page.file.dest_uri.startswith(f"{LANG}/"):  # search the Korean index
        # a trailing slash: Material resolves "search/search_index.json" against it
        output = SEARCH_BASE.sub(lambda m: f'{m[1]}{m[2]}/{LANG}/"', output, count=1)
    return output


def split_search_index(site: Path, lang: str = LANG) -> None:
    """Write ``lang``'s search entries to ``site/lang/search/`` and keep the rest.

    The i18n plugin dropped the ``lang`` twins identical to English entries;
    an English entry whose anchor the ``lang`` page also has is such a twin
    and goes to both indexes.
    """
    path = site / "search" / "search_index.json"
    index = json.loads(path.read_text(encoding="utf-8"))
    prefix = f"{lang}/"
    own = [{**d, "location": d["location"][len(prefix) :]} for d in index["docs"]
           if d["location"].startswith(prefix)]  # fmt: skip
    others = [d for d in index["docs"] if not d["location"].startswith(prefix)]
    have = {d["location"] for d in own}
    for doc in others:
        page, _, anchor = doc["location"].partition("#")
        twin = site / lang / page
        if anchor and doc["location"] not in have and twin.is_file():
            own += [doc] if f'id="{anchor}"' in twin.read_text(encoding="utf-8") else []
    path.write_text(json.dumps({**index, "docs": others}, ensure_ascii=False), encoding="utf-8")
    target = site / lang / "search" / "search_index.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({**index, "docs": own}, ensure_ascii=False), encoding="utf-8")


def on_post_build(config: Any) -> None:
    site = Path(config["site_dir"])
    split_search_index(site)
    for target, book in _NOTEBOOKS.items():
        path = site / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(book, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# After the i18n plugin, which writes the search index at priority -100 (what
# mkdocs.plugins.event_priority(-200) sets; written out so that importing these
# hooks for their doctests needs no MkDocs).
on_post_build.mkdocs_priority = -200  # type: ignore[attr-defined]
