"""The "On real engines" pages without torch and keras: they show the committed recording.

A docs build with the frameworks runs the pages' blocks and fails when
``docs/data/engines.json`` is no longer what they print; here the frameworks
are hidden, and each block must print exactly the recording.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def recorder() -> Any:
    spec = importlib.util.spec_from_file_location(
        "record_engines", ROOT / "tools" / "record_engines.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_build_without_the_frameworks_shows_the_recording(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    tool = recorder()
    for name in ("torch", "keras"):
        monkeypatch.setitem(sys.modules, name, None)  # import torch raises ImportError
    monkeypatch.chdir(ROOT)
    recorded = json.loads(tool.DATA.read_text(encoding="utf-8"))
    assert set(recorded[lang]) == set(tool.NAMES)
    assert tool.record(tool.PAGES[lang]) == recorded[lang]
    assert "agree to rtol=1e-10: True" in recorded["en"]["torch"]
