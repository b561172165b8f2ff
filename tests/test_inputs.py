"""Arithmetic and inputs at the edges: each gives the right value or a clear error.

Overflowing and zero-length learning-rate schedules, counts of the wrong type,
wide classification data, timedelta64 and ragged inputs, inputs that overflow
the loss before any update, misconfigured callbacks, and states that
``Optimizer.update`` must not trust.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigd
from minigd import DivergenceError, EarlyStopping, Schedule, StepInfo, fit
from minigd.lr import Exponential, LRSchedule, OneCycle, RateOverflowError, StepDecay
from minigd.models import LinearRegression, SoftmaxRegression
from minigd.optim import SGD, Adagrad, Adam, OptimizerState, RMSprop

X, Y = minigd.datasets.make_regression(20, 2, seed=0)
X_BLOBS, Y_BLOBS = minigd.datasets.make_blobs(20, 2, centers=3, seed=0)


# --- learning-rate schedules ------------------------------------------------------


@given(
    kind=st.sampled_from(["exponential", "step"]),
    lr=st.floats(1e-300, 1e300),
    gamma=st.floats(0.0, 1e10),
    count=st.integers(0, 10**6),
)
def test_a_schedule_gives_a_finite_rate_or_says_it_overflows(
    kind: str, lr: float, gamma: float, count: int
) -> None:
    schedule = Exponential(lr, gamma) if kind == "exponential" else StepDecay(lr, 3, gamma)
    k = count if kind == "exponential" else count // 3
    try:
        exact = lr * gamma**k  # the oracle: Python's float arithmetic
    except OverflowError:
        exact = math.inf
    if math.isfinite(exact):
        assert schedule(count) == exact
        return
    with pytest.raises(RateOverflowError, match=rf"at count {count} is past the largest float"):
        schedule(count)


@pytest.mark.parametrize("count", [1.5, "3", None, True, np.float64(2.0), [1]])
def test_a_count_of_the_wrong_type_is_a_type_error(count: Any) -> None:
    for schedule in (Exponential(0.1, 0.5), StepDecay(0.1, 2), OneCycle(1.0, 10)):
        with pytest.raises(TypeError, match=r"'count' parameter of \w+ must be an int"):
            schedule(count)
    with pytest.raises(ValueError, match=r"'count' .* Got -1 instead"):
        Exponential(0.1, 0.5)(-1)
    assert Exponential(1.0, 0.5)(np.int64(2)) == 0.25  # numpy ints are ints


def torch_one_cycle(max_lr: float, total: int, pct: float, three: bool, anneal: str) -> Any:
    """OneCycleLR's phase formula, as torch writes it (the oracle for the finite cases)."""
    initial, final = max_lr / 25.0, max_lr / 25.0 / 1e4
    if three:
        ends = [pct * total - 1, 2 * pct * total - 2, total - 1.0]
        rates = [(initial, max_lr), (max_lr, initial), (initial, final)]
    else:
        ends, rates = [pct * total - 1, total - 1.0], [(initial, max_lr), (max_lr, final)]

    def rate(count: int) -> float:
        start = 0.0
        for i, end in enumerate(ends):
            if count <= end or i == len(ends) - 1:
                a, b = rates[i]
                p = (count - start) / (end - start)
                if anneal == "cos":
                    return b + (a - b) / 2.0 * (math.cos(math.pi * p) + 1)
                return (b - a) * p + a
            start = end
        raise AssertionError

    return rate


@given(
    total=st.integers(1, 200),
    pct=st.one_of(st.floats(0.0, 1.0), st.integers(0, 200).map(lambda k: k / 200)),
    three=st.booleans(),
    anneal=st.sampled_from(["cos", "linear"]),
)
def test_one_cycle_refuses_a_zero_length_phase_and_is_finite_otherwise(
    total: int, pct: float, three: bool, anneal: str
) -> None:
    oracle = torch_one_cycle(1.0, total, pct, three, anneal)
    try:
        expected = [oracle(k) for k in range(total + 1)]
    except ZeroDivisionError:  # torch's bug: a phase of zero length
        with pytest.raises(ValueError, match=r"'pct_start' parameter of OneCycle makes phase"):
            OneCycle(1.0, total, pct_start=pct, three_phase=three, anneal=anneal)
        return
    schedule = OneCycle(1.0, total, pct_start=pct, three_phase=three, anneal=anneal)
    assert [schedule(k) for k in range(total + 1)] == expected


@pytest.mark.parametrize(
    ("kwargs", "phase"),
    [
        ({"total_steps": 10, "pct_start": 0.1}, "phase 1 of 2"),  # the example
        ({"total_steps": 10, "pct_start": 1.0}, "phase 2 of 2"),
        ({"total_steps": 10, "pct_start": 0.55, "three_phase": True}, "phase 3 of 3"),
        ({"total_steps": 4, "pct_start": 0.25, "three_phase": True}, "phase 1 of 3"),
    ],
)
def test_one_cycle_zero_length_phases_fail_at_construction(
    kwargs: dict[str, Any], phase: str
) -> None:
    with pytest.raises(ValueError, match=rf"makes {phase} last zero updates"):
        OneCycle(1.0, **kwargs)


def test_an_overflowing_rate_inside_fit_is_a_divergence() -> None:
    seen: list[float] = []

    class Rates:
        def on_step_end(self, info: StepInfo) -> None:
            seen.append(info.lr)

    # 1e-300 * (1e30)**k: finite for k <= 11, past the largest float at k = 11
    grows = Exponential(1e-300, 1e30, unit="step")
    with pytest.raises(DivergenceError, match=r"learning rate became NaN or infinite .* step 11"):
        fit(LinearRegression(2), X, Y, Schedule(20, 5, 3), SGD(lr=grows), callbacks=[Rates()])
    assert seen == [grows(k) for k in range(11)]
    per_epoch = StepDecay(1e-300, 1, gamma=1e200)  # past the largest float at epoch 2
    with pytest.raises(DivergenceError, match=r"at epoch 2 \(0-based\), step 8, .* rate inf"):
        fit(LinearRegression(2), X, Y, Schedule(20, 5, 3), Adam(lr=per_epoch))


def test_a_schedule_is_an_lr_schedule() -> None:
    assert issubclass(RateOverflowError, OverflowError)  # what code catching it before sees
    assert issubclass(RateOverflowError, ValueError)
    assert isinstance(Exponential(0.1, 0.5), LRSchedule)


# --- data ------------------------------------------------------------------------


@pytest.mark.parametrize("n_features", [62, 63, 64, 200])
def test_make_classification_with_63_or_more_features(n_features: int) -> None:
    X1, y1 = minigd.datasets.make_classification(300, n_features, n_classes=5, seed=1)
    X2, y2 = minigd.datasets.make_classification(300, n_features, n_classes=5, seed=1)
    assert X1.shape == (300, n_features)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    # one corner of the hypercube per class: the class means have distinct signs
    signs = {tuple(np.sign(X1[y1 == c].mean(axis=0)).astype(int)) for c in range(5)}
    assert len(signs) == 5


def test_make_classification_under_63_features_is_unchanged() -> None:
    # the draws of issue 14's era: corners from rng.choice(2**d), as before
    rng = np.random.default_rng(0)
    corners = rng.choice(2**4, size=3, replace=False)
    bits = (corners[:, None] >> np.arange(4)) & 1
    y = np.sort(np.arange(50) % 3)
    expected = (2.0 * bits - 1.0)[y] + rng.standard_normal((50, 4))
    order = rng.permutation(50)
    X0, y0 = minigd.datasets.make_classification(50, 4, n_classes=3, seed=0)
    np.testing.assert_array_equal(X0, expected[order])
    np.testing.assert_array_equal(y0, y[order])


RAGGED = [[1.0, 2.0], [1.0]]

BAD_INPUTS: list[tuple[str, dict[str, Any], type[Exception], str]] = [
    ("timedelta X", {"X": X.astype("m8[s]")}, TypeError, r"'X' .* dtype timedelta64\[s\]"),
    ("timedelta y", {"y": Y.astype("m8[s]")}, TypeError, r"'y' .* dtype timedelta64\[s\]"),
    ("datetime X", {"X": X.astype("M8[D]")}, TypeError, r"'X' .* dtype datetime64\[D\]"),
    ("timedelta labels", {"model": SoftmaxRegression(2, 3), "X": X_BLOBS,
                          "y": Y_BLOBS.astype("m8[D]")}, TypeError,
     r"'y' .* integer class labels. Got an array of dtype timedelta64\[D\]"),
    ("bool labels", {"model": SoftmaxRegression(2, 3), "X": X_BLOBS, "y": Y_BLOBS > 0},
     TypeError, r"'y' .* integer class labels"),
    ("ragged X", {"X": RAGGED, "y": [1.0, 2.0], "schedule": Schedule(2, 1, 1)}, ValueError,
     r"^The 'X' parameter of fit must be an array \(rows of equal length\)\. Got "
     r"rows of unequal length: \[\[1\.0, 2\.0\], \[1\.0\]\] of type list instead\.$"),
    ("ragged y", {"X": [[1.0, 2.0]] * 2, "y": [1.0, [2.0]], "schedule": Schedule(2, 1, 1)},
     ValueError, r"'y' parameter of fit must be an array \(rows of equal length\)"),
    ("ragged validation X", {"validation_data": (RAGGED, [1.0, 2.0])}, ValueError,
     r"'validation_data\[0\]' .* rows of unequal length: .* instead\.$"),
    ("NaN starting params", {"params": {"weight": np.array([np.nan, 0.0]), "bias": np.zeros(1)}},
     ValueError, r"'params' parameter of fit must hold finite values. Got 1 NaN"),
    ("infinite starting params", {"params": {"weight": np.zeros(2), "bias": np.full(1, -np.inf)}},
     ValueError, r"'params' parameter of fit must hold finite values"),
    ("targets that overflow the loss", {"y": Y * 1e200}, ValueError,
     r"loss at the starting parameters is NaN or infinite, before any update"),
    ("data that overflows the loss", {"X": X * 1e300}, ValueError,
     r"before any update .*the largest \|X\| is \d"),
    ("params that overflow the loss", {"params": {"weight": np.full(2, 1e300),
                                                  "bias": np.zeros(1)}}, ValueError,
     r"X, y and params are finite but too large"),
    ("EarlyStopping on val_loss without validation data", {"callbacks": [EarlyStopping()]},
     ValueError, r"EarlyStopping\(monitor='val_loss'\), which needs validation_data"),
    ("EarlyStopping on an unrecorded train_loss",
     {"callbacks": [EarlyStopping("train_loss")], "epoch_loss": False}, ValueError,
     r"EarlyStopping\(monitor='train_loss'\), but fit records no training-set loss"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "error", "message"), [b[1:] for b in BAD_INPUTS], ids=[b[0] for b in BAD_INPUTS]
)
def test_bad_inputs_fail_before_any_update(
    changes: dict[str, Any], error: type[Exception], message: str
) -> None:
    updates: list[int] = []

    class Count:
        def on_step_end(self, info: StepInfo) -> None:
            updates.append(1)

    args: dict[str, Any] = {"model": LinearRegression(2), "X": X, "y": Y,
                            "schedule": Schedule(20, 5, 3), "optimizer": SGD(lr=0.1)}  # fmt: skip
    args.update(changes)
    args["callbacks"] = [*args.get("callbacks", []), Count()]
    kept = {k: v.copy() for k, v in args.items() if isinstance(v, np.ndarray)}
    with pytest.raises(error, match=message) as info:
        fit(**args)
    assert not isinstance(info.value, DivergenceError)
    assert updates == []
    for k, v in kept.items():  # inputs are never modified
        np.testing.assert_array_equal(args[k], v)


def test_a_divergence_after_an_update_still_blames_the_learning_rate() -> None:
    with pytest.raises(DivergenceError, match=r"step [1-9]\d*, .* smaller learning rate"):
        fit(LinearRegression(2), X, Y, Schedule(20, 1, 50), SGD(lr=1e3))
    # GD: update 0 ends epoch 0, and the epoch's training loss after it overflows
    with pytest.raises(DivergenceError, match=r"parameters became .* step 0, .* smaller"):
        fit(LinearRegression(2), X, Y, Schedule(20, 20, 3), SGD(lr=1e300))


# --- Optimizer.update does not trust a state it did not make ------------------------


def _states(params: dict[str, np.ndarray]) -> list[tuple[str, Any, Any, type[Exception], str]]:
    adam = Adam(lr=0.1)
    good = adam.update(params, {"w": np.ones(3)}, adam.init(params))[1]
    slots = good.slots["w"]
    return [
        ("slot of another shape", adam, OptimizerState(1, {"w": {**slots,
         "exp_avg": np.zeros(1)}}), ValueError, r"'exp_avg' of shape \(3,\). Got shape \(1,\)"),
        ("slot that would broadcast", adam, OptimizerState(1, {"w": {**slots,
         "exp_avg_sq": np.zeros((1, 3))}}), ValueError, r"Got shape \(1, 3\)"),
        ("SGD's state to Adam", adam, SGD(momentum=0.9).init(params), ValueError,
         r"must hold the slots \['exp_avg', 'exp_avg_sq'\] for 'w'"),
        ("Adam's state to RMSprop", RMSprop(), good, ValueError,
         r"must hold the slots \['square_avg'\]"),
        ("Adam's state to another Adam", Adam(lr=0.1, amsgrad=True), good, ValueError,
         r"'max_exp_avg_sq'"),
        ("Adagrad's state to SGD", SGD(), Adagrad().init(params), ValueError,
         r"must hold the slots \[\] for 'w'"),
        ("negative step", adam, good._replace(step=-1), ValueError,
         r"step that is an int >= 0. Got -1"),
        ("negative step, rebuilt", adam, OptimizerState(-3, slots={"w": slots}), ValueError,
         r"step that is an int >= 0"),
        ("float step", adam, OptimizerState(2.0, {"w": slots}), ValueError,  # type: ignore[arg-type]
         r"step that is an int >= 0. Got 2.0"),
        ("NaN slot", adam, OptimizerState(1, {"w": {**slots, "exp_avg": np.full(3, np.nan)}}),
         ValueError, r"finite slots"),
        ("a tuple for a state", adam, (1, {"w": slots}), TypeError,
         r"'state' parameter of Adam.update must be an OptimizerState"),
    ]  # fmt: skip


STATES = _states({"w": np.ones(3)})


@pytest.mark.parametrize(
    ("optimizer", "state", "error", "message"), [s[1:] for s in STATES], ids=[s[0] for s in STATES]
)
def test_update_refuses_a_state_it_cannot_continue_from(
    optimizer: Any, state: Any, error: type[Exception], message: str
) -> None:
    params = {"w": np.ones(3)}
    with pytest.raises(error, match=message):
        optimizer.update(params, {"w": np.ones(3)}, state)
