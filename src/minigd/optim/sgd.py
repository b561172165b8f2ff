"""Stochastic gradient descent, with momentum and Nesterov: ``torch.optim.SGD``."""

from __future__ import annotations

from typing import Any, ClassVar

from .._validation import BOOL, Interval, Rule, validate_init
from ..lr import LearningRate
from ._base import LR, NONNEGATIVE, Array, Optimizer, Slots

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Gradient descent, the same rule for GD, SGD and mini-batch.

    The update is :meth:`rule`. Matches ``torch.optim.SGD`` with the same
    arguments (defaults included).

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

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "lr": LR,
        "momentum": NONNEGATIVE,
        "dampening": [Interval(float, None, None)],
        "weight_decay": NONNEGATIVE,
        "nesterov": [BOOL],
        "maximize": [BOOL],
    }
    _parameter_rules: ClassVar[list[Rule]] = [
        Rule(
            "nesterov", "==", lambda a: False,
            "be False when momentum={momentum!r} and dampening={dampening!r}: Nesterov "
            "momentum requires momentum > 0 and dampening = 0",
            when=lambda a: a["momentum"] <= 0 or a["dampening"] != 0,
        ),
    ]  # fmt: skip
    momentum: float
    dampening: float
    weight_decay: float
    nesterov: bool

    def __init__(
        self,
        lr: LearningRate = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        validate_init(
            self, lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
            nesterov=nesterov, maximize=maximize,
        )  # fmt: skip

    def _slot_names(self) -> tuple[str, ...]:
        return ("momentum_buffer",) if self.momentum != 0 else ()

    def rule(
        self, param: Array, grad: Array, slots: Slots, lr: float, step: int
    ) -> tuple[Array, Slots]:
        r"""One parameter's update, as ``torch.optim.SGD`` computes it.

        With :math:`g_t` the gradient, :math:`\lambda` the weight decay,
        :math:`\mu` the momentum, :math:`\tau` the dampening and
        :math:`\gamma` the learning rate:

        .. math::

            g_t &\leftarrow -g_t \text{ (maximize)}, \quad
                  g_t \leftarrow g_t + \lambda\theta_{t-1} \\
            b_1 &= g_1, \quad b_t = \mu b_{t-1} + (1-\tau) g_t \\
            d_t &= g_t + \mu b_t \text{ (nesterov) or } b_t \text{ (momentum) or } g_t \\
            \theta_t &= \theta_{t-1} - \gamma d_t

        Source: the algorithm box of the ``torch.optim.SGD`` documentation.

        Parameters
        ----------
        param, grad : ndarray
            One parameter and its gradient (same shape).
        slots : dict
            ``{"momentum_buffer": b}`` with momentum, else ``{}``.
        lr : float
            :math:`\gamma` for this update.
        step : int
            :math:`t`, 1 for the first update.

        Returns
        -------
        param : ndarray
            :math:`\theta_t`.
        slots : dict
            The new slots.

        Examples
        --------
        >>> import numpy as np
        >>> new, slots = SGD(momentum=0.9).rule(
        ...     np.array([1.0]), np.array([2.0]), {"momentum_buffer": np.zeros(1)}, lr=0.1, step=1)
        >>> new.tolist(), slots["momentum_buffer"].tolist()
        ([0.8], [2.0])
        """
        g = -grad if self.maximize else grad
        if self.weight_decay != 0:
            g = g + self.weight_decay * param
        if self.momentum == 0:
            return param - lr * g, {}
        if step == 1:
            buf = g.copy()  # the first buffer is the gradient itself: no dampening
        else:
            buf = self.momentum * slots["momentum_buffer"] + (1.0 - self.dampening) * g
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
