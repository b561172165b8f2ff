"""Adagrad: ``torch.optim.Adagrad``."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .._validation import BOOL, validate_init
from ..lr import LearningRate
from ._base import LR, NONNEGATIVE, Array, Optimizer, Slots

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    r"""Per-coordinate rates shrinking with the sum of squared gradients.

    The update is :meth:`rule`. Matches ``torch.optim.Adagrad`` with the same
    arguments.

    Examples
    --------
    >>> import numpy as np
    >>> opt = Adagrad(lr=0.5)
    >>> params = {"w": np.array([1.0])}
    >>> new, state = opt.update(params, {"w": np.array([2.0])}, opt.init(params))
    >>> round(float(new["w"][0]), 10), state.slots["w"]["sum"].tolist()
    (0.5, [4.0])
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "lr": LR,
        "lr_decay": NONNEGATIVE,
        "weight_decay": NONNEGATIVE,
        "initial_accumulator_value": NONNEGATIVE,
        "eps": NONNEGATIVE,
        "maximize": [BOOL],
    }
    lr_decay: float
    weight_decay: float
    initial_accumulator_value: float
    eps: float

    def __init__(
        self,
        lr: LearningRate = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
        *,
        maximize: bool = False,
    ) -> None:
        validate_init(
            self, lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value, eps=eps, maximize=maximize,
        )  # fmt: skip

    def _slot_names(self) -> tuple[str, ...]:
        return ("sum",)

    def _initial_slot(self, name: str, param: Array) -> Array:
        return np.full_like(param, self.initial_accumulator_value, dtype=np.float64)

    def rule(
        self, param: Array, grad: Array, slots: Slots, lr: float, step: int
    ) -> tuple[Array, Slots]:
        r"""One parameter's update, as ``torch.optim.Adagrad`` computes it.

        With :math:`g_t` the gradient, :math:`\lambda` the weight decay,
        :math:`\eta` the rate decay and :math:`\gamma` the learning rate:

        .. math::

            g_t &\leftarrow -g_t \text{ (maximize)}, \quad
                  g_t \leftarrow g_t + \lambda\theta_{t-1} \\
            \tilde\gamma_t &= \gamma / (1 + (t-1)\eta) \\
            s_t &= s_{t-1} + g_t^2, \quad s_0 = \text{initial\_accumulator\_value} \\
            \theta_t &= \theta_{t-1} - \tilde\gamma_t\, g_t / (\sqrt{s_t} + \epsilon)

        Source: the algorithm box of the ``torch.optim.Adagrad`` documentation
        (Duchi et al., 2011).

        Parameters
        ----------
        param, grad : ndarray
            One parameter and its gradient (same shape).
        slots : dict
            ``{"sum": s}``.
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
        >>> new, slots = Adagrad(eps=0.0).rule(
        ...     np.array([1.0]), np.array([2.0]), {"sum": np.zeros(1)}, lr=0.5, step=1)
        >>> new.tolist(), slots["sum"].tolist()
        ([0.5], [4.0])
        """
        g = -grad if self.maximize else grad
        if self.weight_decay != 0:
            g = g + self.weight_decay * param
        clr = lr / (1 + (step - 1) * self.lr_decay)
        total = slots["sum"] + g * g
        return param - clr * (g / (np.sqrt(total) + self.eps)), {"sum": total}

    def _args(self) -> dict[str, Any]:
        return {
            "lr": self.lr,
            "lr_decay": self.lr_decay,
            "weight_decay": self.weight_decay,
            "initial_accumulator_value": self.initial_accumulator_value,
            "eps": self.eps,
            "maximize": self.maximize,
        }
