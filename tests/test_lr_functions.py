"""Learning rates as plain functions of the count (optax's convention) and ``lr.Lambda``."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import minigd
from minigd import lr
from minigd.optim import SGD

X, Y = minigd.datasets.make_regression(30, 2, noise=0.1, seed=0)
MODEL = minigd.models.LinearRegression(2)


def inverse(k: int) -> float:
    return 0.1 / (1 + k)


def test_a_plain_function_is_the_rate_of_the_count_and_the_first_update_uses_f0() -> None:
    opt = SGD(lr=inverse)
    assert isinstance(opt.lr, lr.Lambda)
    assert opt.lr.unit == "step"
    assert [opt.lr_at(k) for k in range(4)] == [0.1, 0.05, 0.1 / 3, 0.025]
    params = {"w": np.array([1.0])}
    new, state = opt.update(params, {"w": np.array([2.0])}, opt.init(params))
    assert new["w"][0] == 1.0 - 0.1 * 2.0  # a hand-written step with f(0)
    new, _ = opt.update(new, {"w": np.array([2.0])}, state)
    assert new["w"][0] == (1.0 - 0.1 * 2.0) - 0.05 * 2.0


def test_fit_records_the_function_values_per_update_and_per_epoch() -> None:
    s = minigd.Schedule(30, 7, 3)  # 5 updates per epoch
    by_step = minigd.fit(MODEL, X, Y, s, SGD(lr=inverse), seed=1).history
    assert by_step["lr"].tolist() == [inverse(k) for k in range(15)]
    by_epoch = minigd.fit(
        MODEL, X, Y, s, SGD(lr=lr.Lambda(lambda e: 0.5**e, unit="epoch")), seed=1
    ).history
    assert by_epoch["lr"].tolist() == [0.5 ** (k // 5) for k in range(15)]


def test_a_function_of_the_epoch_needs_the_epoch() -> None:
    opt = SGD(lr=lr.Lambda(lambda e: 0.1, unit="epoch"))
    with pytest.raises(TypeError, match="counts epochs"):
        opt.lr_at(3)
    assert opt.lr_at(3, epoch=1) == 0.1


@pytest.mark.parametrize(
    ("value", "shown"),
    [(math.nan, "nan"), (math.inf, "inf"), (-0.1, "-0.1"), ("0.1", "'0.1'"), (None, "None")],
)
def test_a_bad_rate_names_the_count(value: Any, shown: str) -> None:
    opt = SGD(lr=lambda k: 0.1 if k < 3 else value)
    assert opt.lr_at(2) == 0.1
    with pytest.raises(ValueError, match=f"returned {shown}.* at step 3; a learning rate must be"):
        opt.lr_at(3)
    with pytest.raises(ValueError, match="at step 3"):
        minigd.fit(MODEL, X, Y, minigd.Schedule(30, 10, 2), opt, seed=0)


def test_lambda_arguments_are_checked() -> None:
    with pytest.raises(TypeError, match="'function' parameter of Lambda must be a callable"):
        lr.Lambda(0.1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'unit' parameter of Lambda"):
        lr.Lambda(inverse, unit="batch")
    assert lr.Lambda(inverse) == lr.Lambda(inverse) != lr.Lambda(inverse, unit="epoch")
    assert lr.Lambda(inverse).config()["function"].endswith("test_lr_functions.inverse")


class StopAfterEpoch(minigd.Callback):
    def on_epoch_end(self, info: minigd.EpochInfo) -> None:
        if info.epoch == 1:
            raise minigd.StopTraining


def run(path: Path, function: Any, *, resume: bool = False) -> Any:
    """Schedule(30, 10, 4): 12 updates; without resume it stops after epoch 1's checkpoint."""
    s = minigd.Schedule(30, 10, 4)
    callbacks = [] if resume else [StopAfterEpoch()]
    opt = SGD(lr=function)
    return minigd.fit(
        MODEL, X, Y, s, opt, seed=0, checkpoint=path, resume=resume, callbacks=callbacks
    )


def test_resume_continues_with_the_same_function(tmp_path: Path) -> None:
    path = tmp_path / "run.npz"
    whole = minigd.fit(MODEL, X, Y, minigd.Schedule(30, 10, 4), SGD(lr=inverse), seed=0)
    run(path, inverse)
    ck = minigd.checkpoint.load_checkpoint(path)
    meta = ck.meta["lr"]
    assert ck.meta["step"] == 6
    assert meta["counts"] == [0, 1, 5, 11]
    assert meta["values"] == [inverse(k) for k in (0, 1, 5, 11)]
    again = run(path, inverse, resume=True)
    assert np.array_equal(again.params["weight"], whole.params["weight"])
    assert again.history["lr"].tolist() == [inverse(k) for k in range(12)]


def test_resume_refuses_another_function_and_names_the_differing_value(tmp_path: Path) -> None:
    path = tmp_path / "run.npz"
    run(path, inverse)

    def inverse_changed(k: int) -> float:  # the same values but at the last update
        return 0.1 / (1 + k) if k < 11 else 0.001

    inverse_changed.__qualname__ = inverse.__qualname__
    inverse_changed.__module__ = inverse.__module__
    with pytest.raises(ValueError, match=r"gave 0\.00833\d+ at step 11; .*inverse gives 0\.001"):
        run(path, inverse_changed, resume=True)
    with pytest.raises(ValueError, match=r"made with the function .*inverse as the learning rate"):
        run(path, lambda k: 0.1 / (1 + k), resume=True)
    with pytest.raises(ValueError, match=r"made with the function .*; this run has none"):
        run(path, 0.1, resume=True)
