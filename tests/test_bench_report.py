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


def _scenario(name: str, fit_us: float, **us: float) -> dict[str, Any]:
    """A Q&A scenario: the hand-written loop at 4 us, the reference loop at 5 us."""
    figures = {
        "minigd.fit": fit_us,
        "minigd.fit verbose=1": fit_us * 1.05,
        "reference loop": 5.0,
        "reference loop, unchecked": 4.9,
        "numpy naive": 4.0,
        "numpy tuned": 2.5,
        "torch DataLoader": 150.0,
        "keras fit": 1500.0,
    } | us
    rows = [_row(peer, value, figures["numpy naive"]) for peer, value in figures.items()]
    return {"scenario": name, "rows": rows, "notes": [], "x_mb": 0.0}


def _report(fit_us: float, **us: float) -> dict[str, Any]:
    return {
        "machine": {"python": "3", "numpy": "2", "minigd": "0", "cores": 2, "date": "today"},
        "scenarios": [
            _scenario("Q&A GD, batch 100", fit_us, **us),
            _scenario("Q&A mini-batch 10", fit_us, **us),
            _scenario("Q&A SGD, batch 1", fit_us, **us),
        ],
        "import": {"numpy_s": 0.08, "minigd_s": 0.12, "added_ms": 40.0},
    }


def _verdicts(bench: Any, report: dict[str, Any]) -> dict[str, tuple[str, str, str]]:
    return {t: (limit, value, verdict) for t, limit, value, verdict in bench.targets(report)}


def test_each_target_compares_its_figure_with_its_limit(bench: Any) -> None:
    fast = _verdicts(bench, _report(5.5))
    # fit against the reference loop: 5.5 / 5 = 1.10, under 1.15 and under 1.35
    assert fast["batch 1: `minigd.fit` vs the reference loop"] == ("<= 1.15x", "1.10x", "met")
    assert fast["batch 10: `minigd.fit` vs the reference loop"][2] == "met"
    assert fast["batch 100: `minigd.fit` vs the reference loop"] == ("<= 1.35x", "1.10x", "met")
    # against the hand-written loop: 5.5 / 4 = 1.375
    assert fast["batch 1: `minigd.fit` vs numpy naive"] == ("<= 1.75x", "1.38x", "met")
    # the DataLoader: 150 / 5.5 = 27.27, shown rounded down
    dataloader = "batch 10: torch DataLoader slower than `minigd.fit` by"
    # the retired 30x reads the same figure: the limit says so, the verdict is against 15x
    assert fast[dataloader] == (">= 15x (was >= 30x)", "27.2x", "met")
    # the checks: 5.0 / 4.9 = 1.0204, at batch 1 only
    checks = "batch 1: the checks, reference loop vs reference loop unchecked"
    assert fast[checks] == ("<= 1.05x", "1.03x", "met")
    assert not any(t.startswith("batch 10: the checks") for t in fast)
    assert fast["batch 1: `verbose=1` vs `verbose=0`"] == ("<= 1.10x", "1.05x", "met")
    assert fast["batch 10: `verbose=1` vs `verbose=0`"][2] == "met"
    assert fast["`import minigd` after `import numpy` (ms)"] == ("<= 30", "40", "missed")


def test_batch_100_has_a_looser_limit_and_no_other_target(bench: Any) -> None:
    # 6.5 / 5 = 1.30: over 1.15 at batch 1 and 10, under 1.35 at batch 100
    slow = _verdicts(bench, _report(6.5))
    assert slow["batch 1: `minigd.fit` vs the reference loop"][1:] == ("1.30x", "missed")
    assert slow["batch 10: `minigd.fit` vs the reference loop"][2] == "missed"
    assert slow["batch 100: `minigd.fit` vs the reference loop"][1:] == ("1.30x", "met")
    assert [t for t in slow if t.startswith("batch 100:")] == [
        "batch 100: `minigd.fit` vs the reference loop"
    ]


def test_each_limit_is_exclusive_of_what_exceeds_it(bench: Any) -> None:
    missed = _verdicts(
        bench,
        _report(
            7.2,  # 7.2 / 4 = 1.8 over 1.75; 7.2 * 1.05 / 7.2 = 1.05, fine
            **{
                "torch DataLoader": 7.2 * 14.99,
                "reference loop, unchecked": 5.0 / 1.06,
                "minigd.fit verbose=1": 7.2 * 1.11,
            },
        ),
    )
    assert missed["batch 1: `minigd.fit` vs numpy naive"][1:] == ("1.80x", "missed")
    # 14.99x is shown as 14.9x, never rounded up to the limit
    assert missed["batch 1: torch DataLoader slower than `minigd.fit` by"][1:] == (
        "14.9x",
        "missed",
    )
    assert missed["batch 1: the checks, reference loop vs reference loop unchecked"][1:] == (
        "1.06x",
        "missed",
    )
    assert missed["batch 10: `verbose=1` vs `verbose=0`"][1:] == ("1.11x", "missed")


def test_a_ratio_over_its_limit_is_never_shown_at_the_limit(bench: Any) -> None:
    # 5.7502 / 5 = 1.15004: over 1.15, shown rounded up as 1.16x
    edge = _verdicts(bench, _report(5.7502))
    assert edge["batch 1: `minigd.fit` vs the reference loop"][1:] == ("1.16x", "missed")
    exactly = _verdicts(bench, _report(5.75))  # 1.15 itself meets "at most 1.15x"
    assert exactly["batch 1: `minigd.fit` vs the reference loop"][1:] == ("1.15x", "met")


def test_a_missing_peer_is_reported_not_measured(bench: Any) -> None:
    report = _report(5.5)
    for scenario in report["scenarios"]:
        scenario["rows"] = [
            r
            for r in scenario["rows"]
            if r["peer"] not in ("reference loop, unchecked", "torch DataLoader")
        ]
    missing = _verdicts(bench, report)
    checks = "batch 1: the checks, reference loop vs reference loop unchecked"
    assert missing[checks] == ("<= 1.05x", "-", "not measured")
    assert missing["batch 10: torch DataLoader slower than `minigd.fit` by"][2] == "not measured"
    # a scenario that did not run has no targets at all
    report["scenarios"] = report["scenarios"][2:]
    assert not any(t.startswith("batch 10") for t in _verdicts(bench, report))


def test_retired_targets_are_figures_without_a_verdict(bench: Any) -> None:
    figures = _verdicts(bench, _report(5.5))
    assert figures["batch 1: `minigd.fit` vs numpy tuned"] == ("was <= 1.5x", "2.20x", "retired")
    keras = "batch 10: keras fit slower than `minigd.fit` by"
    assert figures[keras] == ("was >= 300x", "272.7x", "retired")
    text = bench.markdown(_report(5.5))
    targets, retired = text.split("### Retired targets")
    assert "| batch 1: `minigd.fit` vs the reference loop | <= 1.15x | 1.10x | met |" in targets
    assert "retired" not in targets
    assert "| batch 1: `minigd.fit` vs numpy tuned | was <= 1.5x | 2.20x | retired |" in retired


def test_the_large_runs_and_an_old_report(bench: Any) -> None:
    naive = 600_000.0
    gd = {
        "scenario": "N=1e6 d=100 full-batch GD, 20 epochs",
        "rows": [
            _row("minigd.fit", 105_000.0, naive, memory=780.0),
            _row("numpy naive", naive, naive, memory=1500.0),
        ],
        "notes": [],
        "x_mb": 763.0,
        "floor_s_per_update": 0.1,
        "floor_gb_per_s": 16.0,
        "fit_gb_per_s": 15.2,
        "fit_share_of_floor": 0.952,
    }
    report = _report(5.5)
    report["scenarios"].append(gd)
    large = _verdicts(bench, report)
    share = "full-batch GD N=1e6: share of the `X.T @ (X @ w - y)` floor"
    assert large[share] == (">= 0.90", "0.95", "met")
    memory = "full-batch GD N=1e6: peak memory beyond X, share of X (763 MB)"
    assert large[memory] == ("<= 0.10", "1.023", "missed")  # 780 / 763, rounded up
    # a report written before the reference loop existed still makes a report
    old = _report(5.5)
    for scenario in old["scenarios"]:
        scenario["rows"] = [r for r in scenario["rows"] if "reference" not in r["peer"]]
    text = bench.markdown(old)
    assert "| minigd.fit | 5.5 |" in text
    assert "| batch 1: `minigd.fit` vs the reference loop | <= 1.15x | - | not measured |" in text


def test_a_full_run_refuses_a_target_peer_it_cannot_run(bench: Any, monkeypatch: Any) -> None:
    def unavailable(peer: str) -> str | None:
        return "no check methods" if peer == "reference loop, unchecked" else None

    monkeypatch.setattr(bench, "unavailable", unavailable)
    with pytest.raises(SystemExit, match="'reference loop, unchecked' cannot run"):
        bench.select(bench.scenarios(), strict=True)
    # a partial run leaves it out and says why, in the report
    chosen = bench.scenarios(targets_only=True)
    bench.select(chosen, strict=False)
    assert [s.name for s in chosen] == [
        "Q&A GD, batch 100",
        "Q&A mini-batch 10",
        "Q&A SGD, batch 1",
    ]
    assert all("reference loop, unchecked" not in s.peers for s in chosen)
    assert "reference loop, unchecked: left out, no check methods" in chosen[0].notes
    assert "reference loop" in chosen[0].peers


def test_the_reference_loop_peers_do_the_same_job(bench: Any) -> None:
    # checked, unchecked and inline-checked: the same updates, bit for bit
    X, y = bench.make_data(30, 3)
    runs = [
        bench.PEERS[peer](X, y, 4, 3, 0.05, 7)
        for peer in (
            "reference loop",
            "reference loop, unchecked",
            "reference loop, inline minimal checks",
        )
    ]
    for weight, bias, updates in runs[1:]:
        assert weight.tobytes() == runs[0][0].tobytes()
        assert (bias, updates) == (runs[0][1], runs[0][2]) == (runs[0][1], 24)
