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
- :class:`Cosine` stays at ``min_lr`` after ``total_steps`` (as optax does);
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
from typing import Any, ClassVar, TypeAlias

from ._validation import (
    BOOL,
    NONE,
    Interval,
    Options,
    Rule,
    Satisfies,
    SetOnce,
    check_int,
    describe_value,
    validate_init,
    warn_renamed,
)
from .schedule import ITERATION_CONVENTIONS

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
    "RateOverflowError",
    "StepDecay",
]

#: The two counters a learning-rate schedule can read: the update count or the
#: epoch index. The same tuple as :data:`minigd.ITERATION_CONVENTIONS`.
UNITS = ITERATION_CONVENTIONS

_RATE = [Interval(float, 0.0, None)]  # a learning rate: a float >= 0
_UNIT = [Options(UNITS)]


class RateOverflowError(OverflowError, ValueError):
    """A learning-rate schedule's rate at some count is past the largest float.

    ``Exponential`` and ``StepDecay`` with ``gamma > 1`` get there at large
    counts. Inside :func:`minigd.fit` it is reported as a divergence.

    Examples
    --------
    >>> try:
    ...     Exponential(0.1, gamma=2.0)(2000)
    ... except RateOverflowError as exc:
    ...     print(exc)
    The rate of Exponential(lr=0.1, gamma=2.0, unit='epoch') at count 2000 is past the largest float (about 1.8e308).
    """  # noqa: E501


class LRSchedule(SetOnce, ABC):
    """A learning rate as a function of a counter, declaring which counter.

    Attributes
    ----------
    unit : {"step", "epoch"}
        ``"step"``: called with the number of updates applied so far.
        ``"epoch"``: called with the 0-based epoch index.

    Examples
    --------
    >>> from minigd.lr import Cosine
    >>> isinstance(Cosine(0.1, total_steps=10), LRSchedule)
    True
    """

    unit: str = "step"

    @abstractmethod
    def _value(self, count: int) -> float: ...

    def __call__(self, count: int) -> float:
        if count.__class__ is not int or count < 0:  # checked in full only when unusual
            count = check_int(count, "count", type(self).__name__, min_value=0)
        try:
            rate = self._value(count)
        except OverflowError:  # float ** int past the largest float
            rate = math.inf
        if not math.isfinite(rate):
            raise RateOverflowError(
                f"The rate of {self!r} at count {count} is past the largest float (about 1.8e308)."
            )
        return rate

    def config(self) -> dict[str, Any]:
        """The schedule's name and arguments (used by checkpoints).

        The name is under ``"lr_schedule"`` ("schedule" alone means the
        training plan, :class:`~minigd.Schedule`).

        Examples
        --------
        >>> Exponential(0.1, gamma=0.5).config()
        {'lr_schedule': 'Exponential', 'lr': 0.1, 'gamma': 0.5, 'unit': 'epoch'}
        """
        return {"lr_schedule": type(self).__name__, **self._args()}

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


class Constant(LRSchedule):
    """The same rate for every update.

    Examples
    --------
    >>> Constant(0.1)(0), Constant(0.1)(10_000)
    (0.1, 0.1)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {"lr": _RATE}
    lr: float

    def __init__(self, lr: float) -> None:
        validate_init(self, lr=lr)
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

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "lr": _RATE,
        "step_size": [Interval(int, 1, None)],
        "gamma": [Interval(float, 0.0, None)],
        "unit": _UNIT,
    }
    lr: float
    step_size: int
    gamma: float

    def __init__(
        self, lr: float, step_size: int, gamma: float = 0.1, *, unit: str = "epoch"
    ) -> None:
        validate_init(self, lr=lr, step_size=step_size, gamma=gamma, unit=unit)

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

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "lr": _RATE,
        "gamma": [Interval(float, 0.0, None)],
        "unit": _UNIT,
    }
    lr: float
    gamma: float

    def __init__(self, lr: float, gamma: float, *, unit: str = "epoch") -> None:
        validate_init(self, lr=lr, gamma=gamma, unit=unit)

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

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "lr": _RATE,
        "warmup": [Interval(int, 1, None)],
        "start_factor": [Interval(float, 0.0, 1.0, closed="right"), NONE],
        "unit": _UNIT,
    }
    lr: float
    warmup: int
    start_factor: float

    def __init__(
        self, lr: float, warmup: int, *, start_factor: float | None = None, unit: str = "step"
    ) -> None:
        validate_init(self, lr=lr, warmup=warmup, start_factor=start_factor, unit=unit)
        if start_factor is None:  # torch's default, from the checked warmup (set once)
            vars(self)["start_factor"] = 1.0 / (self.warmup + 1)

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
    """Cosine decay from ``lr`` to ``min_lr`` at count ``total_steps``, optional warmup.

    Without warmup this is torch's ``CosineAnnealingLR(T_max=total_steps,
    eta_min=min_lr)`` up to ``total_steps``; after it the rate stays at
    ``min_lr``. With ``warmup=w`` the first ``w`` counts rise as
    :class:`LinearWarmup`, then the cosine runs from count ``w`` to ``total_steps``.

    Parameters
    ----------
    lr : float
        The rate at count 0 (after warmup).
    total_steps : int
        The count where the decay ends: updates, or epochs with ``unit="epoch"``
        (``OneCycle`` names its length the same way). ``total=`` is its old
        name, deprecated.
    min_lr : float, default 0.0
    warmup : int, default 0
        Counts of linear warmup, at most ``total_steps - 1``.
    unit : {"step", "epoch"}, default "step"

    Examples
    --------
    >>> s = Cosine(1.0, total_steps=4)
    >>> [round(s(k), 12) for k in range(6)]
    [1.0, 0.853553390593, 0.5, 0.146446609407, 0.0, 0.0]
    >>> w = Cosine(1.0, total_steps=6, warmup=2)
    >>> [round(w(k), 4) for k in range(7)]
    [0.3333, 0.6667, 1.0, 0.8536, 0.5, 0.1464, 0.0]
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "lr": _RATE,
        "total_steps": [Interval(int, 1, None)],
        "min_lr": [Interval(float, 0.0, None)],
        "warmup": [Interval(int, None, None)],  # its range depends on total_steps: the rule
        "unit": _UNIT,
    }
    _parameter_rules: ClassVar[list[Rule]] = [
        Rule("warmup", "in", lambda a: Interval(int, 0, a["total_steps"] - 1), "be {limit}"),
    ]
    lr: float
    total_steps: int
    min_lr: float
    warmup: int

    def __init__(
        self,
        lr: float,
        total_steps: int | None = None,
        *,
        min_lr: float = 0.0,
        warmup: int = 0,
        unit: str = "step",
        total: int | None = None,
    ) -> None:
        if total is not None:
            warn_renamed("Cosine(total=)", "Cosine(total_steps=)")
            total_steps = total if total_steps is None else total_steps
        validate_init(self, lr=lr, total_steps=total_steps, min_lr=min_lr, warmup=warmup, unit=unit)

    @property
    def total(self) -> int:
        """Deprecated name of :attr:`total_steps`."""
        warn_renamed("Cosine.total", "Cosine.total_steps")
        return self.total_steps

    def _value(self, count: int) -> float:
        if count < self.warmup:
            return self.lr * _warmup_factor(count, self.warmup, 1.0 / (self.warmup + 1))
        span = self.total_steps - self.warmup
        progress = min(count - self.warmup, span) / span
        return self.min_lr + (self.lr - self.min_lr) * (1.0 + math.cos(math.pi * progress)) / 2

    def _args(self) -> dict[str, Any]:
        return {
            "lr": self.lr,
            "total_steps": self.total_steps,
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

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "max_lr": _RATE,
        "total_steps": [Interval(int, 1, None)],
        "pct_start": [Interval(float, 0.0, 1.0)],
        "anneal": [Options(("cos", "linear"))],
        "div_factor": [Interval(float, 0.0, None, closed="neither")],
        "final_div_factor": [Interval(float, 0.0, None, closed="neither")],
        "three_phase": [BOOL],
    }
    max_lr: float
    total_steps: int
    pct_start: float
    anneal: str
    div_factor: float
    final_div_factor: float
    three_phase: bool

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
        validate_init(
            self, max_lr=max_lr, total_steps=total_steps, pct_start=pct_start, anneal=anneal,
            div_factor=div_factor, final_div_factor=final_div_factor, three_phase=three_phase,
        )  # fmt: skip
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
        starts = [0.0] + [end for end, _, _ in self._phases[:-1]]
        allowed = "pct_start * total_steps != 1 and " + (
            "2 * pct_start * total_steps != total_steps + 1" if three_phase else "pct_start < 1"
        )
        for i, ((end, _, _), start) in enumerate(zip(self._phases, starts, strict=True)):
            if end == start:  # torch's OneCycleLR divides by zero here
                raise ValueError(
                    f"The 'pct_start' parameter of OneCycle makes phase {i + 1} of "
                    f"{len(self._phases)} last zero updates with total_steps="
                    f"{self.total_steps}: pct_start={self.pct_start!r}. Use a pct_start "
                    f"with {allowed}."
                )

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


#: keys that learning-rate configs had before 0.2: ``"schedule"`` (now
#: ``"lr_schedule"``) and Cosine's ``"total"`` (now ``"total_steps"``)
_OLD_KEYS = {"schedule": "lr_schedule", "total": "total_steps"}


def upgrade_config(config: Any) -> Any:
    """A learning-rate config written by an older minigd, with today's keys.

    A checkpoint stores its optimizer's config; this lets a checkpoint written
    before the renames resume. Anything else comes back unchanged.

    Examples
    --------
    >>> upgrade_config({"schedule": "Cosine", "lr": 0.1, "total": 50})
    {'lr_schedule': 'Cosine', 'lr': 0.1, 'total_steps': 50}
    >>> upgrade_config(0.1)
    0.1
    """
    if not isinstance(config, dict) or "schedule" not in config:
        return config
    return {_OLD_KEYS.get(key, key): value for key, value in config.items()}


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

    function: Callable[[int], float]

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "function": [Satisfies(callable, "a callable of the count")],
        "unit": _UNIT,
    }

    def __init__(self, function: Callable[[int], float], *, unit: str = "step") -> None:
        validate_init(self, function=function, unit=unit)

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
