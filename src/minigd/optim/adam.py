"""Adam and AdamW: ``torch.optim.Adam`` and ``torch.optim.AdamW``."""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from .._validation import BOOL, Interval, Items, validate_init
from ..lr import LearningRate
from ._base import LR, NONNEGATIVE, Array, Optimizer, Slots, lerp

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    r"""Adaptive moment estimation.

    The update is :meth:`rule`. Matches ``torch.optim.Adam`` with the same
    arguments.

    Examples
    --------
    >>> import numpy as np
    >>> opt = Adam(lr=0.1)
    >>> params = {"w": np.array([1.0, -1.0])}
    >>> new, state = opt.update(params, {"w": np.array([3.0, -0.5])}, opt.init(params))
    >>> np.round(new["w"], 6).tolist(), sorted(state.slots["w"])
    ([0.9, -0.9], ['exp_avg', 'exp_avg_sq'])
    """

    decoupled = False
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "lr": LR,
        "betas": [Items(Interval(float, 0.0, 1.0, "left"), "a pair of floats in [0.0, 1.0)", 2)],
        "eps": NONNEGATIVE,
        "weight_decay": NONNEGATIVE,
        "amsgrad": [BOOL],
        "maximize": [BOOL],
    }
    betas: tuple[float, float]
    eps: float
    weight_decay: float
    amsgrad: bool

    def __init__(
        self,
        lr: LearningRate = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        validate_init(
            self, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
            maximize=maximize,
        )  # fmt: skip

    def _slot_names(self) -> tuple[str, ...]:
        return (
            ("exp_avg", "exp_avg_sq", "max_exp_avg_sq")
            if self.amsgrad
            else ("exp_avg", "exp_avg_sq")
        )

    def rule(
        self, param: Array, grad: Array, slots: Slots, lr: float, step: int
    ) -> tuple[Array, Slots]:
        r"""One parameter's update, as ``torch.optim.Adam`` (``AdamW``) computes it.

        With :math:`g_t` the gradient, :math:`\lambda` the weight decay and
        :math:`\gamma` the learning rate:

        .. math::

            g_t &\leftarrow -g_t \text{ (maximize)} \\
            g_t &\leftarrow g_t + \lambda\theta_{t-1} \text{ (Adam), or }
                \theta_{t-1} \leftarrow \theta_{t-1}(1 - \gamma\lambda) \text{ (AdamW)} \\
            m_t &= \beta_1 m_{t-1} + (1-\beta_1) g_t, \quad
            v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2 \\
            u_t &= \max(u_{t-1}, v_t) \text{ (amsgrad) or } v_t \\
            \theta_t &= \theta_{t-1} - \frac{\gamma}{1-\beta_1^t}
                       \frac{m_t}{\sqrt{u_t}/\sqrt{1-\beta_2^t} + \epsilon}

        Source: the algorithm boxes of the ``torch.optim.Adam`` and ``AdamW``
        documentation (Kingma and Ba, 2015; Loshchilov and Hutter, 2019).

        Parameters
        ----------
        param, grad : ndarray
            One parameter and its gradient (same shape).
        slots : dict
            ``exp_avg`` (:math:`m`), ``exp_avg_sq`` (:math:`v`) and, with
            amsgrad, ``max_exp_avg_sq`` (:math:`u`).
        lr : float
            :math:`\gamma` for this update.
        step : int
            :math:`t`, 1 for the first update.

        Returns
        -------
        param : ndarray
        slots : dict

        Examples
        --------
        >>> import numpy as np
        >>> slots = {"exp_avg": np.zeros(1), "exp_avg_sq": np.zeros(1)}
        >>> new, slots = Adam().rule(np.array([1.0]), np.array([2.0]), slots, lr=0.1, step=1)
        >>> new.round(6).tolist(), slots["exp_avg"].round(6).tolist()
        ([0.9], [0.2])
        """
        beta1, beta2 = self.betas
        g = -grad if self.maximize else grad
        if self.decoupled:
            param = param * (1.0 - lr * self.weight_decay)
        elif self.weight_decay != 0:
            g = g + self.weight_decay * param
        exp_avg = lerp(slots["exp_avg"], g, 1.0 - beta1)
        exp_avg_sq = beta2 * slots["exp_avg_sq"] + (1.0 - beta2) * g * g
        new: Slots = {"exp_avg": exp_avg, "exp_avg_sq": exp_avg_sq}
        second = exp_avg_sq
        if self.amsgrad:
            second = np.maximum(slots["max_exp_avg_sq"], exp_avg_sq)
            new["max_exp_avg_sq"] = second
        step_size = lr / (1.0 - beta1**step)
        denom = np.sqrt(second) / math.sqrt(1.0 - beta2**step) + self.eps
        return param - step_size * (exp_avg / denom), new

    def _args(self) -> dict[str, Any]:
        return {
            "lr": self.lr,
            "betas": self.betas,
            "eps": self.eps,
            "weight_decay": self.weight_decay,
            "amsgrad": self.amsgrad,
            "maximize": self.maximize,
        }


class AdamW(Adam):
    r"""Adam with decoupled weight decay.

    The parameter decays first, :math:`\theta' = \theta_{t-1}(1 - \gamma\lambda)`,
    then takes Adam's step computed from the raw gradient. Matches
    ``torch.optim.AdamW`` (default ``weight_decay=1e-2``).

    Examples
    --------
    >>> import numpy as np
    >>> opt = AdamW(lr=0.1, weight_decay=0.5)
    >>> params = {"w": np.array([2.0])}
    >>> new, _ = opt.update(params, {"w": np.array([0.0])}, opt.init(params))
    >>> new["w"].tolist()
    [1.9]
    """

    decoupled = True

    def __init__(
        self,
        lr: LearningRate = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(lr, betas, eps, weight_decay, amsgrad, maximize=maximize)
