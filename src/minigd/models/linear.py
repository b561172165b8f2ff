"""Linear models: one affine map ``X @ weight + bias`` and a loss.

- :class:`LinearRegression`: mean squared error.
- :class:`LogisticRegression`: binary cross-entropy from logits.
- :class:`SoftmaxRegression`: softmax cross-entropy with integer labels.

The code writes ``X.dot(w)`` where the docs write ``X @ w``: the same product,
but ``ndarray.dot`` skips the ufunc dispatch of ``@``, which is half the cost
of a product on the tiny arrays of batch-1 SGD. For the same reason the
one-number bias is added as a 0-d view, ``bias.reshape(())``: numpy adds a 0-d
array to every row directly, while a length-1 array goes through its
broadcasting machinery, which costs as much again as the addition on a short
batch. The numbers are the same.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import check_int
from ._base import Array, Model, Params, check_labels, check_real_targets, ones, ones_column
from .losses import (
    binary_cross_entropy_with_logits,
    cross_entropy,
    mean_squared_error,
    sigmoid,
)

__all__ = ["LinearRegression", "LogisticRegression", "SoftmaxRegression"]


class LinearRegression(Model):
    """Least squares: ``pred = X @ weight + bias``, loss ``mean((pred - y)**2)``.

    Parameters
    ----------
    n_features : int
        Columns of ``X``.

    Examples
    --------
    >>> import numpy as np
    >>> model = LinearRegression(n_features=2)
    >>> params = {"weight": np.array([1.0, -1.0]), "bias": np.array([0.5])}
    >>> X, y = np.array([[1.0, 2.0], [3.0, 1.0]]), np.array([0.0, 2.0])
    >>> model.predict(params, X).tolist()
    [-0.5, 2.5]
    >>> loss, grads = model.loss_and_grad(params, X, y)
    >>> loss, grads["weight"].tolist(), grads["bias"].tolist()
    (0.25, [1.0, -0.5], [0.0])
    """

    def __init__(self, n_features: int) -> None:
        self.n_features = check_int(n_features, "n_features", type(self).__name__, min_value=1)

    def _shapes(self) -> dict[str, tuple[int, ...]]:
        return {"weight": (self.n_features,), "bias": (1,)}

    def _init_scale(self, key: str) -> float:
        return float(1.0 / np.sqrt(self.n_features))

    def check_y(self, y: Any, n_rows: int, owner: str, name: str = "y") -> Array:
        """Finite real targets, one per row.

        Examples
        --------
        >>> LinearRegression(2).check_y([1, 2], 2, "demo").dtype
        dtype('float64')
        """
        arr = check_real_targets(y, n_rows, owner, name)
        if arr.ndim != 1:
            raise ValueError(
                f"The {name!r} parameter of {owner} must be 1-D (one target per row). "
                f"Got shape {arr.shape} instead."
            )
        return arr

    def config(self) -> dict[str, Any]:
        """``{"model": "LinearRegression", "n_features": d}``.

        Examples
        --------
        >>> LinearRegression(3).config()
        {'model': 'LinearRegression', 'n_features': 3}
        """
        return {"model": type(self).__name__, "n_features": self.n_features}

    def _predict(self, params: Params, X: Array) -> Array:
        pred: Array = X.dot(params["weight"]) + params["bias"].reshape(())
        return pred

    def _loss(self, params: Params, X: Array, y: Array) -> float:
        residual: Array = X.dot(params["weight"]) + params["bias"].reshape(()) - y
        return float(residual.dot(residual)) / residual.size

    def _loss_and_grad(self, params: Params, X: Array, y: Array, grads: Params) -> float:
        loss, dpred = mean_squared_error(X.dot(params["weight"]) + params["bias"].reshape(()), y)
        dpred.dot(X, out=grads["weight"])  # dloss/dweight = dpred @ X
        dpred.dot(ones_column(len(dpred)), out=grads["bias"])  # dloss/dbias = dpred @ ones
        return loss


class LogisticRegression(LinearRegression):
    """Binary classification: logits ``X @ weight + bias``, binary cross-entropy.

    The loss is computed from logits, so it stays finite for any ``|z|``.
    :meth:`predict` returns probabilities of class 1. Targets are in [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> model = LogisticRegression(n_features=1)
    >>> params = {"weight": np.array([1000.0]), "bias": np.array([0.0])}
    >>> model.loss(params, np.array([[1.0], [-1.0]]), np.array([0.0, 0.0]))
    500.0
    >>> model.predict(params, np.array([[1.0], [-1.0]])).tolist()
    [1.0, 0.0]
    """

    def check_y(self, y: Any, n_rows: int, owner: str, name: str = "y") -> Array:
        """Targets in [0, 1] (hard 0/1 labels or probabilities), one per row.

        Examples
        --------
        >>> LogisticRegression(2).check_y([0, 1, 1], 3, "demo").tolist()
        [0.0, 1.0, 1.0]
        """
        arr = super().check_y(y, n_rows, owner, name)
        if arr.min() < 0.0 or arr.max() > 1.0:
            raise ValueError(
                f"The {name!r} parameter of {owner} must hold labels in [0, 1] for binary "
                f"cross-entropy. Got values from {arr.min().item()!r} to "
                f"{arr.max().item()!r} instead."
            )
        return arr

    def _loss(self, params: Params, X: Array, y: Array) -> float:
        z = X.dot(params["weight"]) + params["bias"].reshape(())
        return binary_cross_entropy_with_logits(z, y)[0]

    def _predict(self, params: Params, X: Array) -> Array:
        return sigmoid(X.dot(params["weight"]) + params["bias"].reshape(()))

    def _loss_and_grad(self, params: Params, X: Array, y: Array, grads: Params) -> float:
        z = X.dot(params["weight"]) + params["bias"].reshape(())
        loss, dz = binary_cross_entropy_with_logits(z, y)
        dz.dot(X, out=grads["weight"])
        dz.dot(ones_column(len(dz)), out=grads["bias"])
        return loss


class SoftmaxRegression(Model):
    """Multinomial logistic regression: logits ``X @ weight + bias``, cross-entropy.

    Parameters
    ----------
    n_features : int
        Columns of ``X``.
    n_classes : int
        Number of classes (>= 2); labels are integers in ``[0, n_classes)``.

    Examples
    --------
    >>> import numpy as np
    >>> model = SoftmaxRegression(n_features=2, n_classes=3)
    >>> params = model.init_params(seed=0)
    >>> {k: v.shape for k, v in params.items()}
    {'weight': (2, 3), 'bias': (3,)}
    >>> model.predict(params, np.zeros((1, 2))).sum().round(12)
    np.float64(1.0)
    """

    def __init__(self, n_features: int, n_classes: int) -> None:
        owner = type(self).__name__
        self.n_features = check_int(n_features, "n_features", owner, min_value=1)
        self.n_classes = check_int(n_classes, "n_classes", owner, min_value=2)

    def _shapes(self) -> dict[str, tuple[int, ...]]:
        return {"weight": (self.n_features, self.n_classes), "bias": (self.n_classes,)}

    def check_y(self, y: Any, n_rows: int, owner: str, name: str = "y") -> Any:
        """Integer labels in ``[0, n_classes)``, one per row.

        Examples
        --------
        >>> SoftmaxRegression(2, 3).check_y([0, 2, 1], 3, "demo").tolist()
        [0, 2, 1]
        """
        return check_labels(y, n_rows, self.n_classes, owner, name)

    def config(self) -> dict[str, Any]:
        """The model name, ``n_features`` and ``n_classes``.

        Examples
        --------
        >>> SoftmaxRegression(4, 3).config()
        {'model': 'SoftmaxRegression', 'n_features': 4, 'n_classes': 3}
        """
        return {
            "model": type(self).__name__,
            "n_features": self.n_features,
            "n_classes": self.n_classes,
        }

    def _predict(self, params: Params, X: Array) -> Array:
        z = X @ params["weight"] + params["bias"]
        e = np.exp(z - z.max(axis=1, keepdims=True))
        probs: Array = e / e.sum(axis=1, keepdims=True)
        return probs

    def _loss_and_grad(self, params: Params, X: Array, y: Any, grads: Params) -> float:
        loss, dz = cross_entropy(X @ params["weight"] + params["bias"], y)
        np.matmul(X.T, dz, out=grads["weight"])
        ones(len(dz)).dot(dz, out=grads["bias"])
        return loss
