"""fit: the same update rule fed the batches of a Schedule, every update recorded.

GD, SGD and mini-batch SGD differ only in the :class:`~minigd.Schedule`:
``fit`` takes its batches, asks the model for the loss and gradients, hands
them to the optimizer and records the update. The loop is short on purpose;
everything else (counting, row order, update rules) lives in its own module.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, ClassVar, NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._feed import checks_rows_on_the_way, feed, feed_parts
from ._validation import check_bool, check_int, check_seed, describe_value
from .batching import resolve_seed
from .checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from .display import Progress, Table
from .lr import LRSchedule, OneCycle
from .models._base import Array, Model, Params, check_params, check_X, count_nonfinite
from .optim._base import Optimizer, OptimizerState
from .optim._flat import FlatUpdate, PerParameterUpdate, updater_for
from .schedule import Schedule

__all__ = [
    "EPOCH_LOSS_AUTO_MAX_VALUES",
    "Callback",
    "DivergenceError",
    "EarlyStopping",
    "EpochInfo",
    "FitResult",
    "History",
    "StepInfo",
    "StopTraining",
    "fit",
]

EPOCH_LOSS_AUTO_MAX_VALUES = 1_000_000
"""``fit(epoch_loss="auto")`` records the loss on the whole training set after
every epoch when ``X`` has at most this many values (8 MB of float64)."""


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
    >>> r = fit(minigd.models.LinearRegression(2), X, y, minigd.Schedule(20, 5, 3),
    ...         minigd.optim.SGD(lr=0.1), callbacks=[StopAtFive()])
    >>> r.stopped_early, len(r.history)
    (True, 5)
    """


class DivergenceError(FloatingPointError):
    """The loss (or a parameter) stopped being finite: the run diverged.

    Examples
    --------
    >>> str(DivergenceError(epoch=2, step=41, lr=5.0))[:52]
    'Training diverged: the loss became NaN or infinite a'
    """

    def __init__(self, epoch: int, step: int, lr: float, what: str = "loss") -> None:
        self.epoch, self.step, self.lr = epoch, step, lr
        super().__init__(
            f"Training diverged: the {what} became NaN or infinite at epoch {epoch} "
            f"(0-based), step {step}, with learning rate {lr:g}. Try a smaller learning "
            f"rate (for example {lr / 10:g})."
        )


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
    >>> _ = fit(minigd.models.LinearRegression(2), X, y, minigd.Schedule(20, 5, 3),
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
        from ._validation import check_float, check_option

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
        if value < self.best - self.min_delta:
            self.best, self.wait = value, 0
            return
        self.wait += 1
        if self.wait >= self.patience:  # Keras's rule: patience epochs without improvement
            self.stopped_epoch = info.epoch
            raise StopTraining(f"{self.monitor} did not improve for {self.wait} epochs")


class History:
    """Every update of a run, as preallocated numpy columns.

    Per update: ``epoch``, ``step``, ``step_in_epoch``, ``batch_size``,
    ``samples_seen``, ``lr``, ``loss`` (the batch loss before the update).
    Per epoch (:attr:`epochs`): ``epoch``, ``steps_done``, ``samples_seen``,
    ``loss`` (sample-weighted mean batch loss), ``train_loss``, ``val_loss``.

    Examples
    --------
    >>> import minigd
    >>> X, y = minigd.datasets.make_regression(20, 2, seed=0)
    >>> r = minigd.fit(minigd.models.LinearRegression(2), X, y,
    ...                minigd.Schedule(20, 5, 3), minigd.optim.SGD(lr=0.1))
    >>> len(r.history), r.history["step"].tolist()[:5]
    (12, [0, 1, 2, 3, 4])
    >>> r.history.per_epoch("loss").shape, r.history.epochs["train_loss"].shape
    ((3,), (3,))
    """

    STEP_COLUMNS: ClassVar[dict[str, type]] = {
        "epoch": np.int64,
        "step": np.int64,
        "step_in_epoch": np.int64,
        "batch_size": np.int64,
        "samples_seen": np.int64,
        "lr": np.float64,
        "loss": np.float64,
    }
    EPOCH_COLUMNS: ClassVar[dict[str, type]] = {
        "epoch": np.int64,
        "steps_done": np.int64,
        "samples_seen": np.int64,
        "loss": np.float64,
        "train_loss": np.float64,
        "val_loss": np.float64,
    }

    def __init__(self, schedule: Schedule) -> None:
        # Positions and sizes are known before training: only lr and loss
        # are written per update.
        table = schedule.step_table()
        self._steps: dict[str, NDArray[Any]] = {
            k: table[k] if k in table else np.zeros(schedule.total_steps, dtype=t)
            for k, t in self.STEP_COLUMNS.items()
        }
        # Likewise the epochs that end with an update (accumulation can span an
        # epoch with none) and where they end: only losses are written per epoch.
        starts = schedule.epoch_starts()
        recorded = np.flatnonzero(starts[1:] > starts[:-1])
        ends = starts[recorded + 1]
        self._epochs: dict[str, NDArray[Any]] = {
            k: np.zeros(len(recorded), dtype=t) for k, t in self.EPOCH_COLUMNS.items()
        }
        self._epochs["epoch"][:] = recorded
        self._epochs["steps_done"][:] = ends
        self._epochs["samples_seen"][:] = self._steps["samples_seen"][ends - 1]
        self._epochs["val_loss"][:] = math.nan
        self._lr = self._steps["lr"]
        self._loss = self._steps["loss"]
        self._n = 0
        self._n_epochs = 0

    def _record_epoch(self, loss: float, train_loss: float, val_loss: float | None) -> None:
        i = self._n_epochs
        self._epochs["loss"][i] = loss
        self._epochs["train_loss"][i] = train_loss
        if val_loss is not None:
            self._epochs["val_loss"][i] = val_loss
        self._n_epochs = i + 1

    def __len__(self) -> int:
        return self._n

    @property
    def columns(self) -> tuple[str, ...]:
        """Names of the per-update columns."""
        return tuple(self.STEP_COLUMNS)

    def __getitem__(self, name: str) -> NDArray[Any]:
        if name not in self._steps:
            raise KeyError(f"History has no column {name!r}; columns: {list(self._steps)}.")
        view = self._steps[name][: self._n]
        view.flags.writeable = False
        return view

    @property
    def epochs(self) -> dict[str, NDArray[Any]]:
        """Per-epoch columns, one entry per completed epoch."""
        out = {}
        for k, v in self._epochs.items():
            view = v[: self._n_epochs]
            view.flags.writeable = False
            out[k] = view
        return out

    def per_epoch(self, name: str = "loss") -> Array:
        """A per-update column averaged within each epoch, weighted by batch size.

        Weighted by batch size so a ragged last batch counts for its rows,
        not as a full batch.

        Examples
        --------
        >>> import minigd
        >>> X, y = minigd.datasets.make_regression(10, 2, seed=0)
        >>> h = fit(minigd.models.LinearRegression(2), X, y, minigd.Schedule(10, 4, 2),
        ...         minigd.optim.SGD(lr=0.1)).history
        >>> bool(abs(h.per_epoch()[0] - (h["loss"][:3] @ [4, 4, 2]) / 10) < 1e-12)
        True
        """
        values = self[name].astype(np.float64)
        epoch = self["epoch"]
        weights = self["batch_size"].astype(np.float64)
        n = int(epoch.max()) + 1 if len(epoch) else 0
        totals = np.bincount(epoch, weights=values * weights, minlength=n)
        return totals / np.bincount(epoch, weights=weights, minlength=n)

    def to_dict(self) -> dict[str, Any]:
        """Plain lists: ``{"steps": {column: [...]}, "epochs": {column: [...]}}``.

        Examples
        --------
        >>> import minigd
        >>> X, y = minigd.datasets.make_regression(10, 2, seed=0)
        >>> h = fit(minigd.models.LinearRegression(2), X, y, minigd.Schedule(10, 5, 2),
        ...         minigd.optim.SGD(lr=0.1)).history
        >>> d = h.to_dict()
        >>> d["steps"]["step"], d["epochs"]["epoch"]
        ([0, 1, 2, 3], [0, 1])
        """
        return {
            "steps": {k: self[k].tolist() for k in self._steps},
            "epochs": {k: v.tolist() for k, v in self.epochs.items()},
        }

    def table(self) -> Table:
        """The per-epoch record as a :class:`~minigd.Table`.

        Examples
        --------
        >>> import minigd
        >>> X, y = minigd.datasets.make_regression(10, 2, seed=0)
        >>> h = fit(minigd.models.LinearRegression(2), X, y, minigd.Schedule(10, 5, 2),
        ...         minigd.optim.SGD(lr=0.1)).history
        >>> h.table().columns[:3]
        ('epoch', 'steps_done', 'samples_seen')
        """
        cols = list(self.EPOCH_COLUMNS)
        e = self.epochs
        rows = [[e[c][i].item() for c in cols] for i in range(self._n_epochs)]
        return Table(cols, rows)

    def _repr_html_(self) -> str:
        return (
            f"<p>History: {self._n} updates, {self._n_epochs} epochs</p>"
            + self.table()._repr_html_()
        )

    def __repr__(self) -> str:
        return f"History({self._n} updates, {self._n_epochs} epochs)"

    def plot(
        self,
        x: str = "epoch",
        ax: Any = None,
        label: str | None = None,
        curve: str = "train_loss",
        lang: str = "en",
    ) -> Any:
        """Plot the loss against epochs, updates or samples seen.

        Needs matplotlib (``pip install minigd[plot]``), imported only here.

        Parameters
        ----------
        x : {"epoch", "step", "samples"}
            ``"epoch"``: fractional epochs (``epoch + (step_in_epoch+1)/steps``).
        ax : matplotlib Axes, optional
        label : str, optional
        curve : {"train_loss", "batch_loss"}
            The whole-training-set loss after each epoch, or every batch loss.
        lang : {"en", "ko"}
            Language of the axis labels.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import minigd
        >>> X, y = minigd.datasets.make_regression(10, 2, seed=0)
        >>> h = fit(minigd.models.LinearRegression(2), X, y, minigd.Schedule(10, 5, 3),
        ...         minigd.optim.SGD(lr=0.1)).history
        >>> ax = h.plot(x="samples")
        >>> ax.get_xlabel(), len(ax.lines[0].get_xdata())
        ('per-sample gradients computed', 3)
        """
        from .plot import plot_history

        return plot_history(self, x=x, ax=ax, label=label, lang=lang, curve=curve)

    # checkpoint round trip
    def _arrays(self) -> dict[str, NDArray[Any]]:
        out = {f"history/{k}": v[: self._n] for k, v in self._steps.items()}
        out.update({f"epochs/{k}": v[: self._n_epochs] for k, v in self._epochs.items()})
        return out

    def _restore(self, arrays: dict[str, NDArray[Any]]) -> None:
        n = len(arrays["history/step"])
        m = len(arrays["epochs/epoch"])
        if n > len(self._steps["step"]) or m > len(self._epochs["epoch"]):
            raise ValueError("checkpoint history is longer than this run")
        for k, v in self._steps.items():
            v[:n] = arrays[f"history/{k}"]
        for k, v in self._epochs.items():
            v[:m] = arrays[f"epochs/{k}"]
        self._n, self._n_epochs = n, m


class FitResult(NamedTuple):
    """What :func:`fit` returns.

    Attributes
    ----------
    params : dict of str to ndarray
        The trained parameters (never NaN).
    state : OptimizerState
        The optimizer state; ``state.step`` is the number of updates applied.
    history : History
        Every update and every epoch.
    seed : int
        The root seed used (drawn from the OS when ``seed=None`` was passed).
    stopped_early : bool
        Whether a callback raised :class:`StopTraining`.

    Examples
    --------
    >>> import minigd
    >>> X, y = minigd.datasets.make_regression(20, 2, seed=0)
    >>> r = fit(minigd.models.LinearRegression(2), X, y, minigd.Schedule(20, 5, 3),
    ...         minigd.optim.SGD(lr=0.1))
    >>> sorted(r.params), r.state.step, len(r.history), r.stopped_early
    (['bias', 'weight'], 12, 12, False)
    """

    params: Params
    state: OptimizerState
    history: History
    seed: int
    stopped_early: bool = False


def _check_callbacks(callbacks: Any) -> list[Any]:
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


def _check_validation(model: Model, data: Any, check_finite: bool) -> tuple[Array, Any] | None:
    if data is None:
        return None
    if not isinstance(data, Sequence) or len(data) != 2:
        raise TypeError(
            f"The 'validation_data' parameter of fit must be a pair (X_val, y_val) or None. "
            f"Got {describe_value(data)} instead."
        )
    X_val = check_X(
        data[0], model.n_features, "fit", name="validation_data[0]", check_finite=check_finite
    )
    return X_val, model.check_y(data[1], len(X_val), "fit", name="validation_data[1]")


def _identity(schedule: Schedule, model: Model, optimizer: Optimizer, seed: int) -> dict[str, Any]:
    import json

    # through JSON, so it compares equal to what a checkpoint file gives back
    return dict(
        json.loads(
            json.dumps(
                {
                    "schedule": schedule.arguments(),
                    "model": model.config(),
                    "optimizer": optimizer.config(),
                    "seed": seed,
                }
            )
        )
    )


def _save(
    path: str | os.PathLike[str],
    identity: dict[str, Any],
    params: Params,
    state: OptimizerState,
    history: History,
) -> None:
    arrays: dict[str, NDArray[Any]] = {f"params/{k}": v for k, v in params.items()}
    slots = {name: sorted(s) for name, s in state.slots.items()}
    for name, s in state.slots.items():
        arrays.update({f"state/{name}/{slot}": v for slot, v in s.items()})
    arrays.update(history._arrays())
    meta = {**identity, "step": state.step, "param_names": sorted(params), "slots": slots}
    save_checkpoint(path, Checkpoint(meta, arrays))


def _resume(
    path: str | os.PathLike[str], identity: dict[str, Any], model: Model, history: History
) -> tuple[Params, OptimizerState, int]:
    ck = load_checkpoint(path)
    meta = ck.meta
    for key in ("schedule", "model", "optimizer", "seed"):
        if meta.get(key) != identity[key]:
            raise ValueError(
                f"The checkpoint {str(path)!r} was made with another {key}: "
                f"{meta.get(key)!r}, not {identity[key]!r}. Refusing to resume from it; "
                f"use a new checkpoint path or resume=False."
            )
    try:
        params = {k: ck.arrays[f"params/{k}"] for k in meta["param_names"]}
        params = check_params(params, model._shapes(), "fit (resume)")
        slots = {
            name: {slot: ck.arrays[f"state/{name}/{slot}"] for slot in names}
            for name, names in meta["slots"].items()
        }
        step = int(meta["step"])
        history._restore(ck.arrays)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(
            f"The checkpoint {str(path)!r} is incomplete or inconsistent ({exc}); refusing it."
        ) from None
    if len(history) != step:
        raise ValueError(f"The checkpoint {str(path)!r} is inconsistent (history vs step).")
    return params, OptimizerState(step=step, slots=slots), step


def fit(
    model: Model,
    X: Any,
    y: Any,
    schedule: Schedule,
    optimizer: Optimizer,
    *,
    seed: int | None = 0,
    params: Params | None = None,
    callbacks: Sequence[Any] = (),
    verbose: int = 0,
    validation_data: tuple[Any, Any] | None = None,
    epoch_loss: bool | str = "auto",
    check_finite: bool = True,
    checkpoint: str | os.PathLike[str] | None = None,
    checkpoint_every: int | None = None,
    resume: bool = False,
) -> FitResult:
    """Train ``model`` on ``(X, y)`` with the batches of ``schedule``.

    Parameters
    ----------
    model : minigd.models.Model
    X : array of shape (n_samples, n_features)
    y : array of targets (real values or class labels, as the model's loss needs)
    schedule : Schedule
        Its ``n_samples`` must equal ``len(X)``.
    optimizer : minigd.optim.Optimizer
        A learning-rate schedule in ``optimizer.lr`` gets the counter it
        declares: the update count, or the epoch index.
    seed : int or None, default 0
        Seeds the initial parameters and the batch order.
    params : dict, optional
        Starting parameters (default ``model.init_params(seed)``); not modified.
    callbacks : sequence
        Objects with ``on_step_end(StepInfo)`` and/or ``on_epoch_end(EpochInfo)``.
        Raising :class:`StopTraining` ends training cleanly.
    verbose : {0, 1, 2}
        0 silent, 1 a Keras-style progress bar, 2 one line per epoch.
    validation_data : (X_val, y_val), optional
        Its loss is recorded at the end of every epoch.
    epoch_loss : bool or "auto", default "auto"
        Record ``train_loss``, the loss on the whole training set at the end of
        every epoch: one more pass over ``X`` per epoch. ``False`` records
        ``nan``, as Keras, Lightning and a hand-written loop do: they keep only
        batch losses (their mean per epoch is always in ``history.epochs["loss"]``).
        ``"auto"`` records it when ``X`` has at most 1,000,000 values
        (:data:`EPOCH_LOSS_AUTO_MAX_VALUES`: course-sized data, where the
        pass takes well under a millisecond), and not on larger data, where it
        would add a quarter or more to a mini-batch epoch.
    check_finite : bool, default True
        Check ``X`` (and the validation ``X``) for NaN and infinite values, as
        scipy's ``check_finite`` does; a bad value raises a ``ValueError``
        naming ``X`` before any update uses it. Small data is scanned before
        training. A large shuffled ``X`` is checked block by block as the first
        pass gathers its rows (from cache, rather than one more read of ``X``).
        ``False`` skips the check on a trusted data set: bad values then surface
        at the first update whose loss they spoil, still as a ``ValueError``.
    checkpoint : path, optional
        Where to save params, optimizer state, position, seed and history.
    checkpoint_every : int, optional
        Save every this many updates (default: at the end of every epoch).
    resume : bool, default False
        Continue from ``checkpoint`` if the file exists. The result is
        bit-identical to an uninterrupted run.

    Returns
    -------
    FitResult

    Raises
    ------
    TypeError, ValueError
        Bad arguments, before any work starts.
    DivergenceError
        The loss or the parameters stopped being finite.

    Examples
    --------
    GD, SGD and mini-batch: the same optimizer, three schedules.

    >>> import minigd
    >>> X, y = minigd.datasets.make_regression(100, 3, noise=0.1, seed=0)
    >>> model = minigd.models.LinearRegression(3)
    >>> for batch_size in (100, 10, 1):
    ...     s = minigd.Schedule(100, batch_size, 50)
    ...     r = minigd.fit(model, X, y, s, minigd.optim.SGD(lr=0.05), seed=0)
    ...     print(batch_size, len(r.history), r.history.epochs["train_loss"][-1] < 0.05)
    100 50 True
    10 500 True
    1 5000 True
    """
    owner = "fit"
    if not isinstance(model, Model):
        raise TypeError(
            f"The 'model' parameter of fit must be a minigd model. "
            f"Got {describe_value(model)} instead."
        )
    if not isinstance(schedule, Schedule):
        raise TypeError(
            f"The 'schedule' parameter of fit must be a Schedule. "
            f"Got {describe_value(schedule)} instead."
        )
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"The 'optimizer' parameter of fit must be a minigd optimizer. "
            f"Got {describe_value(optimizer)} instead."
        )
    check_finite = check_bool(check_finite, "check_finite", owner)
    X_arr = check_X(X, model.n_features, owner, check_finite=False)  # finiteness: below
    y_arr = model.check_y(y, len(X_arr), owner)
    if schedule.n_samples != len(X_arr):
        raise ValueError(
            f"The 'schedule' parameter of fit must have n_samples equal to len(X) = "
            f"{len(X_arr)}. Got n_samples={schedule.n_samples} instead."
        )
    root = resolve_seed(check_seed(seed, owner))
    start_params = (
        model.init_params(root % 2**63)
        if params is None
        else {
            k: v.astype(np.float64, copy=True)
            for k, v in check_params(params, model._shapes(), owner).items()
        }
    )
    cbs = _check_callbacks(callbacks)
    step_cbs = [cb.on_step_end for cb in cbs if hasattr(cb, "on_step_end")]
    epoch_cbs = [cb.on_epoch_end for cb in cbs if hasattr(cb, "on_epoch_end")]
    verbose = check_int(verbose, "verbose", owner, min_value=0, max_value=2)
    validation = _check_validation(model, validation_data, check_finite)
    resume = check_bool(resume, "resume", owner)
    if isinstance(epoch_loss, str) and epoch_loss == "auto":
        epoch_loss = X_arr.size <= EPOCH_LOSS_AUTO_MAX_VALUES
    elif not isinstance(epoch_loss, (bool, np.bool_)):
        raise TypeError(
            f"The 'epoch_loss' parameter of fit must be True, False or 'auto'. "
            f"Got {describe_value(epoch_loss)} instead."
        )
    epoch_loss = bool(epoch_loss)
    if checkpoint_every is not None:
        checkpoint_every = check_int(checkpoint_every, "checkpoint_every", owner, min_value=1)
    if checkpoint is None and (checkpoint_every is not None or resume):
        raise ValueError(
            "The 'checkpoint' parameter of fit must be a path when "
            "checkpoint_every or resume is given. Got None instead."
        )
    if checkpoint is not None and not isinstance(checkpoint, (str, os.PathLike)):
        raise TypeError(
            f"The 'checkpoint' parameter of fit must be a path (str or "
            f"os.PathLike). Got {describe_value(checkpoint)} instead."
        )
    lr = optimizer.lr
    if isinstance(lr, OneCycle) and lr.total_steps < schedule.total_steps:
        raise ValueError(
            f"The optimizer's OneCycle schedule has total_steps={lr.total_steps}, but the "
            f"Schedule makes {schedule.total_steps} updates. Use "
            f"OneCycle(..., total_steps=schedule.total_steps)."
        )
    if isinstance(lr, LRSchedule) and lr.unit not in ("step", "epoch"):
        raise ValueError(f"Learning-rate schedule {lr!r} has an unknown unit {lr.unit!r}.")

    history = History(schedule)
    params_now: Params = start_params
    state = optimizer.init(params_now)
    # what a checkpoint must match (built only when there is one: it costs ms)
    identity = {} if checkpoint is None else _identity(schedule, model, optimizer, root)
    start = 0
    if resume and checkpoint is not None and os.path.exists(checkpoint):
        params_now, state, start = _resume(checkpoint, identity, model, history)
    multi = schedule.accumulate > 1 or schedule.world_size > 1
    # NaN and inf in X: a large shuffled X is checked block by block as the
    # first pass gathers it (from cache); anything else is scanned now.
    on_the_way = check_finite and checks_rows_on_the_way(schedule, start, X_arr, y_arr)
    if check_finite and not on_the_way:
        check_X(X_arr, model.n_features, owner)
    # X is known to be finite only once every row has been checked
    x_unchecked = not check_finite or on_the_way

    def check_rows(block: Array) -> None:
        if count_nonfinite(block):
            check_X(X_arr, model.n_features, owner)  # raises, counting over all of X

    total = schedule.total_steps
    starts = schedule.epoch_starts().tolist()
    sizes = history._steps["batch_size"]
    losses = history._loss
    lr_column = history._lr
    progress = Progress(schedule.epochs, starts[1] - starts[0], verbose)
    live = verbose == 1 and progress.live
    epoch_clock = time.perf_counter()
    epoch = int(history._steps["epoch"][start]) if start < total else schedule.epochs
    lr_value = optimizer.lr_at(state.step, epoch) if start < total else 0.0
    constant_lr = not isinstance(optimizer.lr, LRSchedule)
    # A full-batch epoch's closing training loss is the next update's batch
    # loss (same parameters, same rows): take it from there when nothing needs
    # it sooner, rather than reading X once more per update.
    full_batch = schedule.batches_per_pass == 1 and schedule.samples_per_pass == len(X_arr)
    defer = (
        full_batch
        and schedule.sampling != "replacement"
        and not epoch_cbs
        and verbose == 0
        and checkpoint is None
    )
    pending: int | None = None
    stopped = False
    sizes_f = sizes.astype(np.float64)
    # what each recorded epoch's mean batch loss is weighted by
    epoch_samples = np.diff(history._epochs["samples_seen"], prepend=0).tolist()
    # Work that only some updates need (step callbacks, a look at the clock for
    # the live bar, a periodic checkpoint) waits for step `next_event`: one
    # integer comparison per update otherwise. The clock is looked at every
    # `clock_stride` updates, a stride that adapts to the update's speed.
    never = total + 1
    clock_stride, next_clock, last_look = 1, (start + 1 if live else never), 0.0
    next_save = (
        (start // checkpoint_every + 1) * checkpoint_every
        if checkpoint is not None and checkpoint_every is not None
        else never
    )
    next_event = start + 1 if step_cbs else min(next_clock, next_save)
    step = start
    if start < total:
        epoch_start, epoch_end = starts[epoch], starts[epoch + 1]
        if step == epoch_start:
            progress.epoch_start(epoch, epoch_end - epoch_start)
    if constant_lr:
        lr_column[start:] = lr_value  # known up front: not written per update
    # The optimizer's clock and slots; an OptimizerState only when asked for.
    t, slots_by_name = state
    # Parameters, gradients and slots live in flat vectors (see optim/_flat.py):
    # the model writes its gradients into `grads`, the rule runs once per update.
    updater = updater_for(optimizer, params_now, slots_by_name)
    params_now, grads = updater.params, updater.grads
    slots: Any = updater.slots
    apply_update = updater.step  # bound once: looked up on every update otherwise
    # A constant learning rate reaches the rule as a read-only 0-d float64
    # array: numpy multiplies an array by it without converting a Python float
    # on every update (a third of a small product), and the numbers are the same.
    lr_for_rule: Any = lr_value
    if constant_lr and isinstance(updater, FlatUpdate):
        lr_for_rule = np.array(lr_value, dtype=np.float64)
        lr_for_rule.setflags(write=False)
    isfinite = math.isfinite
    items: Iterator[tuple[Any, Any]]
    loss_and_grad: Callable[[Params, Any, Any, Params], float]
    if multi:
        items = ((parts, None) for parts in feed_parts(schedule, root, start, X_arr, y_arr))

        def loss_and_grad(params: Params, parts: Any, _: Any, grads: Params) -> float:
            return _average_parts(model, params, parts, grads)

    else:
        items = feed(
            schedule, root, start, X_arr, y_arr, check_rows=check_rows if on_the_way else None
        )
        loss_and_grad = model._loss_and_grad
    try:
        # Overflow is reported as a DivergenceError below, not as a warning.
        with np.errstate(over="ignore", invalid="ignore"):
            for X_batch, y_batch in items:
                if not constant_lr:
                    lr_value = lr_for_rule = lr_column[step] = optimizer.lr_at(step, epoch)
                loss = loss_and_grad(params_now, X_batch, y_batch, grads)
                if not isfinite(loss):
                    if x_unchecked:  # bad data, or a real divergence?
                        check_X(X_arr, model.n_features, owner)
                    raise DivergenceError(epoch, step, lr_value)
                if pending is not None:
                    history._epochs["train_loss"][pending] = loss
                    pending = None
                t += 1
                params_now, slots = apply_update(slots, lr_for_rule, t)
                losses[step] = loss
                step += 1
                if step >= next_event:
                    history._n = step
                    in_epoch = step - epoch_start
                    if step_cbs:
                        info = StepInfo(
                            epoch,
                            step - 1,
                            in_epoch - 1,
                            int(history._steps["batch_size"][step - 1]),
                            int(history._steps["samples_seen"][step - 1]),
                            lr_value,
                            loss,
                            _snapshot(params_now),
                            _state(t, slots, updater),
                        )
                        for on_step in step_cbs:
                            on_step(info)
                    if step >= next_clock:
                        now = time.perf_counter()
                        # about 10 to 50 looks per redraw interval
                        if now - last_look < progress.interval / 50:
                            clock_stride = min(clock_stride * 2, 1 << 12)
                        elif now - last_look > progress.interval / 10:
                            clock_stride = max(clock_stride // 2, 1)
                        last_look, next_clock = now, step + clock_stride
                        if now >= progress.next_draw:
                            done = slice(epoch_start, step)
                            running = float(losses[done].dot(sizes_f[done])) / float(
                                sizes_f[done].sum()
                            )
                            progress.step_end(in_epoch, running, now)
                    if step >= next_save and checkpoint is not None and checkpoint_every:
                        next_save += checkpoint_every
                        _save(checkpoint, identity, params_now, _state(t, slots, updater), history)
                    next_event = step + 1 if step_cbs else min(next_clock, next_save)
                if step < epoch_end:
                    continue
                # --- the end of an epoch
                history._n = step
                rows = slice(epoch_start, step)
                samples = epoch_samples[history._n_epochs]
                mean_loss = float(losses[rows].dot(sizes_f[rows])) / samples
                if not epoch_loss:
                    train_loss = math.nan
                elif defer and step < total:
                    train_loss, pending = math.nan, history._n_epochs
                else:
                    train_loss = model._loss(params_now, X_arr, y_arr)
                    if not math.isfinite(train_loss):
                        if x_unchecked:
                            check_X(X_arr, model.n_features, owner)
                        raise DivergenceError(epoch, step - 1, lr_value, what="parameters")
                val_loss = None
                if validation is not None:
                    val_loss = model._loss(params_now, *validation)
                    if not check_finite and not math.isfinite(val_loss):
                        check_X(validation[0], model.n_features, owner, name="validation_data[0]")
                history._record_epoch(mean_loss, train_loss, val_loss)
                if verbose:
                    now = time.perf_counter()
                    extra = {} if math.isnan(train_loss) else {"train_loss": train_loss}
                    if val_loss is not None:
                        extra["val_loss"] = val_loss
                    progress.epoch_end(epoch, mean_loss, now - epoch_clock, extra)
                    epoch_clock = now
                if checkpoint is not None and checkpoint_every is None:
                    _save(checkpoint, identity, params_now, _state(t, slots, updater), history)
                if epoch_cbs:
                    einfo = EpochInfo(
                        epoch,
                        step,
                        int(history._steps["samples_seen"][step - 1]),
                        mean_loss,
                        train_loss,
                        val_loss,
                        _snapshot(params_now),
                        _state(t, slots, updater),
                    )
                    for on_epoch in epoch_cbs:
                        on_epoch(einfo)
                epoch += 1
                # epochs in which no update completes (accumulation larger than an epoch)
                while epoch < schedule.epochs and starts[epoch + 1] == starts[epoch]:
                    epoch += 1
                if step < total:
                    epoch_start, epoch_end = step, starts[epoch + 1]
                    if verbose:
                        progress.epoch_start(epoch, epoch_end - epoch_start)
    except StopTraining:
        stopped = True
    history._n = step
    if pending is not None:
        history._epochs["train_loss"][pending] = model._loss(params_now, X_arr, y_arr)
    last = len(history)
    _check_finite(
        params_now,
        int(history["epoch"][-1]) if last else 0,
        last - 1,
        float(history["lr"][-1]) if last else 0.0,
    )
    return FitResult(_snapshot(params_now), _state(t, slots, updater), history, root, stopped)


def _snapshot(params: Params) -> Params:
    """Copies of fit's parameters: they are views into a vector each update rewrites."""
    return {k: v.copy() for k, v in params.items()}


def _state(t: int, slots: Any, updater: FlatUpdate | PerParameterUpdate) -> OptimizerState:
    """The optimizer state by parameter name, from fit's running clock and slots."""
    return OptimizerState(t, updater.by_name(slots))


def _average_parts(model: Model, params: Params, parts: Any, grads: Params) -> float:
    """Mean loss and mean gradient over micro-batches and replicas (an all-reduce).

    Each part's gradient is already a mean over its rows; parts count equally,
    as frameworks average accumulated or replicated gradients.
    """
    X_first, y_first = parts[0]
    loss = model._loss_and_grad(params, X_first, y_first, grads)
    if len(parts) > 1:
        part_grads = model._empty_grads()
        for Xp, yp in parts[1:]:
            loss += model._loss_and_grad(params, Xp, yp, part_grads)
            for k, g in grads.items():
                g += part_grads[k]
    scale = 1.0 / len(parts)
    for g in grads.values():
        g *= scale
    return loss * scale


def _check_finite(params: Params, epoch: int, step: int, lr: float) -> None:
    for value in params.values():
        if not np.isfinite(value).all():
            raise DivergenceError(epoch, step, lr, what="parameters")
