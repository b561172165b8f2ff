"""Learning-rate schedules: first values, units, conventions, errors."""

from __future__ import annotations

from typing import Any

import pytest

import minigd
from minigd import lr


def test_first_update_uses_count_zero_and_warmup_never_zero() -> None:
    w = lr.LinearWarmup(0.1, warmup=9)
    assert w(0) == pytest.approx(0.01)
    assert w(9) == pytest.approx(0.1)
    assert w(100) == pytest.approx(0.1)
    c = lr.Cosine(0.1, total_steps=100, warmup=9)
    assert 0 < c(0) < c(1) < c(8) < c(9) == pytest.approx(0.1)
    assert c(100) == 0.0 == c(1000)


def test_units_declared() -> None:
    assert lr.StepDecay(0.1, 10).unit == "epoch"
    assert lr.Exponential(0.1, 0.9).unit == "epoch"
    assert lr.Cosine(0.1, 10).unit == "step"
    assert lr.OneCycle(0.1, 10).unit == "step"
    assert lr.StepDecay(0.1, 10, unit="step").unit == "step"


def test_onecycle_shape() -> None:
    s = lr.OneCycle(1.0, total_steps=100)
    values = [s(k) for k in range(100)]
    peak = max(range(100), key=values.__getitem__)
    assert peak == 29
    assert values[0] == pytest.approx(1 / 25)
    assert values[-1] == pytest.approx(1 / 25 / 1e4)


def test_config_and_equality() -> None:
    a, b = lr.Cosine(0.1, 50, warmup=5), lr.Cosine(0.1, 50, warmup=5)
    assert a == b and hash(a) == hash(b)  # noqa: PT018
    assert a.config() == {
        "lr_schedule": "Cosine",
        "lr": 0.1,
        "total_steps": 50,
        "min_lr": 0.0,
        "warmup": 5,
        "unit": "step",
    }
    assert repr(lr.Constant(0.5)) == "Constant(lr=0.5)"
    assert lr.Constant(0.5).initial_lr == 0.5


def test_old_names_still_work_and_warn() -> None:
    with pytest.warns(DeprecationWarning, match=r"Cosine\(total=\) is renamed"):
        old = lr.Cosine(0.1, total=50, warmup=5)
    assert old == lr.Cosine(0.1, total_steps=50, warmup=5)
    with pytest.warns(DeprecationWarning, match=r"Cosine.total is renamed Cosine.total_steps"):
        assert old.total == 50
    with pytest.raises(TypeError, match=r"'total_steps' parameter of Cosine"):
        lr.Cosine(0.1)
    # the old config keys (checkpoints written before the renames) read as today's
    assert lr.upgrade_config({"schedule": "Cosine", "lr": 0.1, "total": 50}) == {
        "lr_schedule": "Cosine",
        "lr": 0.1,
        "total_steps": 50,
    }


def test_one_tuple_for_the_two_counters() -> None:
    assert lr.UNITS is minigd.ITERATION_CONVENTIONS
    assert lr.UNITS == ("step", "epoch")


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: lr.Constant(-0.1), ValueError, r"'lr' parameter of Constant .* \[0.0, inf\)"),
        (lambda: lr.StepDecay(0.1, 0), ValueError, "'step_size'"),
        (lambda: lr.StepDecay(0.1, 2, unit="batch"), ValueError, r"'unit' .* \{'step', 'epoch'\}"),
        (lambda: lr.Cosine(0.1, 10, warmup=10), ValueError, r"'warmup' .* \[0, 9\]"),
        (lambda: lr.LinearWarmup(0.1, 5, start_factor=0.0), ValueError, r"'start_factor' .* \(0.0"),
        (lambda: lr.OneCycle(0.1, 10, anneal="exp"), ValueError, "'anneal'"),
        (lambda: lr.OneCycle(0.1, 10, div_factor=0), ValueError, "'div_factor'"),
        (lambda: lr.Exponential("0.1", 0.9), TypeError, "'lr'"),
        (lambda: lr.Constant(0.1)(-1), ValueError, "'count'"),
        (lambda: lr.Constant(0.1)(1.5), TypeError, "'count'"),  # a float count: a type error
    ],
)
def test_errors(make: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        make()


@pytest.mark.parametrize("warmup", [-1, 6, 100])
def test_cosine_warmup_out_of_range_states_the_real_range(warmup: int) -> None:
    # below 0 and past total_steps - 1 get the same range, [0, total_steps - 1]
    expected = r"'warmup' parameter of Cosine must be an int in the range \[0, 5\]"
    with pytest.raises(ValueError, match=expected):
        lr.Cosine(1.0, total_steps=6, warmup=warmup)
