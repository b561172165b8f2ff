"""RMSprop, plain, centered or with momentum: ``torch.optim.RMSprop``."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .._validation import BOOL, validate_init
from ..lr import LearningRate
from ._base import LR, NONNEGATIVE, Array, Optimizer, Slots, lerp

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    r"""Divide by a running root-mean-square of the gradients.

    The update is :meth:`rule`. Matches ``torch.optim.RMSprop`` with the same
    arguments (no bias correction).

    Examples
    --------
    >>> import numpy as np
    >>> opt = RMSprop(lr=0.01)
    >>> params = {"w": np.array([1.0])}
    >>> new, state = opt.update(params, {"w": np.array([1.0])}, opt.init(params))
    >>> round(float(new["w"][0]), 6), sorted(state.slots["w"])
    (0.9, ['square_avg'])
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "lr": LR,
        "alpha": NONNEGATIVE,
        "eps": NONNEGATIVE,
        "weight_decay": NONNEGATIVE,
        "momentum": NONNEGATIVE,
        "centered": [BOOL],
        "maximize": [BOOL],
    }
    alpha: float
    eps: float
    weight_decay: float
    momentum: float
    centered: bool

    def __init__(
        self,
        lr: LearningRate = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        validate_init(
            self, lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
            centered=centered, maximize=maximize,
        )  # fmt: skip

    def _slot_names(self) -> tuple[str, ...]:
        names = ["square_avg"]
        if self.momentum > 0:
            names.append("momentum_buffer")
        if self.centered:
            names.append("grad_avg")
        return tuple(names)

    def rule(
        self, param: Array, grad: Array, slots: Slots, lr: float, step: int
    ) -> tuple[Array, Slots]:
        r"""One parameter's update, as ``torch.optim.RMSprop`` computes it.

        With :math:`g_t` the gradient, :math:`\lambda` the weight decay,
        :math:`\alpha` the smoothing constant, :math:`\mu` the momentum and
        :math:`\gamma` the learning rate:

        .. math::

            g_t &\leftarrow -g_t \text{ (maximize)}, \quad
                  g_t \leftarrow g_t + \lambda\theta_{t-1} \\
            v_t &= \alpha v_{t-1} + (1-\alpha) g_t^2 \\
            \bar g_t &= \alpha \bar g_{t-1} + (1-\alpha) g_t \text{ (centered)} \\
            D_t &= \sqrt{v_t - \bar g_t^2} + \epsilon \text{ (centered) or }
                   \sqrt{v_t} + \epsilon \\
            b_t &= \mu b_{t-1} + g_t / D_t, \quad \theta_t = \theta_{t-1} - \gamma b_t
                  \text{ (momentum) or } \theta_t = \theta_{t-1} - \gamma g_t / D_t

        Source: the algorithm box of the ``torch.optim.RMSprop`` documentation
        (Hinton's lecture 6e; Graves, 2013, for the centered form).

        Parameters
        ----------
        param, grad : ndarray
            One parameter and its gradient (same shape).
        slots : dict
            ``square_avg`` (:math:`v`), ``momentum_buffer`` (:math:`b`) with
            momentum, ``grad_avg`` (:math:`\bar g`) when centered.
        lr : float
            :math:`\gamma` for this update.
        step : int
            :math:`t`, 1 for the first update (RMSprop does not use it).

        Returns
        -------
        param : ndarray
        slots : dict

        Examples
        --------
        >>> import numpy as np
        >>> new, slots = RMSprop(alpha=0.75, eps=0.0).rule(
        ...     np.array([1.0]), np.array([2.0]), {"square_avg": np.zeros(1)}, lr=0.1, step=1)
        >>> new.tolist(), slots["square_avg"].tolist()
        ([0.8], [1.0])
        """
        g = -grad if self.maximize else grad
        if self.weight_decay != 0:
            g = g + self.weight_decay * param
        square_avg = self.alpha * slots["square_avg"] + (1 - self.alpha) * g * g
        new: Slots = {"square_avg": square_avg}
        if self.centered:
            grad_avg = lerp(slots["grad_avg"], g, 1 - self.alpha)
            new["grad_avg"] = grad_avg
            avg = np.sqrt(square_avg - grad_avg * grad_avg) + self.eps
        else:
            avg = np.sqrt(square_avg) + self.eps
        if self.momentum > 0:
            buf = self.momentum * slots["momentum_buffer"] + g / avg
            new["momentum_buffer"] = buf
            return param - lr * buf, new
        return param - lr * (g / avg), new

    def _args(self) -> dict[str, Any]:
        return {
            "lr": self.lr,
            "alpha": self.alpha,
            "eps": self.eps,
            "weight_decay": self.weight_decay,
            "momentum": self.momentum,
            "centered": self.centered,
            "maximize": self.maximize,
        }
