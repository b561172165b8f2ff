"""The benchmark's report: the targets table reads the figures it is given."""

from __future__ import annotations

import importlib.util
import pathlib
import sys
from typing import Any

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    assert spec is not None and spec.loader is not None  # noqa: PT018
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _row(peer: str, us: float, naive_us: float, memory: float | None = None) -> dict[str, Any]:
    return {
        "peer": peer,
        "us_per_update": us,
        "total_s": us * 1e-6 * 100,
        "updates": 100,
        "final_loss": 0.01,
        "peak_memory_mb": memory,
        "ratio_to_naive": us / naive_us,
    }


def _report(fit_us: float) -> dict[str, Any]:
    naive = 6.0
    rows = [
        _row("minigd.fit", fit_us, naive),
        _row("minigd.fit epoch_loss=False", fit_us * 0.95, naive),
        _row("minigd.fit verbose=1", fit_us * 1.2, naive),
        _row("numpy naive", naive, naive),
        _row("numpy tuned", 5.0, naive),
        _row("torch DataLoader", 240.0, naive),
        _row("keras fit", 1900.0, naive),
    ]
    return {
        "machine": {"python": "3", "numpy": "2", "minigd": "0", "cores": 2, "date": "today"},
        "scenarios": [
            {"scenario": "Q&A SGD, batch 1", "rows": rows, "notes": [], "x_mb": 0.0},
        ],
        "import": {"numpy_s": 0.08, "minigd_s": 0.12, "added_ms": 40.0},
    }


def test_targets_compare_each_figure_with_its_limit(bench: Any) -> None:
    fast = {t: (value, verdict) for t, _, value, verdict in bench.targets(_report(5.9))}
    assert fast["batch 1: `minigd.fit` vs numpy naive"] == ("0.98x", "met")
    assert fast["batch 1: `minigd.fit` vs numpy tuned"] == ("1.18x", "met")
    # multiples are shown rounded down (1900 / 5.9 = 322.03, 1900 / 6 = 316.67)
    assert fast["batch 1: torch DataLoader slower than `minigd.fit` by"] == ("40.6x", "met")
    assert fast["batch 1: keras fit slower than `minigd.fit` by"] == ("322.0x", "met")
    assert fast["batch 1: keras fit slower than numpy naive by"] == ("316.6x", "-")
    # and for the row doing the loops' work (5.9 * 0.95 = 5.605 us)
    same = "batch 1: keras fit slower than `minigd.fit epoch_loss=False` by"
    assert fast[same] == ("338.9x", "met")
    # verbose=1 at 1.2x the quiet run is over the 10% budget; the import over 30 ms
    assert fast["batch 1: `verbose=1` vs `verbose=0`"] == ("1.20x", "missed")
    assert fast["`import minigd` after `import numpy` (ms)"] == ("40", "missed")
    slow = {t: verdict for t, _, _, verdict in bench.targets(_report(9.0))}
    assert slow["batch 1: `minigd.fit` vs numpy naive"] == "missed"
    assert slow["batch 1: `minigd.fit` vs numpy tuned"] == "missed"  # 9 / 5 = 1.8x
    assert slow["batch 1: keras fit slower than `minigd.fit` by"] == "missed"
    # 240 / 8.01 = 29.96: shown as 29.9x, not a rounded-up 30x, and missed
    edge = {t: (v, verdict) for t, _, v, verdict in bench.targets(_report(8.01))}
    assert edge["batch 1: torch DataLoader slower than `minigd.fit` by"] == ("29.9x", "missed")


def test_markdown_ends_with_the_targets(bench: Any) -> None:
    text = bench.markdown(_report(5.9))
    assert "### The targets, read from this report" in text
    assert "| batch 1: `minigd.fit` vs numpy naive | <= 1.0x | 0.98x | met |" in text
