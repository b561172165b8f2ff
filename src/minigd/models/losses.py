"""Losses with their gradients, each a mean over the batch.

Every function returns ``(loss, dloss/dprediction)``; the model multiplies the
second by its own Jacobian. Both are written to be stable for large inputs.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ._base import ONES_CACHED

__all__ = ["binary_cross_entropy_with_logits", "cross_entropy", "mean_squared_error", "sigmoid"]

Array = NDArray[np.float64]


def sigmoid(z: Array) -> Array:
    """The logistic function, computed as ``(1 + tanh(z/2)) / 2`` (no overflow).

    Examples
    --------
    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0])).tolist()
    [0.0, 0.5, 1.0]
    """
    return 0.5 * (1.0 + np.tanh(0.5 * z))


#: ``2 / n`` by batch size ``n`` (up to ONES_CACHED), as read-only 0-d float64 arrays.
_TWO_OVER: dict[int, Array] = {}


def _two_over(n: int) -> Array:
    out = np.array(2.0 / n)
    out.setflags(write=False)
    if n <= ONES_CACHED:  # batch sizes repeat; larger ones are full batches
        _TWO_OVER[n] = out
    return out


def mean_squared_error(pred: Array, y: Array) -> tuple[float, Array]:
    """``mean((pred - y)**2)`` over every element, as ``torch.nn.MSELoss``.

    Examples
    --------
    >>> loss, grad = mean_squared_error(np.array([1.0, 3.0]), np.array([0.0, 1.0]))
    >>> loss, grad.tolist()
    (2.5, [1.0, 2.0])
    """
    residual = pred - y
    flat = residual if residual.ndim == 1 else residual.reshape(-1)
    loss = float(flat.dot(flat)) / flat.size  # .dot: @ without the ufunc dispatch
    # 2/n as a 0-d array: numpy multiplies by one without first converting a
    # Python float (a third of this product on a short batch); same numbers.
    scale = _TWO_OVER.get(flat.size)
    if scale is None:
        scale = _two_over(flat.size)
    return loss, residual * scale


def binary_cross_entropy_with_logits(z: Array, y: Array) -> tuple[float, Array]:
    """Binary cross-entropy of labels ``y`` in [0, 1] given logits ``z``.

    ``max(z, 0) - z*y + log(1 + exp(-|z|))``, averaged: finite for any ``z``
    (``torch.nn.BCEWithLogitsLoss``).

    Examples
    --------
    >>> loss, grad = binary_cross_entropy_with_logits(np.array([800.0, -800.0]), np.array([0.0, 1.0]))
    >>> loss, grad.tolist()
    (800.0, [0.5, -0.5])
    """  # noqa: E501
    loss_terms = np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))
    return float(loss_terms.mean()), (sigmoid(z) - y) / z.size


def cross_entropy(logits: Array, labels: NDArray[np.intp]) -> tuple[float, Array]:
    """Softmax cross-entropy of integer ``labels`` given ``logits`` of shape (B, C).

    Computed through log-sum-exp with the row maximum subtracted
    (``torch.nn.CrossEntropyLoss``).

    Examples
    --------
    >>> loss, grad = cross_entropy(np.array([[0.0, 0.0]]), np.array([1]))
    >>> round(loss, 6), grad.tolist()
    (0.693147, [[0.5, -0.5]])
    """
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    rows = np.arange(len(labels))
    loss = float(np.mean(np.log(total[:, 0]) - shifted[rows, labels]))
    grad = exp / total
    grad[rows, labels] -= 1.0
    grad /= len(labels)
    return loss, grad
