"""fit is the reference loop of the Training page, plus recording, callbacks, progress, checkpoints.

The oracle is the loop a student types, written here with the public API
only; ``fit`` must give the same bits: final parameters, optimizer state,
every batch loss and every learning rate. A run resumed from a checkpoint at
any step must give what the uninterrupted run gives, epoch records included.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import minigd
from minigd import Schedule, fit
from minigd.lr import Cosine, StepDecay
from minigd.models import MLP, LinearRegression, Model, SoftmaxRegression
from minigd.optim import SGD, Adagrad, Adam, AdamW, Optimizer, RMSprop

N = 24
X, Y = minigd.datasets.make_regression(N, 3, noise=0.1, seed=4)
X_BLOBS, Y_BLOBS = minigd.datasets.make_blobs(N, 3, centers=3, seed=4)


def reference_loop(
    model: Model, X: Any, y: Any, schedule: Schedule, optimizer: Optimizer, seed: int
) -> tuple[dict[str, np.ndarray], Any, list[float], list[float]]:
    """The Training page's loop, with the general averaging over ``batch.parts``."""
    params = model.init_params(seed)
    state = optimizer.init(params)
    losses, lrs = [], []
    for batch in schedule.batches(seed):
        results = [model.loss_and_grad(params, X[rows], y[rows]) for rows in batch.parts]
        loss = sum(part_loss for part_loss, _ in results) / len(results)
        grads = {name: sum(part[name] for _, part in results) / len(results) for name in params}
        lrs.append(optimizer.lr_at(state.step, batch.epoch))  # the rate update uses
        params, state = optimizer.update(params, grads, state, epoch=batch.epoch)
        losses.append(loss)
    return params, state, losses, lrs


def optimizers() -> dict[str, Optimizer]:
    return {
        "sgd": SGD(lr=0.05),
        "sgd-nesterov": SGD(lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3),
        "sgd-dampening": SGD(lr=0.05, momentum=0.5, dampening=0.3, maximize=False),
        "adagrad": Adagrad(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1),
        "rmsprop": RMSprop(lr=0.01, momentum=0.5, centered=True, weight_decay=1e-3),
        "adam": Adam(lr=0.05, amsgrad=True),
        "adamw": AdamW(lr=0.05),
        "sgd-lr-per-step": SGD(lr=Cosine(0.1, total_steps=40, warmup=3)),
        "adam-lr-per-epoch": Adam(lr=StepDecay(0.05, step_size=1, gamma=0.5)),
    }


SCHEDULES: dict[str, Schedule] = {
    "gd": Schedule(N, N, 4),
    "gd-over-batch": Schedule(N, 100, 3),
    "mini-batch": Schedule(N, 5, 3),
    "sgd": Schedule(N, 1, 2),
    "draw-sgd": Schedule(N, 1, 20, epoch="draw"),
    "draw-mini": Schedule(N, 5, 10, epoch="draw"),
    "draw-sequential": Schedule(N, 5, 10, epoch="draw", sampling="sequential"),
    "draw-replacement": Schedule(N, 5, 10, epoch="draw", sampling="replacement"),
    "sequential": Schedule(N, 5, 3, sampling="sequential"),
    "replacement": Schedule(N, 5, 3, sampling="replacement"),
    "gd-replacement": Schedule(N, N, 3, sampling="replacement"),
    "drop-last": Schedule(N, 5, 3, drop_last=True),
    "steps-cap": Schedule(N, 5, 4, steps_per_epoch=3),
    "max-steps": Schedule(N, 5, 4, max_steps=11),
    "accumulate-3": Schedule(N, 2, 3, accumulate=3),
    "accumulate-across": Schedule(N, 5, 3, accumulate=3, accumulate_across_epochs=True),
    "replicas-3": Schedule(N, 2, 2, world_size=3),
    "accumulate-and-replicas": Schedule(N, 2, 2, accumulate=2, world_size=2),
    "draw-accumulate": Schedule(N, 3, 6, epoch="draw", accumulate=3),
}

CASES = [(o, s) for o in optimizers() for s in ("mini-batch", "gd", "sgd", "accumulate-3")] + [
    (o, s) for o in ("sgd", "adam", "adam-lr-per-epoch") for s in SCHEDULES
]


def assert_same_run(result: minigd.FitResult, expected: tuple[Any, Any, Any, Any]) -> None:
    params, state, losses, lrs = expected
    assert sorted(result.params) == sorted(params)
    for name in params:
        np.testing.assert_array_equal(result.params[name], params[name], strict=True)
    assert result.state.step == state.step == len(losses)
    assert result.state.slots.keys() == state.slots.keys()
    for name, slots in state.slots.items():
        assert result.state.slots[name].keys() == slots.keys()
        for slot, value in slots.items():
            np.testing.assert_array_equal(result.state.slots[name][slot], value, strict=True)
    np.testing.assert_array_equal(result.history["loss"], np.array(losses), strict=True)
    np.testing.assert_array_equal(result.history["lr"], np.array(lrs), strict=True)


@pytest.mark.parametrize(("opt", "schedule"), sorted(set(CASES)))
def test_fit_is_the_reference_loop(opt: str, schedule: str) -> None:
    s = SCHEDULES[schedule]
    model = LinearRegression(3)
    expected = reference_loop(model, X, Y, s, optimizers()[opt], seed=7)
    assert_same_run(fit(model, X, Y, s, optimizers()[opt], seed=7), expected)


@pytest.mark.parametrize(
    ("model", "y"),
    [
        (SoftmaxRegression(3, 3), Y_BLOBS),
        (MLP(3, hidden=(4,), n_outputs=3, loss="cross_entropy"), Y_BLOBS),
        (MLP(3, hidden=(4, 2), activation="relu"), Y),
    ],
    ids=["softmax", "mlp-classifier", "mlp-regression"],
)
@pytest.mark.parametrize("schedule", ["mini-batch", "gd", "replicas-3"])
def test_fit_is_the_reference_loop_for_every_model(model: Model, y: Any, schedule: str) -> None:
    s = SCHEDULES[schedule]
    Xm = X_BLOBS if y is Y_BLOBS else X
    expected = reference_loop(model, Xm, y, s, Adam(lr=0.05), seed=3)
    assert_same_run(fit(model, Xm, y, s, Adam(lr=0.05), seed=3), expected)


def test_flags_change_no_bit(tmp_path: Path) -> None:
    s = Schedule(N, N, 5)  # GD: the epoch's training loss is the next update's batch loss
    base = fit(LinearRegression(3), X, Y, s, Adam(lr=0.05), seed=1)
    noisy = fit(
        LinearRegression(3),
        X,
        Y,
        s,
        Adam(lr=0.05),
        seed=1,
        verbose=2,
        callbacks=[minigd.Callback()],
        checkpoint=tmp_path / "run.npz",
        checkpoint_every=2,
    )
    for name in base.params:
        np.testing.assert_array_equal(base.params[name], noisy.params[name], strict=True)
    for column in base.history.columns:
        np.testing.assert_array_equal(base.history[column], noisy.history[column], strict=True)
    for column, values in base.history.epochs.items():
        np.testing.assert_array_equal(values, noisy.history.epochs[column], strict=True)


def test_full_batch_on_x_itself_equals_the_gathered_rows() -> None:
    # a pass that is one batch takes every row in order: fit may read X itself
    s = Schedule(N, N, 1)
    batch = next(s.batches(seed=5))
    np.testing.assert_array_equal(batch.indices, np.arange(N))
    model, params = LinearRegression(3), LinearRegression(3).init_params(2)
    on_x = model.loss_and_grad(params, X, Y)
    on_rows = model.loss_and_grad(params, X[batch.indices], Y[batch.indices])
    assert on_x[0] == on_rows[0]
    for name in params:
        np.testing.assert_array_equal(on_x[1][name], on_rows[1][name], strict=True)


class PowerCut(Exception):  # noqa: N818 (a simulated crash)
    """A crash after update ``at`` (its checkpoint is on disk)."""


class CutAfter:
    def __init__(self, at: int) -> None:
        self.at = at

    def on_step_end(self, info: minigd.StepInfo) -> None:
        if info.step_index == self.at:
            raise PowerCut


RESUME_SCHEDULES = {
    "mini-batch": Schedule(20, 5, 3),
    "ragged": Schedule(22, 5, 3),
    "accumulate-across": Schedule(20, 3, 3, accumulate=3, accumulate_across_epochs=True),
}


@pytest.mark.parametrize("every", [1, None], ids=["every-step", "every-epoch"])
@pytest.mark.parametrize("schedule", sorted(RESUME_SCHEDULES))
def test_resume_from_every_step_equals_the_uninterrupted_run(
    tmp_path: Path, schedule: str, every: int | None
) -> None:
    s = RESUME_SCHEDULES[schedule]
    n = s.n_samples
    Xs, ys = X[:n], Y[:n]
    args = (LinearRegression(3), Xs, ys, s, Adam(lr=StepDecay(0.05, step_size=1, gamma=0.5)))
    full = fit(*args, seed=2)
    expected = reference_loop(*args, seed=2)
    assert_same_run(full, expected)
    path = tmp_path / "run.npz"
    for cut in range(s.total_steps):
        path.unlink(missing_ok=True)
        with contextlib.suppress(PowerCut):
            fit(*args, seed=2, checkpoint=path, checkpoint_every=every, callbacks=[CutAfter(cut)])
        if not path.exists():  # cut before the first save (per-epoch saves)
            continue
        saved = tmp_path / f"saved-{cut}.npz"
        shutil.copy(path, saved)
        resumed = fit(*args, seed=2, checkpoint=saved, checkpoint_every=every, resume=True)
        assert_same_run(resumed, expected)
        for column, values in full.history.epochs.items():
            np.testing.assert_array_equal(resumed.history.epochs[column], values, strict=True)
