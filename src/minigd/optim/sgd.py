"""Stochastic gradient descent, with momentum and Nesterov: ``torch.optim.SGD``."""

from __future__ import annotations

from typing import Any

from .._validation import check_bool, check_float
from ..lr import LRSchedule
from ._base import Array, Optimizer, Slots, check_lr

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Gradient descent, the same rule for GD, SGD and mini-batch.

    With :math:`g_t` the gradient, :math:`\lambda` the weight decay,
    :math:`\mu` the momentum and :math:`\tau` the dampening:

    .. math::

        g_t &\leftarrow g_t + \lambda\theta_{t-1} \\
        b_1 &= g_1, \quad b_t = \mu b_{t-1} + (1-\tau) g_t \\
        d_t &= g_t + \mu b_t \text{ (nesterov) or } b_t \text{ (momentum) or } g_t \\
        \theta_t &= \theta_{t-1} - \gamma d_t

    Matches ``torch.optim.SGD`` with the same arguments (defaults included).

    Examples
    --------
    >>> import numpy as np
    >>> opt = SGD(lr=0.1)
    >>> params = {"w": np.array([1.0, 2.0])}
    >>> state = opt.init(params)
    >>> new, state = opt.update(params, {"w": np.array([1.0, -1.0])}, state)
    >>> new["w"].tolist(), state.step, params["w"].tolist()
    ([0.9, 2.1], 1, [1.0, 2.0])
    """

    _elementwise = True

    def __init__(
        self,
        lr: float | LRSchedule = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        owner = "SGD"
        self.lr = check_lr(lr, owner)
        self.momentum = check_float(momentum, "momentum", owner, low=0.0)
        self.dampening = check_float(dampening, "dampening", owner)
        self.weight_decay = check_float(weight_decay, "weight_decay", owner, low=0.0)
        self.nesterov = check_bool(nesterov, "nesterov", owner)
        self.maximize = check_bool(maximize, "maximize", owner)
        if self.nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError(
                f"The 'nesterov' parameter of SGD requires momentum > 0 and dampening = 0. "
                f"Got momentum={self.momentum!r}, dampening={self.dampening!r}."
            )

        # plain gradient descent: no momentum, no decay, not maximizing
        self._plain = self.momentum == 0 and self.weight_decay == 0 and not self.maximize

    def _slot_names(self) -> tuple[str, ...]:
        return ("momentum_buffer",) if self.momentum != 0 else ()

    def _update_one(
        self, param: Array, grad: Array, slots: Slots, lr: float, t: int
    ) -> tuple[Array, Slots]:
        if self._plain:
            return param - lr * grad, {}
        g = self._grad(grad, param, self.weight_decay)
        if self.momentum == 0:
            return param - lr * g, {}
        # the first buffer is the gradient itself: no dampening on step 1
        buf = (
            g.copy()
            if t == 1
            else self.momentum * slots["momentum_buffer"] + (1.0 - self.dampening) * g
        )
        d = g + self.momentum * buf if self.nesterov else buf
        return param - lr * d, {"momentum_buffer": buf}

    def _args(self) -> dict[str, Any]:
        return {
            "lr": self.lr,
            "momentum": self.momentum,
            "dampening": self.dampening,
            "weight_decay": self.weight_decay,
            "nesterov": self.nesterov,
            "maximize": self.maximize,
        }
