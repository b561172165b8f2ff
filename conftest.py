"""Checks the examples in docs/*.md: every ``pycon`` block must print what it shows.

(Executed ``python exec="on"`` blocks are checked by ``mkdocs build --strict``.)
Kept at the repository root so it is never copied into the built site.
"""

from __future__ import annotations

import importlib.util
import os
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser

FLAGS = ELLIPSIS | NORMALIZE_WHITESPACE

# minigd.integrations.keras imports keras: the suite runs it on the torch backend
os.environ.setdefault("KERAS_BACKEND", "torch")
# Modules that import a framework (or MkDocs) at the top, collected for their
# doctests: without it installed they are left out, except under ``make test``,
# which requires every framework (tests/conftest.py).
_NEEDS = {
    "src/minigd/integrations/torch.py": "torch",
    "src/minigd/integrations/keras.py": "keras",
    "tests/conformance/engines.py": "torch",
    "tests/conformance/ddp_script.py": "torch",
    "tools/docs_hooks.py": "mkdocs",
}
collect_ignore = [
    path
    for path, module in _NEEDS.items()
    if importlib.util.find_spec(module) is None
    and os.environ.get("MINIGD_REQUIRE_CONFORMANCE") != "1"
]
# scripts the docs build runs (docs/engines.md), with no doctests
collect_ignore_glob = ["docs/examples/*.py"]


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
collect_ignore += ["src/minigd/qa.py", "src/minigd/demo.py"]
