"""The optimizer interface: pure ``init`` and ``update``, state keyed by name.

An optimizer holds hyperparameters only. ``init(params)`` returns an
:class:`OptimizerState`: the number of updates applied (``step``, the one
clock) and, per parameter name, torch's slot arrays (``momentum_buffer``,
``sum``, ``square_avg``, ``grad_avg``, ``exp_avg``, ``exp_avg_sq``,
``max_exp_avg_sq``). ``update(params, grads, state)`` returns new params and a
new state, and never writes into its inputs.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar, NamedTuple

import numpy as np
from numpy.typing import NDArray

from .._validation import check_float, check_int, describe_value
from ..lr import LRSchedule
from ..models._base import check_params

__all__ = ["Optimizer", "OptimizerState", "check_lr"]

Array = NDArray[np.float64]
Slots = dict[str, Array]


class OptimizerState(NamedTuple):
    """What an optimizer carries from one update to the next (immutable).

    Attributes
    ----------
    step : int
        Updates applied so far (torch's per-parameter ``state["step"]``).
    slots : dict
        ``{param_name: {slot_name: array}}`` with torch's slot names.

    Examples
    --------
    >>> import numpy as np
    >>> from minigd.optim import Adam
    >>> state = Adam().init({"w": np.zeros(3)})
    >>> state.step, sorted(state.slots["w"])
    (0, ['exp_avg', 'exp_avg_sq'])
    """

    step: int
    slots: dict[str, Slots]

    def __repr__(self) -> str:
        names = {k: sorted(v) for k, v in self.slots.items()}
        return f"OptimizerState(step={self.step}, slots={names})"


def check_lr(lr: Any, owner: str) -> float | LRSchedule:
    """A learning rate: a float >= 0, or a :class:`~minigd.lr.LRSchedule`.

    Examples
    --------
    >>> check_lr(0.1, "demo")
    0.1
    """
    if isinstance(lr, LRSchedule):
        return lr
    return check_float(lr, "lr", owner, low=0.0)


class Optimizer(ABC):
    """Base class of the optimizers in :mod:`minigd.optim`.

    Examples
    --------
    >>> from minigd.optim import SGD
    >>> isinstance(SGD(), Optimizer)
    True
    """

    lr: float | LRSchedule
    maximize: bool
    #: True when the rule treats each number on its own (shared scalars only),
    #: so fit may apply it to all parameters at once (see ``_flat``).
    _elementwise: ClassVar[bool] = False

    @abstractmethod
    def _slot_names(self) -> tuple[str, ...]: ...

    def _initial_slot(self, name: str, param: Array) -> Array:
        return np.zeros_like(param, dtype=np.float64)

    @abstractmethod
    def _update_one(
        self, param: Array, grad: Array, slots: Slots, lr: float, t: int
    ) -> tuple[Array, Slots]:
        """One parameter's update; ``t`` counts updates, 1 for the first."""

    @abstractmethod
    def _args(self) -> dict[str, Any]: ...

    def init(self, params: Mapping[str, Array]) -> OptimizerState:
        """A fresh state for ``params``: step 0 and zeroed (or initial) slots.

        Examples
        --------
        >>> import numpy as np
        >>> from minigd.optim import SGD
        >>> SGD(momentum=0.9).init({"w": np.zeros(2)})
        OptimizerState(step=0, slots={'w': ['momentum_buffer']})
        """
        owner = f"{type(self).__name__}.init"
        if not isinstance(params, Mapping):
            raise TypeError(
                f"The 'params' parameter of {owner} must be a dict of arrays. "
                f"Got {describe_value(params)} instead."
            )
        shapes = {k: np.shape(v) for k, v in params.items()}
        checked = check_params(params, shapes, owner)
        slots = {
            name: {slot: self._initial_slot(slot, p) for slot in self._slot_names()}
            for name, p in checked.items()
        }
        return OptimizerState(step=0, slots=slots)

    def lr_at(self, step: int, epoch: int | None = None) -> float:
        """The rate of the update after ``step`` updates, in epoch ``epoch``.

        A schedule that counts epochs needs ``epoch``: leaving it out is an
        error rather than a silent per-update stepping.

        Examples
        --------
        >>> from minigd.optim import SGD
        >>> from minigd.lr import StepDecay
        >>> SGD(lr=StepDecay(1.0, step_size=1, gamma=0.5)).lr_at(step=40, epoch=2)
        0.25
        """
        lr = self.lr
        if not isinstance(lr, LRSchedule):
            return lr
        if lr.unit == "epoch":
            if epoch is None:
                raise TypeError(
                    f"{type(self).__name__}'s learning-rate schedule {lr!r} counts epochs: "
                    f"pass epoch= to update (fit does this for you)."
                )
            return lr(epoch)
        return lr(step)

    def update(
        self,
        params: Mapping[str, Array],
        grads: Mapping[str, Array],
        state: OptimizerState,
        *,
        epoch: int | None = None,
    ) -> tuple[dict[str, Array], OptimizerState]:
        """Apply one update; return new params and state (inputs are not modified).

        Parameters
        ----------
        params, grads : dict of str to ndarray
            Same names and shapes.
        state : OptimizerState
            From :meth:`init` or the previous update.
        epoch : int, optional
            The 0-based epoch, needed when ``lr`` is a schedule counting epochs.

        Examples
        --------
        >>> import numpy as np
        >>> from minigd.optim import SGD
        >>> opt = SGD(lr=0.5)
        >>> params = {"w": np.array([1.0])}
        >>> new, state = opt.update(params, {"w": np.array([2.0])}, opt.init(params))
        >>> new["w"].tolist(), params["w"].tolist(), state.step
        ([0.0], [1.0], 1)
        """
        owner = f"{type(self).__name__}.update"
        if not isinstance(state, OptimizerState):
            raise TypeError(
                f"The 'state' parameter of {owner} must be an OptimizerState (from init). "
                f"Got {describe_value(state)} instead."
            )
        if not isinstance(params, Mapping):
            raise TypeError(
                f"The 'params' parameter of {owner} must be a dict of arrays. "
                f"Got {describe_value(params)} instead."
            )
        shapes = {k: np.shape(v) for k, v in params.items()}
        p = check_params(params, shapes, owner)
        g = check_params(grads, shapes, owner, name="grads")
        if set(state.slots) != set(p):
            raise ValueError(
                f"The 'state' parameter of {owner} was made for the names "
                f"{sorted(state.slots)}, but params has {sorted(p)}."
            )
        if epoch is not None:
            epoch = check_int(epoch, "epoch", owner, min_value=0)
        t = state.step + 1
        new_params, new_slots = self._step(p, g, state.slots, self.lr_at(state.step, epoch), t)
        # numpy turns 0-d results into scalars; hand back arrays, as given
        new_params = {k: np.asarray(v) for k, v in new_params.items()}
        for slots in new_slots.values():
            slots.update({k: np.asarray(v) for k, v in slots.items()})
        return new_params, OptimizerState(t, new_slots)

    def _step(
        self,
        params: Mapping[str, Array],
        grads: Mapping[str, Array],
        slots: Mapping[str, Slots],
        lr: float,
        t: int,
    ) -> tuple[dict[str, Array], dict[str, Slots]]:
        # Checked inputs, update number t (1-based): update() above, and fit for an
        # optimizer whose rule is not elementwise (minigd's own run flat, see _flat).
        update_one = self._update_one
        new_params: dict[str, Array] = {}
        new_slots: dict[str, Slots] = {}
        for name, param in params.items():
            new_params[name], new_slots[name] = update_one(param, grads[name], slots[name], lr, t)
        return new_params, new_slots

    def config(self) -> dict[str, Any]:
        """The optimizer's name and arguments (used by checkpoints).

        Examples
        --------
        >>> from minigd.optim import SGD
        >>> SGD(lr=0.1, momentum=0.9).config()["momentum"]
        0.9
        """
        args = self._args()
        if isinstance(self.lr, LRSchedule):
            args["lr"] = self.lr.config()
        return {"optimizer": type(self).__name__, **args}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._args().items())
        return f"{type(self).__name__}({args})"

    def _grad(self, grad: Array, param: Array, weight_decay: float) -> Array:
        # torch: negate first when maximizing, then add coupled weight decay
        g = -grad if self.maximize else grad
        return g + weight_decay * param if weight_decay != 0 else g


def lerp(start: Array, end: Array, weight: float) -> Array:
    """torch.lerp's formula, so running averages round as torch's do."""
    if weight < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1.0 - weight)
