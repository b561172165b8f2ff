"""Models: analytic gradients against central differences, shapes, stability, errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from minigd.models import (
    MLP,
    LinearRegression,
    LogisticRegression,
    Model,
    SoftmaxRegression,
)
from minigd.models.losses import mean_squared_error

RNG = np.random.default_rng(42)
X = RNG.normal(size=(7, 3))
Y_REAL = RNG.normal(size=7)
Y_BIN = (RNG.random(7) > 0.5).astype(float)
Y_CLASS = RNG.integers(0, 4, size=7)
Y_MULTI = RNG.normal(size=(7, 2))

CASES: list[tuple[str, Model, Any]] = (
    [
        ("linear", LinearRegression(3), Y_REAL),
        ("logistic", LogisticRegression(3), Y_BIN),
        ("softmax", SoftmaxRegression(3, 4), Y_CLASS),
    ]
    + [
        (f"mlp-{act}-{loss}", MLP(3, hidden=(5, 4), n_outputs=n, activation=act, loss=loss), y)
        for act in ("tanh", "relu", "sigmoid")
        for loss, n, y in (
            ("mse", 1, Y_REAL),
            ("mse", 2, Y_MULTI),
            ("binary_cross_entropy", 1, Y_BIN),
            ("cross_entropy", 4, Y_CLASS),
        )
    ]
    + [("mlp-no-hidden", MLP(3, hidden=(), n_outputs=1), Y_REAL)]
)


def central_difference(model: Model, params: dict[str, Any], key: str, Xd: Any, y: Any) -> Any:
    """d loss / d params[key], one number at a time, from the loss alone."""
    h = 1e-6
    numeric = np.zeros_like(params[key])
    for i in np.ndindex(numeric.shape):
        up = {k: v.copy() for k, v in params.items()}
        down = {k: v.copy() for k, v in params.items()}
        up[key][i] += h
        down[key][i] -= h
        numeric[i] = (model.loss(up, Xd, y) - model.loss(down, Xd, y)) / (2 * h)
    return numeric


@pytest.mark.parametrize(("name", "model", "y"), CASES, ids=[c[0] for c in CASES])
def test_gradients_match_central_differences(name: str, model: Model, y: Any) -> None:
    params = model.init_params(seed=1)
    loss, grads = model.loss_and_grad(params, X, y)
    assert loss == pytest.approx(model.loss(params, X, y))
    assert set(grads) == set(params)
    for key, value in params.items():
        assert grads[key].shape == value.shape
        numeric = central_difference(model, params, key, X, y)
        np.testing.assert_allclose(grads[key], numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize(("name", "model", "y"), CASES, ids=[c[0] for c in CASES])
def test_inputs_untouched_and_params_named(name: str, model: Model, y: Any) -> None:
    params = model.init_params(seed=0)
    assert all(v.dtype == np.float64 for v in params.values())
    before = {k: v.copy() for k, v in params.items()}
    x_before, y_before = X.copy(), np.copy(y)
    model.loss_and_grad(params, X, y)
    model.predict(params, X)
    assert all((before[k] == params[k]).all() for k in params)
    assert (x_before == X).all()
    assert (np.asarray(y) == y_before).all()
    assert sorted(model.init_params(seed=0)) == sorted(params)
    assert all((model.init_params(seed=0)[k] == params[k]).all() for k in params)


@pytest.mark.parametrize("rows", [1, 2, 4099])
@pytest.mark.parametrize(
    "model",
    [LinearRegression(3), LogisticRegression(3), SoftmaxRegression(3, 4), MLP(3, hidden=(2,))],
    ids=["linear", "logistic", "softmax", "mlp"],
)
def test_bias_gradients_on_any_batch_size(model: Model, rows: int) -> None:
    # every row adds the bias once: its gradient is a sum over the rows
    rng = np.random.default_rng(rows)
    Xb = rng.normal(size=(rows, 3))
    y: Any = (
        rng.integers(0, 4, size=rows)
        if isinstance(model, SoftmaxRegression)
        else (rng.random(rows) > 0.5).astype(float)
    )
    params = model.init_params(seed=3)
    _, grads = model.loss_and_grad(params, Xb, y)
    for key in (k for k in params if k.endswith("bias")):
        numeric = central_difference(model, params, key, Xb, y)
        np.testing.assert_allclose(grads[key], numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("rows", [1, 7])
def test_affine_map_is_exactly_x_at_w_plus_b(rows: int) -> None:
    Xr, yr = X[:rows], Y_REAL[:rows]
    params = LinearRegression(3).init_params(seed=5)
    plain = X[:rows] @ params["weight"] + params["bias"]
    assert (LinearRegression(3).predict(params, Xr) == plain).all()
    residual = plain - yr
    assert LinearRegression(3).loss(params, Xr, yr) == float(residual @ residual) / rows


@pytest.mark.parametrize("n", [1, 2, 10, 4096, 4097, 10_000])
def test_mse_gradient_is_exactly_two_residuals_over_n(n: int) -> None:
    # the gradient of mean(r**2) is 2 r / n, as written, 1-D or 2-D
    rng = np.random.default_rng(n)
    for shape in ((n,), (n, 1)):
        pred, y = rng.normal(size=shape), rng.normal(size=shape)
        before = pred.copy(), y.copy()
        for _ in range(2):
            loss, grad = mean_squared_error(pred, y)
            residual = pred - y
            assert grad.shape == shape
            assert np.array_equal(grad, residual * (2.0 / residual.size))
            assert loss == float(residual.ravel() @ residual.ravel()) / residual.size
        assert np.array_equal(pred, before[0]) and np.array_equal(y, before[1])  # noqa: PT018


def test_losses_match_their_definitions() -> None:
    p = {"weight": np.array([0.5, -1.0, 2.0]), "bias": np.array([0.3])}
    z = X @ p["weight"] + 0.3
    assert LinearRegression(3).loss(p, X, Y_REAL) == pytest.approx(np.mean((z - Y_REAL) ** 2))
    sig = 1 / (1 + np.exp(-z))
    bce = -np.mean(Y_BIN * np.log(sig) + (1 - Y_BIN) * np.log(1 - sig))
    assert LogisticRegression(3).loss(p, X, Y_BIN) == pytest.approx(bce)
    sm = SoftmaxRegression(3, 4)
    q = sm.init_params(seed=3)
    logits = X @ q["weight"] + q["bias"]
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    ce = -np.mean(np.log(probs[np.arange(7), Y_CLASS]))
    assert sm.loss(q, X, Y_CLASS) == pytest.approx(ce)
    np.testing.assert_allclose(sm.predict(q, X), probs)


def test_logistic_is_stable_for_huge_logits() -> None:
    model = LogisticRegression(1)
    p = {"weight": np.array([1e6]), "bias": np.zeros(1)}
    loss, grads = model.loss_and_grad(p, np.array([[1.0], [-1.0]]), np.array([0.0, 1.0]))
    assert loss == pytest.approx(1e6)
    assert np.isfinite(grads["weight"]).all()
    loss, _ = model.loss_and_grad(p, np.array([[1.0], [-1.0]]), np.array([1.0, 0.0]))
    assert loss == 0.0


def test_softmax_is_stable_for_huge_logits() -> None:
    model = SoftmaxRegression(1, 2)
    p = {"weight": np.array([[1e5, -1e5]]), "bias": np.zeros(2)}
    loss, grads = model.loss_and_grad(p, np.array([[1.0]]), np.array([1]))
    assert loss == pytest.approx(2e5)
    assert np.isfinite(grads["weight"]).all()


BAD: list[tuple[Model, Any, Any, type[Exception], str]] = [
    (
        LinearRegression(3),
        np.ones((4, 2)),
        np.ones(4),
        ValueError,
        r"'X' parameter of LinearRegression.loss must be a 2-D array of shape \(n_rows, 3\). "
        r"Got shape \(4, 2\)",
    ),
    (LinearRegression(3), np.ones(3), np.ones(1), ValueError, r"Got shape \(3,\)"),
    (
        LinearRegression(3),
        np.ones((4, 3)),
        np.ones(5),
        ValueError,
        r"'y' .* one entry per row of X \(4\)",
    ),
    (LinearRegression(3), np.full((2, 3), np.nan), np.ones(2), ValueError, "'X' .* finite"),
    (LinearRegression(3), np.ones((2, 3)), np.array([1.0, np.inf]), ValueError, "'y' .* finite"),
    (LinearRegression(3), np.array([["a"] * 3]), np.ones(1), TypeError, "numeric"),
    (
        LogisticRegression(3),
        np.ones((2, 3)),
        np.array([0.0, 2.0]),
        ValueError,
        r"labels in \[0, 1\]",
    ),
    (
        SoftmaxRegression(3, 4),
        np.ones((2, 3)),
        np.array([0, 4]),
        ValueError,
        r"labels in \[0, 3\]. Got values from 0 to 4",
    ),
    (
        SoftmaxRegression(3, 4),
        np.ones((2, 3)),
        np.array([0.5, 1.0]),
        ValueError,
        "integer class labels",
    ),
    (
        SoftmaxRegression(3, 4),
        np.ones((2, 3)),
        np.array(["a", "b"]),
        TypeError,
        "integer class labels",
    ),
    (MLP(3, n_outputs=2), np.ones((2, 3)), np.ones(2), ValueError, r"shape \(2, 2\)"),
]


@pytest.mark.parametrize(("model", "X_bad", "y_bad", "error", "message"), BAD)
def test_bad_inputs(
    model: Model, X_bad: Any, y_bad: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        model.loss(model.init_params(0), X_bad, y_bad)


def test_bad_params() -> None:
    model = LinearRegression(3)
    with pytest.raises(ValueError, match=r"must have the names \['bias', 'weight'\]"):
        model.loss({"weight": np.ones(3)}, X, Y_REAL)
    with pytest.raises(ValueError, match=r"'weight' of shape \(3,\). Got shape \(2,\)"):
        model.loss({"weight": np.ones(2), "bias": np.zeros(1)}, X, Y_REAL)
    with pytest.raises(TypeError, match="dict of arrays"):
        model.loss([1, 2], X, Y_REAL)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: LinearRegression(0), ValueError, "'n_features'"),
        (lambda: LinearRegression(2.0), TypeError, "'n_features'"),
        (lambda: SoftmaxRegression(2, 1), ValueError, "'n_classes'"),
        (lambda: MLP(2, hidden=8), TypeError, "'hidden' .* sequence"),
        (lambda: MLP(2, hidden=(0,)), ValueError, "'hidden'"),
        (lambda: MLP(2, activation="gelu"), ValueError, r"'activation' .* \{'tanh'"),
        (lambda: MLP(2, loss="hinge"), ValueError, "'loss'"),
        (lambda: MLP(2, n_outputs=2, loss="binary_cross_entropy"), ValueError, "must be 1"),
        (lambda: MLP(2, n_outputs=1, loss="cross_entropy"), ValueError, ">= 2"),
    ],
)
def test_bad_hyperparameters(make: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        make()


def test_repr_and_config() -> None:
    assert repr(MLP(2, hidden=(3,))) == (
        "MLP(n_features=2, hidden=[3], n_outputs=1, activation='tanh', loss='mse')"
    )
    assert LinearRegression(4).config() == {"model": "LinearRegression", "n_features": 4}
