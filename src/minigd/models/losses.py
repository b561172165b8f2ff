"""Losses with their gradients, each a mean over the batch.

Every function returns ``(loss, dloss/dprediction)``; the model multiplies the
second by its own Jacobian (the chain rule). Both are written to be stable for
large inputs.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "log_softmax",
    "mean_squared_error",
    "sigmoid",
    "softmax",
]

Array = NDArray[np.float64]


def sigmoid(z: Array) -> Array:
    """The logistic function, computed as ``(1 + tanh(z/2)) / 2`` (no overflow).

    Examples
    --------
    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0])).tolist()
    [0.0, 0.5, 1.0]
    """
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def log_softmax(logits: Array) -> Array:
    """``log(softmax(logits))`` along the last axis, through log-sum-exp.

    The row maximum is subtracted first, so no ``exp`` overflows
    (``torch.nn.functional.log_softmax``).

    Examples
    --------
    >>> log_softmax(np.array([[1000.0, 1000.0]])).round(6).tolist()
    [[-0.693147, -0.693147]]
    """
    shifted = logits - logits.max(axis=-1, keepdims=True)
    result: Array = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return result


def softmax(logits: Array) -> Array:
    """Probabilities along the last axis: ``exp(log_softmax(logits))``.

    Examples
    --------
    >>> softmax(np.array([[0.0, 0.0], [1000.0, 0.0]])).tolist()
    [[0.5, 0.5], [1.0, 0.0]]
    """
    return np.exp(log_softmax(logits))


def mean_squared_error(pred: Array, y: Array) -> tuple[float, Array]:
    """``mean((pred - y)**2)`` over every element, as ``torch.nn.MSELoss``.

    The sum of squares is the squared norm of the residual, ``vdot(r, r)``;
    the gradient is ``2 r / n``.

    Examples
    --------
    >>> loss, grad = mean_squared_error(np.array([1.0, 3.0]), np.array([0.0, 1.0]))
    >>> loss, grad.tolist()
    (2.5, [1.0, 2.0])
    """
    residual = pred - y
    n = residual.size
    return float(np.vdot(residual, residual)) / n, residual * (2.0 / n)


def binary_cross_entropy_with_logits(z: Array, y: Array) -> tuple[float, Array]:
    """Binary cross-entropy of labels ``y`` in [0, 1] given logits ``z``.

    ``max(z, 0) - z*y + log(1 + exp(-|z|))``, averaged: finite for any ``z``
    (``torch.nn.BCEWithLogitsLoss``). The gradient is ``(sigmoid(z) - y) / n``.

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

    ``loss = -mean(log_softmax(logits)[i, labels[i]])`` and
    ``d loss / d logits = (softmax(logits) - onehot(labels)) / B``
    (``torch.nn.CrossEntropyLoss``).

    Examples
    --------
    >>> loss, grad = cross_entropy(np.array([[0.0, 0.0]]), np.array([1]))
    >>> round(loss, 6), grad.tolist()
    (0.693147, [[0.5, -0.5]])
    """
    log_probs = log_softmax(logits)
    rows = np.arange(len(labels))
    loss = -float(log_probs[rows, labels].mean())
    onehot = np.zeros_like(log_probs)
    onehot[rows, labels] = 1.0
    return loss, (np.exp(log_probs) - onehot) / len(labels)
