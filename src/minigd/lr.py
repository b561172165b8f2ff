"""Learning-rate schedules: pure functions of a counter that say which counter.

Each schedule is a callable ``schedule(count) -> float`` with a ``unit``:
``"step"`` (the number of updates applied so far) or ``"epoch"`` (the 0-based
epoch index). The optimizer and :func:`minigd.fit` feed each schedule the
counter it declares, so stepping a per-epoch schedule once per batch (the
classic ``torch.optim.lr_scheduler`` bug) cannot happen silently.

Conventions
-----------
- The first update uses ``schedule(0)`` (optax's convention, and torch's when
  ``scheduler.step()`` follows ``optimizer.step()``).
- Warmup never starts at 0: during ``warmup`` counts the rate rises linearly
  from ``lr * start_factor`` and reaches ``lr`` at count ``warmup``. The
  default ``start_factor = 1 / (warmup + 1)`` makes the first update's rate
  ``lr / (warmup + 1)``. (Hugging Face's linear warmup starts at exactly 0,
  so its first update does nothing; torch's ``LinearLR`` defaults to 1/3.)
- :class:`Cosine` stays at ``min_lr`` after ``total`` (as optax does);
  torch's ``CosineAnnealingLR`` is periodic past ``T_max`` instead.
- A plain function ``f`` given as an optimizer's ``lr`` is :class:`Lambda`
  ``(f)``: ``f(count)`` of the update count, torch's ``LambdaLR``.
- :class:`OneCycle` follows ``torch.optim.lr_scheduler.OneCycleLR`` exactly
  (but does not cycle momentum) and, like it, refuses counts past
  ``total_steps``.
"""

from __future__ import annotations

import math
import numbers
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, TypeAlias

from ._validation import (
    check_bool,
    check_float,
    check_int,
    check_option,
    describe_value,
    is_int,
)

__all__ = [
    "UNITS",
    "Constant",
    "Cosine",
    "Exponential",
    "LRSchedule",
    "Lambda",
    "LearningRate",
    "LinearWarmup",
    "OneCycle",
    "StepDecay",
]

UNITS = ("step", "epoch")


class LRSchedule(ABC):
    """A learning rate as a function of a counter, declaring which counter.

    Attributes
    ----------
    unit : {"step", "epoch"}
        ``"step"``: called with the number of updates applied so far.
        ``"epoch"``: called with the 0-based epoch index.

    Examples
    --------
    >>> from minigd.lr import Cosine
    >>> isinstance(Cosine(0.1, total=10), LRSchedule)
    True
    """

    unit: str = "step"

    @abstractmethod
    def _value(self, count: int) -> float: ...

    def __call__(self, count: int) -> float:
        if not is_int(count) or count < 0:
            raise ValueError(
                f"The 'count' parameter of {type(self).__name__} must be an int in the range "
                f"[0, inf). Got {count!r} instead."
            )
        return self._value(int(count))

    def config(self) -> dict[str, Any]:
        """The schedule's name and arguments (used by checkpoints).

        Examples
        --------
        >>> Exponential(0.1, gamma=0.5).config()
        {'schedule': 'Exponential', 'lr': 0.1, 'gamma': 0.5, 'unit': 'epoch'}
        """
        return {"schedule": type(self).__name__, **self._args()}

    @abstractmethod
    def _args(self) -> dict[str, Any]: ...

    @property
    def initial_lr(self) -> float:
        """``schedule(0)``: the first update's rate."""
        return self(0)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._args().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LRSchedule):
            return NotImplemented
        return self.config() == other.config()

    def __hash__(self) -> int:
        return hash(repr(self))


def _unit(value: Any, owner: str) -> str:
    return check_option(value, "unit", owner, UNITS)


class Constant(LRSchedule):
    """The same rate for every update.

    Examples
    --------
    >>> Constant(0.1)(0), Constant(0.1)(10_000)
    (0.1, 0.1)
    """

    def __init__(self, lr: float) -> None:
        self.lr = check_float(lr, "lr", "Constant", low=0.0)
        self.unit = "step"

    def _value(self, count: int) -> float:
        return self.lr

    def _args(self) -> dict[str, Any]:
        return {"lr": self.lr}


class StepDecay(LRSchedule):
    """``lr * gamma ** (count // step_size)``: torch's ``StepLR``.

    Counts epochs by default, as StepLR's documentation steps it.

    Examples
    --------
    >>> s = StepDecay(0.1, step_size=10, gamma=0.1)
    >>> s.unit, s(0), s(9), round(s(10), 12), round(s(29), 12)
    ('epoch', 0.1, 0.1, 0.01, 0.001)
    """

    def __init__(
        self, lr: float, step_size: int, gamma: float = 0.1, *, unit: str = "epoch"
    ) -> None:
        owner = "StepDecay"
        self.lr = check_float(lr, "lr", owner, low=0.0)
        self.step_size = check_int(step_size, "step_size", owner, min_value=1)
        self.gamma = check_float(gamma, "gamma", owner, low=0.0)
        self.unit = _unit(unit, owner)

    def _value(self, count: int) -> float:
        return self.lr * self.gamma ** (count // self.step_size)

    def _args(self) -> dict[str, Any]:
        return {"lr": self.lr, "step_size": self.step_size, "gamma": self.gamma, "unit": self.unit}


class Exponential(LRSchedule):
    """``lr * gamma ** count``: torch's ``ExponentialLR``.

    Examples
    --------
    >>> s = Exponential(1.0, gamma=0.5)
    >>> s.unit, [s(k) for k in range(4)]
    ('epoch', [1.0, 0.5, 0.25, 0.125])
    """

    def __init__(self, lr: float, gamma: float, *, unit: str = "epoch") -> None:
        owner = "Exponential"
        self.lr = check_float(lr, "lr", owner, low=0.0)
        self.gamma = check_float(gamma, "gamma", owner, low=0.0)
        self.unit = _unit(unit, owner)

    def _value(self, count: int) -> float:
        return self.lr * self.gamma**count

    def _args(self) -> dict[str, Any]:
        return {"lr": self.lr, "gamma": self.gamma, "unit": self.unit}


def _warmup_factor(count: int, warmup: int, start_factor: float) -> float:
    # torch LinearLR's closed form, with end_factor 1 and total_iters = warmup
    return start_factor + (1.0 - start_factor) * min(count, warmup) / warmup


class LinearWarmup(LRSchedule):
    """Rise linearly from ``lr * start_factor`` to ``lr`` over ``warmup`` counts.

    torch's ``LinearLR(start_factor, end_factor=1.0, total_iters=warmup)``.
    The default ``start_factor`` is ``1 / (warmup + 1)``: the first update's
    rate is small but never 0.

    Examples
    --------
    >>> s = LinearWarmup(0.4, warmup=3)
    >>> [round(s(k), 12) for k in range(5)]
    [0.1, 0.2, 0.3, 0.4, 0.4]
    """

    def __init__(
        self, lr: float, warmup: int, *, start_factor: float | None = None, unit: str = "step"
    ) -> None:
        owner = "LinearWarmup"
        self.lr = check_float(lr, "lr", owner, low=0.0)
        self.warmup = check_int(warmup, "warmup", owner, min_value=1)
        self.start_factor = (
            1.0 / (self.warmup + 1)
            if start_factor is None
            else check_float(start_factor, "start_factor", owner, low=0.0, high=1.0, low_open=True)
        )
        self.unit = _unit(unit, owner)

    def _value(self, count: int) -> float:
        return self.lr * _warmup_factor(count, self.warmup, self.start_factor)

    def _args(self) -> dict[str, Any]:
        return {
            "lr": self.lr,
            "warmup": self.warmup,
            "start_factor": self.start_factor,
            "unit": self.unit,
        }


class Cosine(LRSchedule):
    """Cosine decay from ``lr`` to ``min_lr`` at count ``total``, optional warmup.

    Without warmup this is torch's ``CosineAnnealingLR(T_max=total,
    eta_min=min_lr)`` up to ``total``; after it the rate stays at ``min_lr``.
    With ``warmup=w`` the first ``w`` counts rise as :class:`LinearWarmup`,
    then the cosine runs from count ``w`` to ``total``.

    Examples
    --------
    >>> s = Cosine(1.0, total=4)
    >>> [round(s(k), 12) for k in range(6)]
    [1.0, 0.853553390593, 0.5, 0.146446609407, 0.0, 0.0]
    >>> w = Cosine(1.0, total=6, warmup=2)
    >>> [round(w(k), 4) for k in range(7)]
    [0.3333, 0.6667, 1.0, 0.8536, 0.5, 0.1464, 0.0]
    """

    def __init__(
        self, lr: float, total: int, *, min_lr: float = 0.0, warmup: int = 0, unit: str = "step"
    ) -> None:
        owner = "Cosine"
        self.lr = check_float(lr, "lr", owner, low=0.0)
        self.total = check_int(total, "total", owner, min_value=1)
        self.min_lr = check_float(min_lr, "min_lr", owner, low=0.0)
        self.warmup = check_int(warmup, "warmup", owner, min_value=0, max_value=self.total - 1)
        self.unit = _unit(unit, owner)

    def _value(self, count: int) -> float:
        if count < self.warmup:
            return self.lr * _warmup_factor(count, self.warmup, 1.0 / (self.warmup + 1))
        progress = min(count - self.warmup, self.total - self.warmup) / (self.total - self.warmup)
        return self.min_lr + (self.lr - self.min_lr) * (1.0 + math.cos(math.pi * progress)) / 2

    def _args(self) -> dict[str, Any]:
        return {
            "lr": self.lr,
            "total": self.total,
            "min_lr": self.min_lr,
            "warmup": self.warmup,
            "unit": self.unit,
        }


class OneCycle(LRSchedule):
    """torch's ``OneCycleLR``: up from ``max_lr / div_factor``, then down to a tiny rate.

    Always counts updates (torch documents it as stepped after every batch).

    Parameters
    ----------
    max_lr : float
        Peak rate.
    total_steps : int
        Updates in the run; counts past it raise ``ValueError`` as torch does.
    pct_start : float, default 0.3
        Fraction of the run spent rising.
    anneal : {"cos", "linear"}, default "cos"
    div_factor : float, default 25.0
        Initial rate is ``max_lr / div_factor``.
    final_div_factor : float, default 1e4
        Final rate is ``initial / final_div_factor``.
    three_phase : bool, default False
        Rise, fall back to the initial rate, then anneal to the final one.

    Examples
    --------
    >>> s = OneCycle(1.0, total_steps=10)
    >>> round(s(0), 6), round(s(2), 6), round(s(9), 8)
    (0.04, 1.0, 4e-06)
    """

    def __init__(
        self,
        max_lr: float,
        total_steps: int,
        *,
        pct_start: float = 0.3,
        anneal: str = "cos",
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
    ) -> None:
        owner = "OneCycle"
        self.max_lr = check_float(max_lr, "max_lr", owner, low=0.0)
        self.total_steps = check_int(total_steps, "total_steps", owner, min_value=1)
        self.pct_start = check_float(pct_start, "pct_start", owner, low=0.0, high=1.0)
        self.anneal = check_option(anneal, "anneal", owner, ("cos", "linear"))
        self.div_factor = check_float(div_factor, "div_factor", owner, low=0.0, low_open=True)
        self.final_div_factor = check_float(
            final_div_factor, "final_div_factor", owner, low=0.0, low_open=True
        )
        self.three_phase = check_bool(three_phase, "three_phase", owner)
        self.unit = "step"
        initial = self.max_lr / self.div_factor
        final = initial / self.final_div_factor
        up_end = self.pct_start * self.total_steps - 1
        if self.three_phase:
            self._phases = [
                (up_end, initial, self.max_lr),
                (2 * self.pct_start * self.total_steps - 2, self.max_lr, initial),
                (self.total_steps - 1.0, initial, final),
            ]
        else:
            self._phases = [
                (up_end, initial, self.max_lr),
                (self.total_steps - 1.0, self.max_lr, final),
            ]

    def _value(self, count: int) -> float:
        if count > self.total_steps:
            raise ValueError(
                f"OneCycle was asked for update {count}, past its total_steps="
                f"{self.total_steps}. Build it with total_steps=schedule.total_steps."
            )
        start = 0.0
        for i, (end, lr_start, lr_end) in enumerate(self._phases):
            if count <= end or i == len(self._phases) - 1:
                pct = (count - start) / (end - start)
                if self.anneal == "cos":
                    return lr_end + (lr_start - lr_end) / 2.0 * (math.cos(math.pi * pct) + 1)
                return (lr_end - lr_start) * pct + lr_start
            start = end
        raise AssertionError("unreachable")  # pragma: no cover

    def _args(self) -> dict[str, Any]:
        return {
            "max_lr": self.max_lr,
            "total_steps": self.total_steps,
            "pct_start": self.pct_start,
            "anneal": self.anneal,
            "div_factor": self.div_factor,
            "final_div_factor": self.final_div_factor,
            "three_phase": self.three_phase,
        }


class Lambda(LRSchedule):
    """Any function of the count: ``f(count)``, torch's ``LambdaLR`` with ``lr=1``.

    ``optimizer.lr`` may be a plain function of the update count (optax's
    convention: the first update uses ``f(0)``); the optimizer wraps it as
    ``Lambda(f)``. A function of the epoch must say so,
    ``Lambda(f, unit="epoch")``, so that it is never stepped per update by
    accident. torch's ``LambdaLR(opt, f)`` multiplies the optimizer's ``lr``
    by ``f``: with ``lr=1.0`` it gives the same rates, stepped per update or
    per epoch.

    Parameters
    ----------
    function : callable
        ``function(count) -> float``, a finite rate >= 0 for every count the
        run uses.
    unit : {"step", "epoch"}, default "step"
        The count ``function`` takes: updates applied so far, or the 0-based
        epoch.

    Raises
    ------
    TypeError
        ``function`` is not callable.
    ValueError
        ``unit`` is not "step" or "epoch". When called: ``function``
        returned something other than a finite float >= 0 (the message names
        the count).

    Examples
    --------
    >>> s = Lambda(lambda k: 0.1 / (1 + k))
    >>> s.unit, s(0), s(4)
    ('step', 0.1, 0.02)
    >>> Lambda(lambda e: 0.5**e, unit="epoch")(3)
    0.125
    """

    def __init__(self, function: Callable[[int], float], *, unit: str = "step") -> None:
        if not callable(function):
            raise TypeError(
                f"The 'function' parameter of Lambda must be a callable of the count. "
                f"Got {describe_value(function)} instead."
            )
        self.function = function
        self.unit = _unit(unit, "Lambda")

    @property
    def name(self) -> str:
        """The function's qualified name, ``module.qualname`` (what checkpoints record)."""
        f = self.function
        qualname = getattr(f, "__qualname__", type(f).__qualname__)
        return f"{getattr(f, '__module__', None) or '?'}.{qualname}"

    def _value(self, count: int) -> float:
        value: Any = self.function(count)  # whatever the function returns
        real = isinstance(value, numbers.Real) and not isinstance(value, bool)
        rate = float(value) if real else math.nan
        if not (math.isfinite(rate) and rate >= 0):
            raise ValueError(
                f"The learning-rate function {self.name} returned {describe_value(value)} at "
                f"{self.unit} {count}; a learning rate must be a finite float >= 0."
            )
        return rate

    def _args(self) -> dict[str, Any]:
        return {"function": self.name, "unit": self.unit}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Lambda):
            return NotImplemented
        return self.function is other.function and self.unit == other.unit

    def __hash__(self) -> int:
        return hash((id(self.function), self.unit))


#: What an optimizer's ``lr`` accepts: a rate, a schedule, or a function of the update count.
LearningRate: TypeAlias = float | LRSchedule | Callable[[int], float]
