"""Keras runs minigd's schedule: ``model.fit(ScheduleDataset(...))`` against ``minigd.fit``.

A one-layer Keras model (torch backend, float64) starts from minigd's
initial parameters and trains on ``ScheduleDataset``; ``optimizer.iterations``
must be ``total_steps`` and the weights ``minigd.fit``'s to rtol=1e-9 with
SGD (plain and with momentum) and with Adam where Keras's formula is torch's
(``epsilon=0``). Keras's Adam with ``epsilon > 0`` follows its own formula,
checked here against a hand-written loop.

Keras 3.15 on the torch backend computes ``ops.matmul`` (so ``Dense``),
``ops.mean`` (so ``"mse"``) and ``ops.divide_no_nan`` (so a loss's
``"sum_over_batch_size"`` reduction) in float32 even under
``set_floatx("float64")``: its ``result_type`` maps float64 to float32 off
TensorFlow. The model is therefore ``EinsumDense`` with a loss that sums and
divides in float64; ``Dense`` with ``"mse"`` is measured too.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pytest

import minigd
from tests.conftest import require

pytestmark = pytest.mark.conformance
os.environ.setdefault("KERAS_BACKEND", "torch")
keras: Any = require("keras")
keras.config.set_floatx("float64")

from minigd.integrations.keras import ScheduleDataset  # noqa: E402
from tests.conformance.engine_cases import MODEL, SCHEDULES, SEED, X, Y, relative  # noqa: E402

RTOL = 1e-9
LARGEST = {"matching formulas": 0.0}

# minigd optimizer, Keras optimizer: the same formula
OPTIMIZERS = {
    "SGD": (lambda: minigd.optim.SGD(lr=0.05), lambda: keras.optimizers.SGD(0.05)),
    "SGD momentum": (
        lambda: minigd.optim.SGD(lr=0.05, momentum=0.9),
        lambda: keras.optimizers.SGD(0.05, momentum=0.9),
    ),
    "Adam eps=0": (
        lambda: minigd.optim.Adam(lr=0.05, eps=0.0),
        lambda: keras.optimizers.Adam(0.05, epsilon=0.0),
    ),
    "Adam amsgrad eps=0": (
        lambda: minigd.optim.Adam(lr=0.05, eps=0.0, amsgrad=True),
        lambda: keras.optimizers.Adam(0.05, epsilon=0.0, amsgrad=True),
    ),
}


def mean_squared_error(y_true: Any, y_pred: Any) -> Any:
    """minigd's loss in float64 on every backend: summed, then divided by the batch size."""
    residual = keras.ops.reshape(y_pred, (-1,)) - keras.ops.reshape(y_true, (-1,))
    return keras.ops.sum(residual**2) / residual.shape[0]


def keras_fit(schedule: minigd.Schedule, optimizer: Any, *, dense: bool = False) -> Any:
    start = MODEL.init_params(SEED)
    layer = (
        keras.layers.Dense(1)
        if dense
        else keras.layers.EinsumDense("ab,bc->ac", output_shape=1, bias_axes="c")
    )
    model = keras.Sequential([keras.Input((3,)), layer])
    layer.set_weights([start["weight"][:, None], start["bias"]])
    model.compile(optimizer=optimizer, loss="mse" if dense else mean_squared_error)
    data = ScheduleDataset(X, Y, schedule, seed=SEED)
    model.fit(data, epochs=schedule.epochs, shuffle=False, verbose=0)
    weight, bias = layer.get_weights()
    return model, {"weight": weight[:, 0], "bias": bias}


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("schedule", list(SCHEDULES))
def test_keras_fit_ends_where_minigd_fit_ends(schedule: str, optimizer: str) -> None:
    s = SCHEDULES[schedule]
    mine, theirs = OPTIMIZERS[optimizer]
    fitted = minigd.fit(MODEL, X, Y, s, mine(), seed=SEED)
    model, params = keras_fit(s, theirs())
    assert int(model.optimizer.iterations) == s.total_steps
    for key in ("weight", "bias"):
        np.testing.assert_allclose(params[key], fitted.params[key], rtol=RTOL, atol=0)
    LARGEST["matching formulas"] = max(
        LARGEST["matching formulas"], relative(params, fitted.params)
    )


def keras_adam_by_hand(schedule: minigd.Schedule, lr: float, eps: float) -> dict[str, Any]:
    """Keras's Adam (keras/src/optimizers/adam.py), written out over the schedule's batches:
    alpha_t = lr * sqrt(1 - b2^t) / (1 - b1^t), theta -= alpha_t * m / (sqrt(v) + eps)."""
    b1, b2 = 0.9, 0.999
    params = MODEL.init_params(SEED)
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v = {k: np.zeros_like(p) for k, p in params.items()}
    for t, batch in enumerate(schedule.batches(SEED), start=1):
        _, grads = MODEL.loss_and_grad(params, X[batch.indices], Y[batch.indices])
        alpha = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
        for k in params:
            m[k] = m[k] + (grads[k] - m[k]) * (1 - b1)
            v[k] = v[k] + (grads[k] ** 2 - v[k]) * (1 - b2)
            params[k] = params[k] - alpha * m[k] / (np.sqrt(v[k]) + eps)
    return params


def test_keras_adam_with_epsilon_is_its_own_formula() -> None:
    """Where Keras's Adam is not torch's: epsilon is added to sqrt(v) before bias correction."""
    s = SCHEDULES["mini-batch"]
    _, params = keras_fit(s, keras.optimizers.Adam(0.05))  # epsilon=1e-7, its default
    by_hand = keras_adam_by_hand(s, 0.05, 1e-7)
    torch_formula = minigd.fit(MODEL, X, Y, s, minigd.optim.Adam(lr=0.05, eps=1e-7), seed=SEED)
    for key in ("weight", "bias"):
        np.testing.assert_allclose(params[key], by_hand[key], rtol=RTOL, atol=0)
    LARGEST["Adam epsilon=1e-7, Keras vs torch's formula"] = relative(params, torch_formula.params)
    assert LARGEST["Adam epsilon=1e-7, Keras vs torch's formula"] > RTOL


def test_dense_and_mse_compute_in_float32_on_the_torch_backend() -> None:
    s = SCHEDULES["mini-batch"]
    fitted = minigd.fit(MODEL, X, Y, s, minigd.optim.SGD(lr=0.05), seed=SEED)
    _, params = keras_fit(s, keras.optimizers.SGD(0.05), dense=True)
    LARGEST["Dense with 'mse'"] = relative(params, fitted.params)
    assert 1e-12 < LARGEST["Dense with 'mse'"] < 1e-5


def test_shuffle_true_is_refused_rather_than_reordering_the_schedule() -> None:
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    data = ScheduleDataset(X, Y, minigd.Schedule(23, 2, 1), seed=SEED)
    keras.utils.set_random_seed(0)
    with pytest.raises(ValueError, match=r"Pass shuffle=False"):
        model.fit(data, epochs=1, verbose=0)  # shuffle=True: Keras's default


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        (
            (X, Y, "schedule"),
            TypeError,
            "'schedule' parameter of ScheduleDataset must be a minigd Schedule",
        ),
        ((X[:5], Y, minigd.Schedule(23, 5, 2)), ValueError, "'X' parameter .* 23 rows. Got 5"),
        ((X, None, minigd.Schedule(23, 5, 2)), TypeError, "'y' parameter .* an array"),
        (
            (X, Y, minigd.Schedule(23, 5, 2, accumulate=2)),
            ValueError,
            r"'schedule' parameter of ScheduleDataset must have accumulate=1 .* Got accumulate=2",
        ),
        (
            (X, Y, minigd.Schedule(23, 5, 2, world_size=2)),
            ValueError,
            r"must have world_size=1 .* Got world_size=2",
        ),
        (
            (X, Y, minigd.Schedule(23, 5, 2, max_steps=3)),
            ValueError,
            r"epochs \* steps_per_epoch = 10 \(use epochs, not max_steps\)\. Got total_steps=3",
        ),
        ((X, Y, minigd.Schedule(23, 5, 2), -1), ValueError, "'seed' parameter"),
    ],
)
def test_bad_arguments(arguments: tuple[Any, ...], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        ScheduleDataset(*arguments)


def test_inputs_are_not_modified_and_batches_follow_the_schedule() -> None:
    s = SCHEDULES["mini-batch"]
    X_before = X.copy()
    data = ScheduleDataset(X, Y, s, seed=SEED)
    first = next(s.batches(SEED))
    assert np.array_equal(data[0][0], X[first.indices])
    assert np.array_equal(X, X_before)
    assert len(data) == s.steps_per_epoch


def test_report_the_largest_difference() -> None:
    print(f"\nlargest relative difference, Keras vs minigd.fit: {LARGEST}")
    assert LARGEST["matching formulas"] < RTOL
