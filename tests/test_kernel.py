"""fit's fused step for least squares with plain SGD is the two public calls, bit for bit.

The oracle is ``LinearRegression.loss_and_grad`` followed by ``SGD.update``
(the Training page's loop); the fused step must return the same loss, the
same parameters and the same optimizer state, for any batch size, width,
memory layout and rate, and ``fit`` must pick it exactly where it applies.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import minigd
from minigd import Schedule, _kernel
from minigd.batching import Batch
from minigd.models import LinearRegression, LogisticRegression
from minigd.optim import SGD, Adam


def random_case(rng: np.random.Generator) -> dict[str, Any]:
    n, d = int(rng.integers(2, 120)), int(rng.integers(1, 40))
    X = rng.normal(scale=10.0 ** rng.uniform(-3, 3), size=(n, d))
    if rng.random() < 0.3:
        X = np.asfortranarray(X)
    y = rng.normal(scale=10.0 ** rng.uniform(-3, 3), size=2 * n)[::2]  # not contiguous
    rows = rng.choice(n, size=int(rng.integers(1, n)), replace=bool(rng.random() < 0.3))
    params = {"weight": rng.normal(size=d), "bias": rng.normal(size=1)}
    return {"X": X, "y": y, "rows": rows, "params": params, "lr": 10.0 ** rng.uniform(-4, 0)}


@pytest.mark.parametrize("case", range(300))
def test_fused_step_is_loss_and_grad_then_update(case: int) -> None:
    c = random_case(np.random.default_rng(case))
    model, sgd = LinearRegression(c["X"].shape[1]), SGD(lr=c["lr"])
    state = sgd.init(c["params"])
    loss, grads = model.loss_and_grad(c["params"], c["X"][c["rows"]], c["y"][c["rows"]])
    params, new_state = sgd.update(c["params"], grads, state)

    before = {name: value.copy() for name, value in c["params"].items()}
    step = _kernel.LeastSquaresSGD(sgd, c["X"], c["y"], on_divergence=print)
    batch = Batch(0, 0, 0, c["rows"], len(c["rows"]))
    fused_loss, fused_params, fused_state = step(c["params"], state, batch, c["lr"])

    assert fused_loss == loss
    assert fused_params.keys() == params.keys()
    for name in params:
        np.testing.assert_array_equal(fused_params[name], params[name], strict=True)
    assert fused_state == new_state
    # the state it issues is one SGD.update trusts, and the inputs are untouched
    sgd.update(fused_params, grads, fused_state)
    for name, value in before.items():
        np.testing.assert_array_equal(c["params"][name], value, strict=True)


def test_a_non_finite_loss_is_reported_before_the_update() -> None:
    X, y = np.array([[1e200], [1.0]]), np.array([0.0, 1.0])
    seen = []

    def on_divergence(X: Any, batch: Batch, lr: float) -> None:
        seen.append((batch.step, lr))
        raise FloatingPointError

    step = _kernel.LeastSquaresSGD(SGD(lr=0.1), X, y, on_divergence)
    params = {"weight": np.array([1e200]), "bias": np.zeros(1)}
    with np.errstate(over="ignore"), pytest.raises(FloatingPointError):
        step(params, SGD(lr=0.1).init(params), Batch(0, 3, 3, np.array([0]), 1), 0.1)
    assert seen == [(3, 0.1)]


@pytest.mark.parametrize(
    ("model", "optimizer", "schedule", "fused"),
    [
        (LinearRegression(2), SGD(lr=0.1), Schedule(10, 3, 2), True),
        (LinearRegression(2), SGD(lr=0.1), Schedule(10, 1, 2, epoch="draw"), True),
        (LinearRegression(2), SGD(lr=0.1), Schedule(10, 10, 2), False),  # GD reads X itself
        (LinearRegression(2), SGD(lr=0.1), Schedule(10, 3, 2, accumulate=2), False),
        (LinearRegression(2), SGD(lr=0.1), Schedule(10, 3, 2, world_size=2), False),
        (LinearRegression(2), SGD(lr=0.1, momentum=0.9), Schedule(10, 3, 2), False),
        (LinearRegression(2), SGD(lr=0.1, weight_decay=0.1), Schedule(10, 3, 2), False),
        (LinearRegression(2), SGD(lr=0.1, maximize=True), Schedule(10, 3, 2), False),
        (LinearRegression(2), Adam(), Schedule(10, 3, 2), False),
        (LogisticRegression(2), SGD(lr=0.1), Schedule(10, 3, 2), False),
    ],
)
def test_fit_fuses_only_least_squares_with_plain_sgd(
    model: Any, optimizer: Any, schedule: Schedule, fused: bool
) -> None:
    X, y = np.zeros((10, 2)), np.zeros(10)
    step = _kernel.for_run(model, optimizer, schedule, X, y, print)
    assert (step is not None) == fused


def assert_fit_is_the_two_calls(X: Any, y: Any, s: Schedule, sgd: SGD, seed: int) -> None:
    """``fit`` on the fused step gives the Training page's loop's bits: params, state, record."""
    model = LinearRegression(X.shape[1])
    assert _kernel.for_run(model, sgd, s, X, y, print) is not None  # the fused step runs
    result = minigd.fit(model, X, y, s, sgd, seed=seed)
    params = model.init_params(seed)
    state = sgd.init(params)
    losses, lrs = [], []
    for batch in s.batches(seed):
        lrs.append(sgd.lr_at(state.step, batch.epoch))
        loss, grads = model.loss_and_grad(params, X[batch.indices], y[batch.indices])
        params, state = sgd.update(params, grads, state, epoch=batch.epoch)
        losses.append(loss)
    for name in params:
        np.testing.assert_array_equal(result.params[name], params[name], strict=True)
    assert result.state == state
    np.testing.assert_array_equal(result.history["loss"], np.array(losses), strict=True)
    np.testing.assert_array_equal(result.history["lr"], np.array(lrs, dtype=float), strict=True)


def test_fit_with_the_fused_step_is_the_two_calls_over_a_run() -> None:
    # the reference-loop test covers every schedule; this one a long SGD run with a schedule
    X, y = minigd.datasets.make_regression(50, 4, noise=0.5, seed=1)
    s = Schedule(50, 1, 8)
    assert_fit_is_the_two_calls(X, y, s, SGD(lr=minigd.lr.Cosine(0.05, total_steps=400)), 3)


def _read_only(a: np.ndarray) -> np.ndarray:
    a = a.copy()
    a.flags.writeable = False
    return a


_X, _Y = minigd.datasets.make_regression(40, 6, noise=0.1, seed=2)
LAYOUTS = {
    "fortran": (np.asfortranarray(_X), _Y),
    "every-other-column": (np.repeat(_X, 2, axis=1)[:, ::2], _Y),
    "every-other-row": (np.repeat(_X, 2, axis=0)[::2], _Y[::-1]),
    "read-only": (_read_only(_X), _read_only(_Y)),
    "float32-X": (_X.astype(np.float32), _Y),
    "int-X-and-y": ((_X * 10).astype(np.int64), (_Y * 10).astype(np.int32)),
}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("batch_size", [1, 7, 39])
def test_fit_is_the_two_calls_on_any_layout_and_dtype_of_the_data(
    layout: str, batch_size: int
) -> None:
    # fit converts X and y once; the loop converts each batch: the same bits
    X, y = LAYOUTS[layout]
    assert_fit_is_the_two_calls(X, y, Schedule(40, batch_size, 2), SGD(lr=1e-3), 1)


class _Float32Rate(minigd.lr.LRSchedule):
    """A schedule of one's own whose rate is a numpy float32, not a Python float."""

    unit = "step"

    def _value(self, count: int) -> float:
        return np.float32(0.05) / np.float32(count + 1)  # type: ignore[return-value]

    def _args(self) -> dict[str, Any]:
        return {}


def test_a_numpy_rate_gives_the_two_calls_bits_and_float64_parameters() -> None:
    # SGD.update multiplies float64 arrays by the rate, so a float32 rate acts as
    # the float64 of its value; the fused step must not compute the bias in float32
    X, y = minigd.datasets.make_regression(30, 3, noise=0.1, seed=0)
    assert_fit_is_the_two_calls(X, y, Schedule(30, 4, 3), SGD(lr=_Float32Rate()), 5)


@pytest.mark.parametrize("fused", [True, False])
def test_starting_parameters_of_an_array_subclass_start_as_plain_arrays(fused: bool) -> None:
    # a MaskedArray carries its class and mask into every product: with a masked
    # value numpy's broadcast error came out of fit (at step 0 on the two calls, at
    # the epoch's end on the fused step). fit takes its values, as it takes X's
    X, y = minigd.datasets.make_regression(20, 2, noise=0.1, seed=0)
    s, sgd = Schedule(20, 3, 2), SGD(lr=0.05)
    start = {"weight": np.array([0.1, 0.2]), "bias": np.array([0.3])}
    masked = {"weight": np.ma.array(start["weight"], mask=[False, True]), "bias": start["bias"]}
    model = LinearRegression(2) if fused else type("Plain", (LinearRegression,), {})(2)
    result = minigd.fit(model, X, y, s, sgd, params=masked)
    params, state = start, sgd.init(start)
    for batch in s.batches(0):
        _, grads = LinearRegression(2).loss_and_grad(params, X[batch.indices], y[batch.indices])
        params, state = sgd.update(params, grads, state, epoch=batch.epoch)
    for name in params:
        np.testing.assert_array_equal(result.params[name], params[name], strict=True)
        assert type(result.params[name]) is np.ndarray


@pytest.mark.parametrize(
    ("owner", "name", "value"),
    [
        ("optimizer", "weight_decay", 0.1),
        ("optimizer", "maximize", True),
        ("optimizer", "momentum", 0.9),
        ("optimizer", "lr", -5.0),
        ("model", "n_features", 4),
    ],
)
def test_a_hyperparameter_changed_mid_run_is_refused(owner: str, name: str, value: Any) -> None:
    # fit chooses its step (fused or the two calls) once, and an optimizer state's
    # slots follow the hyperparameters it was made with: a change mid-run would
    # reach one path and not the other, so it is refused, with what to do instead
    X, y = minigd.datasets.make_regression(30, 3, noise=0.1, seed=0)
    s, sgd, model = Schedule(30, 4, 3), SGD(lr=0.05), LinearRegression(3)
    target = sgd if owner == "optimizer" else model

    class ChangeAfterEpochZero:
        def on_epoch_end(self, info: Any) -> None:
            setattr(target, name, value)

    with pytest.raises(AttributeError, match=rf"'{name}' is fixed when it is made.*make a new"):
        minigd.fit(model, X, y, s, sgd, seed=5, callbacks=[ChangeAfterEpochZero()])
    assert getattr(target, name) != value


def test_underflow_is_arithmetic_even_when_numpy_raises_on_it() -> None:
    # tiny data underflows to zero in the products; a user's np.seterr(under="raise")
    # must not turn that into numpy's FloatingPointError from inside fit, on either path
    X, y = np.full((6, 2), 1e-200), np.full(6, 1e-200)
    start = {"weight": np.full(2, 1e-200), "bias": np.zeros(1)}  # X @ weight underflows

    class Plain(LinearRegression):  # a subclass runs the two calls, not the fused step
        pass

    s = Schedule(6, 2, 2)
    with np.errstate(under="raise"):
        fused = minigd.fit(LinearRegression(2), X, y, s, SGD(lr=0.1), seed=0, params=start)
        plain = minigd.fit(Plain(2), X, y, s, SGD(lr=0.1), seed=0, params=start)
        assert np.geterr()["under"] == "raise"
    for name in fused.params:
        np.testing.assert_array_equal(fused.params[name], plain.params[name], strict=True)
