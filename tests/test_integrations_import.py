"""``import minigd`` imports no framework: minigd.integrations loads torch or keras on demand."""

from __future__ import annotations

import subprocess
import sys


def test_import_minigd_imports_neither_torch_nor_keras() -> None:
    code = (
        "import sys, minigd, minigd.integrations\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'keras')"
        " or m.startswith('minigd.integrations.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
