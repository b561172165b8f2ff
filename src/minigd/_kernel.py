"""fit's fast path for least squares with plain SGD: the reference loop's arithmetic, fused.

The Training page's loop calls ``model.loss_and_grad`` and then
``optimizer.update``; each call checks its arguments and builds dicts, and
numpy spends longer dispatching each small product than computing it. At
batch 1 that overhead is most of an update. Inside ``fit`` the checks have
nothing left to find: ``X``, ``y`` and the starting parameters were checked
once before the first update, and every later argument is what the previous
update returned.

So for the Q&A's model and optimizer, :class:`~minigd.models.LinearRegression`
with :class:`~minigd.optim.SGD` without momentum, weight decay or
``maximize``, ``fit`` runs :class:`LeastSquaresSGD` on every update made of
one micro-batch. It does the same floating-point operations in the same
order as the two calls (``x.dot(w)`` is ``x @ w``, ``r.dot(x)`` is
``x.T @ r``, the bias as a Python float is the same IEEE arithmetic as a
1-element array), with fewer numpy calls and no checks, so every bit is the
same: ``tests/test_kernel.py`` compares it with the two calls, and the
reference-loop test compares ``fit`` with the loop a student writes. Every
other model and optimizer runs the two calls themselves.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .batching import Batch
from .models import LinearRegression, Model
from .models._base import Array, Params
from .optim import SGD, Optimizer, OptimizerState
from .schedule import Schedule

__all__ = ["LeastSquaresSGD", "for_run"]


class LeastSquaresSGD:
    """``LinearRegression.loss_and_grad`` then ``SGD.update`` (no momentum): one update.

    Parameters
    ----------
    optimizer : SGD
        Plain SGD: momentum, weight decay and ``maximize`` off. It issues the
        new state, which its ``update`` then trusts.
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
        The training data, float64, checked by ``fit``.
    on_divergence : callable
        ``(X, batch, lr)``: raises the error that explains a non-finite loss;
        called before the update is applied, as ``fit`` does on the two calls.

    Examples
    --------
    >>> X, y = np.array([[1.0], [2.0]]), np.array([3.0, 5.0])
    >>> params = {"weight": np.array([0.0]), "bias": np.array([0.0])}
    >>> sgd = SGD(lr=0.1)
    >>> step = LeastSquaresSGD(sgd, X, y, print)
    >>> loss, params, state = step(params, sgd.init(params), Batch(0, 0, 0, np.array([1]), 1), 0.1)
    >>> loss, params["weight"].tolist(), params["bias"].tolist(), state.step
    (25.0, [2.0], [1.0], 1)
    """

    def __init__(
        self,
        optimizer: Optimizer,
        X: Array,
        y: Array,
        on_divergence: Callable[[Array, Batch, float], None],
    ) -> None:
        self.optimizer, self.X, self.y, self.on_divergence = optimizer, X, y, on_divergence

    def __call__(
        self, params: Params, state: OptimizerState, batch: Batch, lr: float
    ) -> tuple[float, Params, OptimizerState]:
        """Update ``params`` on the rows of ``batch`` at rate ``lr``: ``(loss, params, state)``."""
        x = self.X.take(batch.indices, axis=0)  # X[rows]
        bias = params["bias"].item()
        r = x.dot(params["weight"])  # x @ weight
        r += bias
        r -= self.y.take(batch.indices)  # the residual, pred - y
        n = len(r)
        loss = float(r.dot(r)) / n  # mean(r ** 2)
        if not math.isfinite(loss):
            self.on_divergence(self.X, batch, lr)
        r *= 2.0 / n  # d loss / d pred
        grad_weight = r.dot(x)  # x.T @ (d loss / d pred)
        grad_bias = float(np.add.reduce(r))  # (d loss / d pred).sum()
        grad_weight *= lr  # param - lr * grad, for each parameter
        # float(lr): a numpy rate (float32 from a schedule of one's own) times a
        # float64 array is float64 arithmetic; times a Python float it is not
        new_params = {
            "weight": params["weight"] - grad_weight,
            "bias": np.array([bias - float(lr) * grad_bias]),
        }
        return loss, new_params, self.optimizer._issue(state.step + 1, {"weight": {}, "bias": {}})


def for_run(
    model: Model,
    optimizer: Optimizer,
    schedule: Schedule,
    X: Array,
    y: Any,
    on_divergence: Callable[[Array, Batch, float], None],
) -> LeastSquaresSGD | None:
    """The fused step ``fit`` runs, or None for the two public calls.

    Only :class:`~minigd.models.LinearRegression` itself (a subclass may change
    the maths) with plain :class:`~minigd.optim.SGD`, on updates of one
    micro-batch that is not all of ``X`` (a full batch reads ``X`` itself, and
    its loss doubles as the epoch's training loss).

    Examples
    --------
    >>> from minigd.models import LogisticRegression
    >>> X, y = np.zeros((10, 2)), np.zeros(10)
    >>> for_run(LinearRegression(2), SGD(), Schedule(10, 2, 1), X, y, print) is not None
    True
    >>> for_run(LinearRegression(2), SGD(momentum=0.9), Schedule(10, 2, 1), X, y, print) is None
    True
    >>> for_run(LogisticRegression(2), SGD(), Schedule(10, 2, 1), X, y, print) is None
    True
    """
    plain_sgd = type(optimizer) is SGD and not (
        optimizer.momentum or optimizer.weight_decay or optimizer.maximize
    )
    one_part = schedule.accumulate == 1 and schedule.world_size == 1
    if type(model) is not LinearRegression or not plain_sgd or not one_part:
        return None
    if schedule.batch_size >= schedule.n_samples:
        return None
    return LeastSquaresSGD(optimizer, X, y, on_divergence)
