"""minigd.lr against torch.optim.lr_scheduler, stepped the way torch documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from minigd import lr
from tests.conftest import require

pytestmark = pytest.mark.conformance
torch = require("torch")
sched = torch.optim.lr_scheduler


def torch_rates(make: Callable[[Any], Any], base_lr: float, count: int) -> list[float]:
    """The rate in force at counts 0..count-1 (read before each scheduler.step())."""
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base_lr)
    scheduler = make(opt)
    rates = []
    for _ in range(count):
        rates.append(opt.param_groups[0]["lr"])
        opt.step()
        scheduler.step()
    return rates


CASES: list[tuple[str, lr.LRSchedule, Callable[[Any], Any], float, int]] = [
    (
        "StepLR",
        lr.StepDecay(0.1, step_size=10, gamma=0.1),
        lambda o: sched.StepLR(o, step_size=10, gamma=0.1),
        0.1,
        30,
    ),
    (
        "StepLR-3",
        lr.StepDecay(0.5, step_size=3, gamma=0.7),
        lambda o: sched.StepLR(o, step_size=3, gamma=0.7),
        0.5,
        25,
    ),
    (
        "ExponentialLR",
        lr.Exponential(0.1, gamma=0.9),
        lambda o: sched.ExponentialLR(o, gamma=0.9),
        0.1,
        50,
    ),
    (
        "CosineAnnealingLR",
        lr.Cosine(0.1, total_steps=30, unit="epoch"),
        lambda o: sched.CosineAnnealingLR(o, T_max=30),
        0.1,
        31,
    ),
    (
        "CosineAnnealingLR-min",
        lr.Cosine(0.1, total_steps=600, min_lr=1e-3),
        lambda o: sched.CosineAnnealingLR(o, T_max=600, eta_min=1e-3),
        0.1,
        601,
    ),
    (
        "LinearLR",
        lr.LinearWarmup(0.1, warmup=5, start_factor=0.1, unit="epoch"),
        lambda o: sched.LinearLR(o, start_factor=0.1, total_iters=5),
        0.1,
        12,
    ),
    (
        "LinearLR-default",
        lr.LinearWarmup(0.3, warmup=4),
        lambda o: sched.LinearLR(o, start_factor=1 / 5, total_iters=4),
        0.3,
        10,
    ),
    (
        "OneCycleLR",
        lr.OneCycle(0.1, total_steps=600),
        lambda o: sched.OneCycleLR(o, max_lr=0.1, total_steps=600, cycle_momentum=False),
        0.1,
        600,
    ),
    (
        "OneCycleLR-linear",
        lr.OneCycle(1.0, total_steps=50, pct_start=0.25, anneal="linear"),
        lambda o: sched.OneCycleLR(
            o,
            max_lr=1.0,
            total_steps=50,
            pct_start=0.25,
            anneal_strategy="linear",
            cycle_momentum=False,
        ),
        1.0,
        50,
    ),
    (
        "OneCycleLR-3phase",
        lr.OneCycle(0.5, total_steps=40, three_phase=True),
        lambda o: sched.OneCycleLR(
            o, max_lr=0.5, total_steps=40, three_phase=True, cycle_momentum=False
        ),
        0.5,
        40,
    ),
]


@pytest.mark.parametrize(
    ("name", "ours", "make", "base", "count"), CASES, ids=[c[0] for c in CASES]
)
def test_matches_torch_scheduler(
    name: str, ours: lr.LRSchedule, make: Callable[[Any], Any], base: float, count: int
) -> None:
    theirs = torch_rates(make, base, count)
    np.testing.assert_allclose([ours(k) for k in range(count)], theirs, rtol=1e-10, atol=1e-15)


def test_cosine_differs_past_t_max() -> None:
    # torch's CosineAnnealingLR is periodic; minigd's Cosine stays at min_lr
    theirs = torch_rates(lambda o: sched.CosineAnnealingLR(o, T_max=10), 0.1, 21)
    assert theirs[20] == pytest.approx(0.1)
    assert lr.Cosine(0.1, total_steps=10)(20) == 0.0


def test_onecycle_refuses_past_the_end_like_torch() -> None:
    with pytest.raises(ValueError, match="past its total_steps=10"):
        lr.OneCycle(0.1, total_steps=10)(11)
    with pytest.raises(ValueError, match="Tried to step 11 times"):
        torch_rates(lambda o: sched.OneCycleLR(o, max_lr=0.1, total_steps=10), 0.1, 12)


def test_step_decay_per_batch_bug_in_numbers() -> None:
    # StepLR(step_size=10) stepped per batch with 20 batches per epoch: 1e-61 at
    # the end of 30 epochs (framework-semantics.md). minigd's StepDecay counts
    # epochs, so fit gives 1e-4 at the end instead.
    per_batch = torch_rates(lambda o: sched.StepLR(o, step_size=10, gamma=0.1), 0.1, 600)
    assert per_batch[-1] == pytest.approx(1e-60, rel=1e-6)
    assert lr.StepDecay(0.1, 10, 0.1)(29) == pytest.approx(1e-3)


def test_one_cycle_longer_than_the_run_torch_is_silent_fit_warns() -> None:
    # torch's OneCycleLR accepts a cycle longer than the run without a word: 6 steps of 40
    import warnings

    from minigd import Schedule, fit
    from minigd.models import LinearRegression
    from minigd.optim import SGD

    s = Schedule(60, 7, 2, accumulate=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rates = torch_rates(lambda o: sched.OneCycleLR(o, 0.1, total_steps=40), 0.1, s.total_steps)
    assert max(rates) < 0.1  # the peak never comes
    X = np.random.default_rng(0).normal(size=(60, 2))
    with pytest.warns(UserWarning, match=rf"makes only 6 updates.*ends at {rates[-1]:.3g},"):
        fit(LinearRegression(2), X, X.sum(axis=1), s, SGD(lr=lr.OneCycle(0.1, total_steps=40)))
