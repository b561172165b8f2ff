"""Checks the examples in docs/*.md: every ``pycon`` block must print what it shows.

(Executed ``python exec="on"`` blocks are checked by ``mkdocs build --strict``.)
Kept at the repository root so it is never copied into the built site.
"""

from __future__ import annotations

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser

FLAGS = ELLIPSIS | NORMALIZE_WHITESPACE


class PyconCodeBlockParser(PythonCodeBlockParser):
    """PythonCodeBlockParser for ```pycon fences."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.codeblock_parser.language = "pycon"


pytest_collect_file = Sybil(
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=FLAGS),
        PyconCodeBlockParser(doctest_optionflags=FLAGS),
        SkipParser(),
    ],
    path="docs",
    patterns=["*.md"],
).pytest()

# The deprecated shims minigd.qa and minigd.demo warn when imported, and hold no doctests.
collect_ignore = ["src/minigd/qa.py", "src/minigd/demo.py"]
