"""Linear models: one affine map ``z = X @ weight + bias`` and a loss.

- :class:`LinearRegression`: mean squared error.
- :class:`LogisticRegression`: binary cross-entropy from logits.
- :class:`SoftmaxRegression`: softmax cross-entropy with integer labels.

Every gradient is the chain rule through the affine map: with
``dz = d loss / d z`` (one row per sample), ``d loss / d weight = X.T @ dz``
and ``d loss / d bias = dz.sum(axis=0)``, since every row adds the bias once.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .._validation import Interval, check_labels, check_real_targets, validate_init
from ._base import Array, Model, Params, check_label_range
from .losses import (
    binary_cross_entropy_with_logits,
    cross_entropy,
    mean_squared_error,
    sigmoid,
    softmax,
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

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "n_features": [Interval(int, 1, None)]
    }

    def __init__(self, n_features: int) -> None:
        validate_init(self, n_features=n_features)

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
        return check_real_targets(y, n_rows, owner, name)

    def config(self) -> dict[str, Any]:
        """``{"model": "LinearRegression", "n_features": d}``.

        Examples
        --------
        >>> LinearRegression(3).config()
        {'model': 'LinearRegression', 'n_features': 3}
        """
        return {"model": type(self).__name__, "n_features": self.n_features}

    def predict(self, params: Params, X: Any) -> Array:
        """``X @ weight + bias`` for each row of ``X``.

        Examples
        --------
        >>> import numpy as np
        >>> params = {"weight": np.array([2.0]), "bias": np.array([1.0])}
        >>> LinearRegression(1).predict(params, np.array([[1.0], [3.0]])).tolist()
        [3.0, 7.0]
        """
        X = self._check_predict(params, X)
        pred: Array = X @ params["weight"] + params["bias"]
        return pred

    def loss_and_grad(self, params: Params, X: Any, y: Any) -> tuple[float, Params]:
        """Mean squared error and its gradients.

        ``loss = mean(r**2)`` with ``r = X @ weight + bias - y``;
        ``d loss / d pred = 2 r / n``, then the chain rule through the affine map.

        Parameters
        ----------
        params : dict
            ``weight`` of shape (n_features,), ``bias`` of shape (1,).
        X : ndarray of shape (n_rows, n_features)
        y : ndarray of shape (n_rows,)

        Returns
        -------
        loss : float
        grads : dict
            ``weight`` and ``bias`` gradients, shaped as the parameters.

        Examples
        --------
        >>> import numpy as np
        >>> params = {"weight": np.array([2.0]), "bias": np.array([0.0])}
        >>> X, y = np.array([[1.0]]), np.array([3.0])
        >>> loss, grads = LinearRegression(1).loss_and_grad(params, X, y)
        >>> loss, grads["weight"].tolist(), grads["bias"].tolist()
        (1.0, [-2.0], [-2.0])
        """
        X, y = self._check_batch(params, X, y)
        loss, dpred = mean_squared_error(X @ params["weight"] + params["bias"], y)
        return loss, {"weight": X.T @ dpred, "bias": dpred.sum(keepdims=True)}


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
        return check_real_targets(y, n_rows, owner, name, unit_interval=True)

    def predict(self, params: Params, X: Any) -> Array:
        """The probability of class 1 for each row: ``sigmoid(X @ weight + bias)``.

        Examples
        --------
        >>> import numpy as np
        >>> params = {"weight": np.array([1.0]), "bias": np.array([0.0])}
        >>> LogisticRegression(1).predict(params, np.array([[0.0]])).tolist()
        [0.5]
        """
        X = self._check_predict(params, X)
        return sigmoid(X @ params["weight"] + params["bias"])

    def loss_and_grad(self, params: Params, X: Any, y: Any) -> tuple[float, Params]:
        """Binary cross-entropy from logits ``z = X @ weight + bias``, and its gradients.

        ``d loss / d z = (sigmoid(z) - y) / n``, then the chain rule through
        the affine map.

        Examples
        --------
        >>> import numpy as np
        >>> params = {"weight": np.array([0.0]), "bias": np.array([0.0])}
        >>> loss, grads = LogisticRegression(1).loss_and_grad(
        ...     params, np.array([[2.0]]), np.array([1.0]))
        >>> round(loss, 6), grads["weight"].tolist(), grads["bias"].tolist()
        (0.693147, [-1.0], [-0.5])
        """
        X, y = self._check_batch(params, X, y)
        loss, dz = binary_cross_entropy_with_logits(X @ params["weight"] + params["bias"], y)
        return loss, {"weight": X.T @ dz, "bias": dz.sum(keepdims=True)}


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

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "n_features": [Interval(int, 1, None)],
        "n_classes": [Interval(int, 2, None)],
    }
    n_classes: int

    def __init__(self, n_features: int, n_classes: int) -> None:
        validate_init(self, n_features=n_features, n_classes=n_classes)

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

    def predict(self, params: Params, X: Any) -> Array:
        """Class probabilities, ``softmax(X @ weight + bias)``, one row per sample.

        Examples
        --------
        >>> import numpy as np
        >>> model = SoftmaxRegression(1, 2)
        >>> params = {"weight": np.zeros((1, 2)), "bias": np.zeros(2)}
        >>> model.predict(params, np.array([[3.0]])).tolist()
        [[0.5, 0.5]]
        """
        X = self._check_predict(params, X)
        return softmax(X @ params["weight"] + params["bias"])

    def loss_and_grad(self, params: Params, X: Any, y: Any) -> tuple[float, Params]:
        """Softmax cross-entropy of integer labels, and its gradients.

        With logits ``z = X @ weight + bias``, ``d loss / d z = (softmax(z) -
        onehot(y)) / n``, then the chain rule through the affine map.

        Examples
        --------
        >>> import numpy as np
        >>> model = SoftmaxRegression(1, 2)
        >>> params = {"weight": np.zeros((1, 2)), "bias": np.zeros(2)}
        >>> loss, grads = model.loss_and_grad(params, np.array([[1.0]]), np.array([1]))
        >>> round(loss, 6), grads["bias"].tolist()
        (0.693147, [0.5, -0.5])
        """
        X, y = self._check_batch(params, X, y)
        loss, dz = cross_entropy(X @ params["weight"] + params["bias"], y)
        return loss, {"weight": X.T @ dz, "bias": dz.sum(axis=0)}

    def _y_plain(self, y: Any) -> bool:
        return check_label_range(y, self.n_classes)
