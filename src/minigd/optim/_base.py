"""The optimizer interface: pure ``init`` and ``update``, state keyed by name.

An optimizer holds hyperparameters only. ``init(params)`` returns an
:class:`OptimizerState`: the number of updates applied (``step``, the one
clock) and, per parameter name, torch's slot arrays (``momentum_buffer``,
``sum``, ``square_avg``, ``grad_avg``, ``exp_avg``, ``exp_avg_sq``,
``max_exp_avg_sq``). ``update(params, grads, state)`` applies the optimizer's
``rule`` (its formula, one parameter at a time) and returns new params and a
new state; it never writes into its inputs.

Arguments are checked where they enter: hyperparameters in the constructor,
parameters in ``init``. ``update`` then checks only what costs the same for
any size (names, shapes, dtypes), and trusts the values of a state that
``init`` or ``update`` of the same optimizer made; any other state is checked
in full once (``torch.optim`` and optax do not re-check per step either).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from .._validation import (
    InstanceOf,
    Interval,
    SetOnce,
    check_int,
    check_params,
    check_state,
    validate_params,
)
from ..lr import Lambda, LRSchedule

__all__ = ["LR", "NONNEGATIVE", "Optimizer", "OptimizerState", "check_lr"]

Array = NDArray[np.float64]
Slots = dict[str, Array]

_FLOAT64 = np.dtype(np.float64)
#: slots that hold running sums of squares: never negative
_SQUARES = ("sum", "square_avg", "exp_avg_sq", "max_exp_avg_sq")


class OptimizerState(NamedTuple):
    """What an optimizer carries from one update to the next (immutable).

    Attributes
    ----------
    step : int
        A count: the updates applied so far, as torch's per-parameter
        ``state["step"]`` and Hugging Face's ``global_step`` (0 after
        ``init``, 1 after the first update). The 0-based index of an update
        is ``StepInfo.step_index``, one less than the count after it.
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


#: the constraints of an optimizer's ``lr``: a float >= 0, or a learning-rate schedule
class _RateFunction(NamedTuple):
    """A plain function of the update count, taken as ``lr.Lambda(f)`` (optax's convention)."""

    text: str = "a function of the update count"

    def is_type(self, value: Any) -> bool:
        return callable(value)

    def allows(self, value: Any) -> bool:
        return True

    def convert(self, value: Any, name: str, owner: str) -> Lambda:
        return Lambda(value)

    def __str__(self) -> str:
        return self.text


#: a learning rate: a float >= 0, a schedule, or a function of the update count
LR = [Interval(float, 0.0, None), InstanceOf(LRSchedule, "an LRSchedule"), _RateFunction()]
_STATE = InstanceOf(OptimizerState, "an OptimizerState (from init)")
#: the constraints of a hyperparameter that is a float >= 0
NONNEGATIVE = [Interval(float, 0.0, None)]


def check_lr(lr: Any, owner: str) -> float | LRSchedule:
    """A learning rate: a float >= 0, an :class:`~minigd.lr.LRSchedule`, or a function of the count.

    A plain function ``f`` becomes ``Lambda(f)``: the update after ``k``
    updates uses ``f(k)``.

    Examples
    --------
    >>> check_lr(0.1, "demo")
    0.1
    >>> check_lr(lambda k: 0.1 / (k + 1), "demo").unit
    'step'
    """
    checked: float | LRSchedule = validate_params(owner, {"lr": LR}, {"lr": lr})["lr"]
    return checked


class _IssuedState(OptimizerState):
    """An :class:`OptimizerState` made by ``init`` or ``update``; ``issuer`` is the optimizer.

    (A subclass of a named tuple that declares no ``__slots__`` gets an
    instance ``__dict__``, where ``issuer`` lives; equality, unpacking and
    ``repr`` are the named tuple's.)
    """

    issuer: Optimizer


class Optimizer(SetOnce, ABC):
    """Base class of the optimizers in :mod:`minigd.optim`.

    A subclass gives its hyperparameters, the names of its slots and its
    ``rule``: the update of one parameter, written as the formula.

    Examples
    --------
    >>> from minigd.optim import SGD
    >>> isinstance(SGD(), Optimizer)
    True
    """

    lr: float | LRSchedule
    maximize: bool

    @abstractmethod
    def _slot_names(self) -> tuple[str, ...]: ...

    def _initial_slot(self, name: str, param: Array) -> Array:
        return np.zeros_like(param, dtype=np.float64)

    @abstractmethod
    def rule(
        self, param: Array, grad: Array, slots: Slots, lr: float, step: int
    ) -> tuple[Array, Slots]:
        """One parameter's update: ``(new_param, new_slots)``; ``step`` is 1 for the first."""

    @abstractmethod
    def _args(self) -> dict[str, Any]: ...

    def _issue(self, step: int, slots: dict[str, Slots]) -> OptimizerState:
        state = _IssuedState(step, slots)
        state.issuer = self
        return state

    def init(self, params: Mapping[str, Array]) -> OptimizerState:
        """A fresh state for ``params``: step 0 and zeroed (or initial) slots.

        Parameters
        ----------
        params : dict of str to ndarray
            Float arrays; their names and shapes are those every later
            ``update`` must use.

        Returns
        -------
        OptimizerState

        Raises
        ------
        TypeError, ValueError
            ``params`` is not a dict of float arrays.

        Examples
        --------
        >>> import numpy as np
        >>> from minigd.optim import SGD
        >>> SGD(momentum=0.9).init({"w": np.zeros(2)})
        OptimizerState(step=0, slots={'w': ['momentum_buffer']})
        """
        owner = f"{type(self).__name__}.init"
        checked = check_params(params, _shapes_of(params), owner)
        slots = {
            name: {slot: self._initial_slot(slot, p) for slot in self._slot_names()}
            for name, p in checked.items()
        }
        return self._issue(0, slots)

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

        The learning rate is ``lr_at(state.step, epoch)``: a learning-rate
        schedule is evaluated before the count increments, so the first
        update uses ``lr(0)`` (optax's convention).

        Parameters
        ----------
        params, grads : dict of str to ndarray
            The same names and shapes as the ``params`` given to :meth:`init`.
        state : OptimizerState
            From :meth:`init` or the previous update.
        epoch : int, optional
            The 0-based epoch, needed when ``lr`` is a schedule counting epochs.

        Returns
        -------
        params : dict of str to ndarray
        state : OptimizerState
            ``state.step`` is one more than before.

        Raises
        ------
        TypeError, ValueError
            Names, shapes or dtypes that do not match; a state this optimizer
            cannot continue from.

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
        self._check_update(params, grads, state, epoch)
        lr = self.lr_at(state.step, epoch)
        step = state.step + 1
        new_params: dict[str, Array] = {}
        new_slots: dict[str, Slots] = {}
        for name, param in params.items():
            new_params[name], new_slots[name] = self.rule(
                param, grads[name], state.slots[name], lr, step
            )
        return new_params, self._issue(step, new_slots)

    def _check_update(self, params: Any, grads: Any, state: Any, epoch: Any) -> None:
        """Checks that cost the same for any size; anything unusual is checked in full."""
        try:
            # equal lengths and every name of params found: the same names
            plain = (
                state.issuer is self
                and (epoch is None or (epoch.__class__ is int and epoch >= 0))
                and len(params) == len(grads) == len(state.slots)
                and _same_shapes(params, grads, state.slots)
            )
        except (AttributeError, KeyError, TypeError):
            plain = False
        if not plain:
            self._check_in_full(params, grads, state, epoch)

    def _check_in_full(self, params: Any, grads: Any, state: Any, epoch: Any) -> None:
        owner = f"{type(self).__name__}.update"
        validate_params(owner, {"state": [_STATE]}, {"state": state})
        shapes = _shapes_of(params)
        check_params(params, shapes, owner)
        check_params(grads, shapes, owner, name="grads")
        if epoch is not None:
            check_int(epoch, "epoch", owner, min_value=0)
        self._check_state(state, shapes, owner)

    def _check_state(
        self, state: OptimizerState, shapes: Mapping[str, tuple[int, ...]], owner: str
    ) -> None:
        """A state from elsewhere (a file, a hand-built one): every name, shape and value."""
        check_state(state.step, state.slots, shapes, self._slot_names(), _SQUARES, owner)

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


def _shapes_of(params: Any) -> dict[str, tuple[int, ...]]:
    """The shape of each array in ``params`` (none if it is not a dict: check_params says so)."""
    return {k: np.shape(v) for k, v in params.items()} if isinstance(params, Mapping) else {}


def _same_shapes(params: Any, grads: Any, slots: Any) -> bool:
    """Float64 parameters and gradients, and slots of the same shapes (KeyError: a name missing)."""
    for name, param in params.items():
        shape, grad = param.shape, grads[name]
        if grad.shape != shape or grad.dtype is not _FLOAT64 or param.dtype is not _FLOAT64:
            return False
        for value in slots[name].values():
            if value.shape != shape:
                return False
    return True


def lerp(start: Array, end: Array, weight: float) -> Array:
    """torch.lerp's formula, so running averages round as torch's do."""
    if weight < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1.0 - weight)
