"""Record what the "On real engines" pages print with torch and keras, for builds without them.

The docs extra alone has neither framework, so a build with only it shows, for
each engine block of ``docs/engines.md`` and ``docs/engines.ko.md``, the output
recorded here; a build with them (``make docs``, ``make test``, the Pages
workflow) runs the blocks and fails when the recording is no longer what they
print. Run from the repository, with torch and keras installed::

    PYTHONPATH=src python tools/record_engines.py

It runs each page's blocks in order in one namespace, as markdown-exec does,
and writes ``docs/data/engines.json``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "docs" / "data" / "engines.json"
PAGES = {"en": ROOT / "docs" / "engines.md", "ko": ROOT / "docs" / "engines.ko.md"}
BLOCK = re.compile(
    r'^```python exec="on"[^\n]*session="engines"\n(?P<body>.*?)^```\s*$', re.M | re.S
)
NAMES = ("torch", "ddp", "keras")  # the page's blocks, in order


def record(page: Path) -> dict[str, str]:
    """Run ``page``'s engine blocks; return what each one printed (its ``out``)."""
    namespace: dict[str, Any] = {"__name__": "__main__", "RECORDING": True}
    printed: dict[str, str] = {}
    bodies = [m.group("body") for m in BLOCK.finditer(page.read_text(encoding="utf-8"))]
    if len(bodies) != len(NAMES):
        raise SystemExit(f"{page}: expected {len(NAMES)} engine blocks, found {len(bodies)}")
    for name, body in zip(NAMES, bodies, strict=True):
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(body, f"{page.name}:{name}", "exec"), namespace)
        printed[name] = namespace["out"]
    return printed


def main() -> int:
    os.environ.setdefault("KERAS_BACKEND", "torch")  # as the pages run it
    import keras  # both installed: this records their output
    import torch

    os.chdir(ROOT)  # the blocks read docs/data and run docs/examples
    if not DATA.exists():
        DATA.write_text("{}", encoding="utf-8")
    recorded = {
        "command": "PYTHONPATH=src python tools/record_engines.py",
        "torch": torch.__version__,
        "keras": keras.__version__,
        **{lang: record(page) for lang, page in PAGES.items()},
    }
    DATA.write_text(json.dumps(recorded, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {DATA.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
