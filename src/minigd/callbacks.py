"""Callbacks: code of yours that ``fit`` calls after every update and every epoch.

``fit`` hands each callback copies of the parameters and the optimizer state
(:class:`StepInfo`, :class:`EpochInfo`), so a callback can keep or change
them without touching the run. Raising :class:`StopTraining` ends training
cleanly. :class:`EarlyStopping` is one such callback.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, NamedTuple

from ._validation import check_float, check_int, check_option, describe_value
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
    ...         if info.step == 4:
    ...             raise StopTraining
    >>> X, y = minigd.datasets.make_regression(20, 2, seed=0)
    >>> r = minigd.fit(minigd.models.LinearRegression(2), X, y, minigd.Schedule(20, 5, 3),
    ...         minigd.optim.SGD(lr=0.1), callbacks=[StopAtFive()])
    >>> r.stopped_early, len(r.history)
    (True, 5)
    """


class StepInfo(NamedTuple):
    """What ``on_step_end`` receives after each update.

    ``params`` and ``state`` are copies: a callback may keep or change them
    without touching the run.

    Examples
    --------
    >>> StepInfo(0, 3, 3, 5, 20, 0.1, 0.25, {}, None).samples_seen
    20
    """

    epoch: int
    step: int
    step_in_epoch: int
    batch_size: int
    samples_seen: int
    lr: float
    loss: float
    params: Params
    state: OptimizerState


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

    def __init__(
        self, monitor: str = "val_loss", patience: int = 0, min_delta: float = 0.0
    ) -> None:
        self.monitor = check_option(monitor, "monitor", "EarlyStopping", self.MONITORS)
        self.patience = check_int(patience, "patience", "EarlyStopping", min_value=0)
        self.min_delta = check_float(min_delta, "min_delta", "EarlyStopping", low=0.0)
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
        loss did not improve for 1 epochs
        """
        value = getattr(info, self.monitor)
        if value is None:
            raise ValueError(
                f"EarlyStopping(monitor={self.monitor!r}) needs validation_data in fit; "
                f"or monitor 'train_loss'."
            )
        if math.isnan(value):  # fit(epoch_loss=False), or "auto" on a large X
            raise ValueError(
                f"EarlyStopping(monitor={self.monitor!r}) got nan: fit recorded no "
                f"training-set loss. Pass epoch_loss=True to fit, or monitor 'loss'."
            )
        if self._track(value):
            self.stopped_epoch = info.epoch
            raise StopTraining(f"{self.monitor} did not improve for {self.wait} epochs")

    def _track(self, value: float) -> bool:
        """Take one epoch's value; whether patience ran out."""
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


def check_callbacks(callbacks: Any) -> list[Any]:
    """The callbacks as a list, each with ``on_step_end`` or ``on_epoch_end``.

    Examples
    --------
    >>> len(check_callbacks([Callback()]))
    1
    """
    if isinstance(callbacks, (str, bytes)) or not isinstance(callbacks, Iterable):
        raise TypeError(
            f"The 'callbacks' parameter of fit must be a sequence of callback objects. "
            f"Got {describe_value(callbacks)} instead."
        )
    out = list(callbacks)
    for i, cb in enumerate(out):
        if not (hasattr(cb, "on_step_end") or hasattr(cb, "on_epoch_end")):
            raise TypeError(
                f"The 'callbacks' parameter of fit must hold objects with on_step_end or "
                f"on_epoch_end. Item {i} ({describe_value(cb)}) has neither."
            )
    return out
