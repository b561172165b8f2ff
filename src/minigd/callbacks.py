"""Callbacks: code of yours that ``fit`` calls after every update and every epoch.

``fit`` hands each callback copies of the parameters and the optimizer state
(:class:`StepInfo`, :class:`EpochInfo`), so a callback can keep or change
them without touching the run. Raising :class:`StopTraining` ends training
cleanly. :class:`EarlyStopping` is one such callback.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar, NamedTuple

from ._text import counted
from ._validation import (
    Interval,
    Items,
    Options,
    Satisfies,
    validate_init,
    warn_renamed,
)
from .models._base import Params
from .optim._base import OptimizerState

__all__ = ["Callback", "EarlyStopping", "EpochInfo", "StepInfo", "StopTraining"]


class StopTraining(Exception):  # noqa: N818 (a signal, like StopIteration)
    """Raise from a callback to end training cleanly; ``fit`` returns what was done.

    Examples
    --------
    >>> import minigd
    >>> class StopAtFive:
    ...     def on_step_end(self, info):
    ...         if info.step_index == 4:
    ...             raise StopTraining
    >>> X, y = minigd.datasets.make_regression(20, 2, seed=0)
    >>> r = minigd.fit(minigd.models.LinearRegression(2), X, y, minigd.Schedule(20, 5, 3),
    ...         minigd.optim.SGD(lr=0.1), callbacks=[StopAtFive()])
    >>> r.stopped_early, len(r.history)
    (True, 5)
    """


class StepInfo(NamedTuple):
    """What ``on_step_end`` receives after each update.

    Indices start at 0 and say so; counts are totals. ``params`` and ``state``
    are copies: a callback may keep or change them without touching the run.

    Attributes
    ----------
    epoch : int
        0-based index of the epoch.
    step_index : int
        0-based index of the update in the run (``state.step``, a count, is
        one more: the updates done, as torch's ``state["step"]``).
    step_in_epoch : int
        0-based index of the update within its epoch.
    samples_in_step : int
        Rows in the update: every micro-batch and replica
        (``Schedule.effective_batch_size`` for a full one).
    samples_seen : int
        Rows in every update so far, this one included.
    lr, loss : float
        The update's learning rate and its batch loss (before the update).
    params : dict of str to ndarray
    state : OptimizerState

    ``step`` and ``batch_size`` are the deprecated names of ``step_index`` and
    ``samples_in_step``.

    Examples
    --------
    >>> info = StepInfo(0, 3, 3, 5, 20, 0.1, 0.25, {}, None)
    >>> info.step_index, info.samples_in_step, info.samples_seen
    (3, 5, 20)
    """

    epoch: int
    step_index: int
    step_in_epoch: int
    samples_in_step: int
    samples_seen: int
    lr: float
    loss: float
    params: Params
    state: OptimizerState

    @property
    def step(self) -> int:
        """Deprecated name of :attr:`step_index`."""
        warn_renamed("StepInfo.step", "StepInfo.step_index")
        return self.step_index

    @property
    def batch_size(self) -> int:
        """Deprecated name of :attr:`samples_in_step`."""
        warn_renamed("StepInfo.batch_size", "StepInfo.samples_in_step")
        return self.samples_in_step


class EpochInfo(NamedTuple):
    """What ``on_epoch_end`` receives after each epoch.

    ``loss`` is the sample-weighted mean of the epoch's batch losses (what
    Keras prints); ``train_loss`` is the loss on the whole training set with
    the parameters at the end of the epoch; ``val_loss`` likewise on the
    validation data (``None`` without it). ``params`` and ``state`` are
    copies, as in :class:`StepInfo`.

    Examples
    --------
    >>> EpochInfo(0, 20, 100, 0.5, 0.4, None, {}, None).train_loss
    0.4
    """

    epoch: int
    steps_done: int
    samples_seen: int
    loss: float
    train_loss: float
    val_loss: float | None
    params: Params
    state: OptimizerState


class Callback:
    """Base class for callbacks; override either method (both optional).

    Examples
    --------
    >>> import minigd
    >>> class CountEpochs(Callback):
    ...     def __init__(self):
    ...         self.epochs = 0
    ...     def on_epoch_end(self, info):
    ...         self.epochs += 1
    >>> X, y = minigd.datasets.make_regression(20, 2, seed=0)
    >>> counter = CountEpochs()
    >>> _ = minigd.fit(minigd.models.LinearRegression(2), X, y, minigd.Schedule(20, 5, 3),
    ...         minigd.optim.SGD(lr=0.1), callbacks=[counter])
    >>> counter.epochs
    3
    """

    def on_step_end(self, info: StepInfo) -> None:
        """Called after every update.

        Examples
        --------
        >>> Callback().on_step_end(None)  # does nothing unless overridden
        """

    def on_epoch_end(self, info: EpochInfo) -> None:
        """Called after every epoch.

        Examples
        --------
        >>> Callback().on_epoch_end(None)  # does nothing unless overridden
        """


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by ``min_delta`` for ``patience`` epochs.

    Parameters
    ----------
    monitor : {"val_loss", "train_loss", "loss"}, default "val_loss"
        An :class:`EpochInfo` field.
    patience : int, default 0
        Epochs without improvement tolerated before stopping.
    min_delta : float, default 0.0
        The smallest decrease that counts as an improvement.

    Examples
    --------
    >>> stop = EarlyStopping("train_loss", patience=1)
    >>> stop.best, stop.wait
    (inf, 0)
    """

    MONITORS = ("val_loss", "train_loss", "loss")
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "monitor": [Options(MONITORS)],
        "patience": [Interval(int, 0, None)],
        "min_delta": [Interval(float, 0.0, None)],
    }
    monitor: str
    patience: int
    min_delta: float

    def __init__(
        self, monitor: str = "val_loss", patience: int = 0, min_delta: float = 0.0
    ) -> None:
        validate_init(self, monitor=monitor, patience=patience, min_delta=min_delta)
        self.best = math.inf
        self.wait = 0
        self.stopped_epoch: int | None = None

    def on_epoch_end(self, info: EpochInfo) -> None:
        """Track the monitored value; raise :class:`StopTraining` when patience runs out.

        Examples
        --------
        >>> stop = EarlyStopping("loss", patience=1)
        >>> info = EpochInfo(0, 10, 100, 1.0, 1.0, None, {}, None)
        >>> stop.on_epoch_end(info)
        >>> try:
        ...     stop.on_epoch_end(info._replace(epoch=1))
        ... except StopTraining as exc:
        ...     print(exc)
        loss did not improve for 1 epoch
        """
        value = getattr(info, self.monitor)
        if value is None:
            raise ValueError(
                f"EarlyStopping(monitor={self.monitor!r}) needs validation_data in fit; "
                f"or monitor 'train_loss'."
            )
        if math.isnan(value) and self.monitor != "loss":  # fit(epoch_loss=False), or "auto"
            raise ValueError(
                f"EarlyStopping(monitor={self.monitor!r}) got nan: fit recorded no "
                f"training-set loss. Pass epoch_loss=True to fit, or monitor 'loss'."
            )
        if self._track(value):
            self.stopped_epoch = info.epoch
            raise StopTraining(f"{self.monitor} did not improve for {counted(self.wait, 'epoch')}")

    def _track(self, value: float) -> bool:
        """Take one epoch's value; whether patience ran out."""
        if math.isnan(value):  # an epoch in which no update completes has no batch loss
            return False
        if value < self.best - self.min_delta:
            self.best, self.wait = value, 0
            return False
        self.wait += 1
        return self.wait >= self.patience  # Keras's rule: patience epochs without improvement

    def _resume(self, epochs: dict[str, Any]) -> bool:
        """Start from the epochs a checkpoint recorded (``History.epochs``), as if it had
        seen them; whether they stopped the run already (``fit`` calls this on resume)."""
        self.best, self.wait, self.stopped_epoch = math.inf, 0, None
        for epoch, value in zip(epochs["epoch"], epochs[self.monitor], strict=True):
            if self._track(float(value)):
                self.stopped_epoch = int(epoch)
                return True
        return False


def _is_callback(value: Any) -> bool:
    return hasattr(value, "on_step_end") or hasattr(value, "on_epoch_end")


#: the constraints of fit's ``callbacks``
CALLBACKS = [
    Items(
        Satisfies(_is_callback, "objects with on_step_end or on_epoch_end"),
        "a sequence of callback objects",
    )
]
