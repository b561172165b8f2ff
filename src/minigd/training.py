"""fit: the reference loop, plus recording, callbacks, progress and checkpoints.

GD, SGD and mini-batch SGD differ only in the :class:`~minigd.Schedule`. The
loop that trains them all is five lines (the Training page prints it)::

    params = model.init_params(seed)
    state = optimizer.init(params)
    for batch in schedule.batches(seed):
        loss, grads = model.loss_and_grad(params, X[batch.indices], y[batch.indices])
        params, state = optimizer.update(params, grads, state, epoch=batch.epoch)

:func:`fit` runs exactly that loop. What it adds has one object per job:
:class:`~minigd.History` records every update and epoch, ``_Saver`` writes
and reads checkpoints, ``_Bar`` draws the progress bar, ``_Callbacks`` calls
your callbacks with copies of the parameters.
"""

from __future__ import annotations

import math
import os
import time
import warnings
from collections.abc import Sequence
from typing import Any, NamedTuple, Protocol

import numpy as np

from . import _kernel
from ._validation import (
    BOOL,
    NONE,
    PATH,
    SEED,
    InstanceOf,
    Interval,
    Rule,
    Satisfies,
    check_params,
    check_X,
    is_int,
    validate_params,
)
from .batching import Batch, resolve_seed
from .callbacks import CALLBACKS, EarlyStopping, EpochInfo, StepInfo, StopTraining
from .checkpoint import (
    Checkpoint,
    check_lr_identity,
    load_checkpoint,
    lr_identity,
    path_problem,
    save_checkpoint,
)
from .display import Progress
from .history import History
from .lr import LRSchedule, OneCycle, RateOverflowError, upgrade_config
from .models._base import Array, Model, Params
from .optim._base import Optimizer, OptimizerState
from .schedule import Schedule

__all__ = ["EPOCH_LOSS_AUTO_MAX_VALUES", "DivergenceError", "FitResult", "fit"]

EPOCH_LOSS_AUTO_MAX_VALUES = 1_000_000
"""``fit(epoch_loss="auto")`` records the loss on the whole training set after
every epoch when ``X`` has at most this many values (8 MB of float64)."""


class DivergenceError(FloatingPointError):
    """The loss (or a parameter, a slot, the rate) stopped being finite: the run diverged.

    Examples
    --------
    >>> str(DivergenceError(epoch=2, step=41, lr=5.0))[:52]
    'Training diverged: the loss became NaN or infinite a'
    """

    def __init__(self, epoch: int, step: int, lr: float, what: str = "loss") -> None:
        self.epoch, self.step, self.lr = epoch, step, lr
        advice = (
            f"Try a smaller learning rate (for example {lr / 10:g})."
            if math.isfinite(lr)
            else "Use a learning-rate schedule that stays finite over the run (gamma <= 1)."
        )
        super().__init__(
            f"Training diverged: the {what} became NaN or infinite at epoch {epoch} "
            f"(0-based), step {step}, with learning rate {lr:g}. {advice}"
        )


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

    ``fit`` runs the reference loop of the Training page, and adds only
    recording, callbacks, progress and checkpoints::

        params = model.init_params(seed)
        state = optimizer.init(params)
        for batch in schedule.batches(seed):
            loss, grads = model.loss_and_grad(params, X[batch.indices], y[batch.indices])
            params, state = optimizer.update(params, grads, state, epoch=batch.epoch)

    With accumulation or replicas, the loss and gradients are the plain mean
    over ``batch.parts``, in part order. No flag changes a bit of the result.

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
        scipy's ``check_finite`` does, once, before the first update; a bad
        value raises a ``ValueError`` naming ``X``. ``False`` skips that read
        of ``X`` on a trusted data set: bad values then surface at the first
        update whose loss they spoil, still as a ``ValueError``.
    checkpoint : path, optional
        Where to save params, optimizer state, position, seed and history.
        Only a minigd checkpoint, or nothing, may be at this path: a file of
        yours, a folder, a FIFO or a device is refused before training
        starts, as is a folder that is missing or cannot be written.
    checkpoint_every : int, optional
        Save every this many updates (default: at the end of every epoch).
        A save comes after the update's record (and its epoch's, when the
        update ends an epoch) and before the callbacks see the update.
    resume : bool, default False
        Continue from ``checkpoint`` if the file exists. The result is
        bit-identical to an uninterrupted run, and the callbacks see every
        update after the checkpoint's, as they would have. The checkpoint
        must come from the same schedule, model, optimizer, seed and data
        (shapes, and up to 1,024 rows of ``X`` and ``y`` read bit for bit);
        with ``seed=None`` the run goes on with the seed the checkpoint holds.
        An :class:`EarlyStopping` takes up its count from the recorded epochs.

    Returns
    -------
    FitResult

    Raises
    ------
    TypeError, ValueError
        Bad arguments, before any work starts.
    DivergenceError
        The loss, the parameters, the optimizer state or the learning rate
        stopped being finite (before a callback, a checkpoint or the result
        could see them).

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
    run = _check_arguments(
        model, X, y, schedule, optimizer, seed, params, callbacks, verbose,
        validation_data, epoch_loss, check_finite, checkpoint, checkpoint_every, resume,
    )  # fmt: skip
    X, y = run.X, run.y
    history = History(schedule)
    params, state, seed, had_stopped = _start(run, model, optimizer, history, resume)
    if had_stopped:  # a resumed EarlyStopping had stopped the run
        return FitResult(params, state, history, seed, stopped_early=True)
    # what runs after each update besides the record: only what was asked for
    calls = _Callbacks.make(run.callbacks, run.validation is not None)
    empty = _EmptyEpochs(run, model, schedule, history, calls)
    bar = _Bar(schedule, verbose, history) if verbose else None
    # the last hook calls back the epochs no update ended: only with callbacks
    hooks = _hooks(run.saver, calls, bar, empty if calls is not None else None)
    epoch_ends = empty.ends  # updates done when epoch e ends
    # a batch of all N rows without replacement is arange(N): compute on X itself
    in_order = schedule.sampling != "replacement" and X.flags.c_contiguous
    # least squares with plain SGD: one fused step per update (None: the two calls)
    fused = _kernel.for_run(model, optimizer, schedule, X, y, run.explain_divergence)
    stopped = False
    # GD: the training loss at an epoch's end is the first thing the next update
    # computes (the same parameters, every row in order): it is computed once
    on_all_rows = None
    try:
        # overflow is reported as a DivergenceError below, not as a warning;
        # underflow to zero is ordinary arithmetic, even under np.seterr(under="raise")
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            for batch in schedule.batches(seed, start=state.step):
                lr = optimizer.lr_at(state.step, batch.epoch)
                if empty.closed < batch.epoch:  # earlier epochs ended with no update (rare)
                    ended = empty.before(batch.epoch, params, state, batch, lr)
                    on_all_rows = ended or on_all_rows
                if fused is None:  # the Training page's two calls
                    loss, grads = _loss_and_grad(
                        model, params, X, y, batch.parts, in_order, on_all_rows
                    )
                    if not math.isfinite(loss):
                        run.explain_divergence(X, batch, lr)
                    params, state = optimizer.update(params, grads, state, epoch=batch.epoch)
                else:  # their arithmetic, bit for bit, in fewer numpy calls (_kernel.py)
                    loss, params, state = fused(params, state, batch, lr)
                history.record_step(batch.step, lr, loss)
                epoch_done = state.step == epoch_ends[batch.epoch]
                on_all_rows = None
                if epoch_done:  # this epoch, and any after it that no update ends
                    on_all_rows = _end_epoch(run, history, model, params, batch, lr)
                    empty.closed += 1
                    on_all_rows = empty.after(state.step, params, batch, lr) or on_all_rows
                for hook in hooks:
                    hook.step_end(batch, lr, loss, params, state, history, epoch_done)
    except StopTraining:
        stopped = True
    except RateOverflowError:  # the learning-rate schedule went past the largest float
        raise DivergenceError(batch.epoch, batch.step, math.inf, "learning rate") from None
    _check_result(params, state, history)  # the result never holds a diverged run either
    return FitResult(params, state, history, seed, stopped)


def _check_result(params: Params, state: OptimizerState, history: History) -> None:
    """Raise a DivergenceError if the last update left non-finite parameters or slots."""
    if len(history):
        last = len(history) - 1
        _check_finite(params, state, int(history["epoch"][last]), last, history["lr"][last])


class _EmptyEpochs:
    """Epochs in which no update completes are epochs too: record them, call back.

    With groups of micro-batches carried over epochs (``accumulate_across_epochs``)
    an epoch's micro-batches may all go into a group that completes later. Such
    an epoch ends after the update before that group: it is recorded with that
    update (before a save, as an epoch that an update ends) and its callbacks
    come after that update's.
    """

    def __init__(
        self,
        run: _Run,
        model: Model,
        schedule: Schedule,
        history: History,
        callbacks: _Callbacks | None,
    ) -> None:
        self.run, self.model, self.schedule = run, model, schedule
        self.history, self.callbacks = history, callbacks
        # updates done when epoch e ends; an epoch that no update ends repeats the one before
        run_ends = schedule.epoch_starts()[1 : schedule.epochs_run + 1].tolist()
        self.ends = [*run_ends, -1]  # -1: after the run's last epoch, nothing ends
        self.closed = len(history.epochs["epoch"])  # epochs recorded (a resumed run has some)
        self.pending: list[int] = []  # recorded, not yet called back

    # fit calls these only when an epoch before the update is still open, when an
    # update ends an epoch, or when epochs wait for their callbacks.
    def before(
        self, epoch: int, params: Params, state: OptimizerState, batch: Batch, lr: float
    ) -> tuple[float, Params] | None:
        """Before an update of epoch ``epoch``: the earlier epochs still open (none has an update).

        Only the run's first update can find one.
        """
        if self.closed >= epoch:
            return None
        on_all_rows = self._record(epoch, params, batch, lr)
        self.call_back(params, state)
        return on_all_rows

    def after(
        self, steps_done: int, params: Params, batch: Batch, lr: float
    ) -> tuple[float, Params] | None:
        """After an update (and its epoch's end): the epochs that end with it too."""
        if self.ends[self.closed] != steps_done:
            return None
        end = self.closed
        while self.ends[end] == steps_done:
            end += 1
        return self._record(end, params, batch, lr)

    def _record(
        self, end: int, params: Params, batch: Batch, lr: float
    ) -> tuple[float, Params] | None:
        """Record epochs ``closed`` to ``end - 1``; the loss on all rows if computed."""
        on_all_rows = None
        for epoch in range(self.closed, end):
            on_all_rows = _end_epoch(self.run, self.history, self.model, params, batch, lr)
            if self.callbacks is not None:  # only callbacks wait for them
                self.pending.append(epoch)
        self.closed = max(self.closed, end)
        return on_all_rows

    def call_back(self, params: Params, state: OptimizerState) -> None:
        """``on_epoch_end`` for the epochs recorded since the last call."""
        if not self.pending or self.callbacks is None:
            return
        seen = self.schedule.counting.samples_through(state.step)
        for epoch in self.pending:
            self.callbacks.epoch_end(epoch, state, seen, params, self.history)
        self.pending.clear()

    def step_end(
        self,
        batch: Batch,
        lr: float,
        loss: float,
        params: Params,
        state: OptimizerState,
        history: History,
        epoch_done: bool,
    ) -> None:
        """After an update's own callbacks: ``on_epoch_end`` of the epochs that ended with it."""
        self.call_back(params, state)


def _hooks(*hooks: _Hook | None) -> list[_Hook]:
    """What runs after each update's record, in this order: only what was asked for."""
    return [hook for hook in hooks if hook is not None]


def _start(
    run: _Run, model: Model, optimizer: Optimizer, history: History, resume: bool
) -> tuple[Params, OptimizerState, int, bool]:
    """The starting parameters, state and seed: fresh, or the checkpoint's with ``resume``.

    The last item says whether an EarlyStopping, given the resumed history,
    had already stopped the run.
    """
    if run.saver is None or not resume or not run.saver.exists():
        return run.params, optimizer.init(run.params), run.seed, False
    params, state = run.saver.resume(model, optimizer, history)
    seed = run.saver.identity["seed"]  # the checkpoint's, when fit drew one (seed=None)
    return params, state, seed, _early_stopping_resumed(run.callbacks, history)


def _loss_and_grad(
    model: Model,
    params: Params,
    X: Array,
    y: Any,
    parts: tuple[Any, ...],
    in_order: bool,
    on_all_rows: tuple[float, Params] | None,
) -> tuple[float, Params]:
    """The loss and gradients of one update: the plain mean over its parts, in order.

    ``on_all_rows`` is ``model.loss_and_grad(params, X, y)`` when the epoch's
    end computed it already with these parameters.
    """
    if len(parts) == 1:
        rows = parts[0]
        if in_order and len(rows) == len(X):  # arange(N): X itself, the same bits
            return on_all_rows or model.loss_and_grad(params, X, y)
        return model.loss_and_grad(params, _take(X, rows), y[rows])
    results = [model.loss_and_grad(params, _take(X, rows), y[rows]) for rows in parts]
    loss = sum(part_loss for part_loss, _ in results) / len(results)
    grads = {name: sum(part[name] for _, part in results) / len(results) for name in params}
    return loss, grads  # type: ignore[return-value]


def _take(X: Array, rows: Any) -> Array:
    """``X[rows]``: the same copy of the rows (``take`` skips the general indexing machinery)."""
    out: Array = X.take(rows, axis=0)
    return out


def _end_epoch(
    run: _Run, history: History, model: Model, params: Params, batch: Batch, lr: float
) -> tuple[float, Params] | None:
    """Record the epoch that update ``batch`` ends: its losses on the data sets.

    Returns the loss and gradients on all rows when it computed them.
    """
    train_loss, on_all_rows = math.nan, None
    if run.epoch_loss:
        # model.loss without its full checks: fit made them once, before training
        on_all_rows = model.loss_and_grad(params, run.X, run.y)
        train_loss = on_all_rows[0]
        if not math.isfinite(train_loss):
            run.explain_divergence(run.X, batch, lr, what="parameters")
    val_loss = None
    if run.validation is not None:
        X_val, y_val = run.validation
        val_loss = model.loss_and_grad(params, X_val, y_val)[0]
        if not math.isfinite(val_loss) and not run.check_finite:
            check_X(X_val, model.n_features, "fit", name="validation_data[0]")
    history.record_epoch(train_loss, val_loss)
    return on_all_rows


def _check_finite(params: Params, state: OptimizerState, epoch: int, step: int, lr: float) -> None:
    """Raise a DivergenceError if a parameter or a slot is NaN or infinite after update ``step``.

    (A slot can overflow while the parameters stay finite: Adam's ``exp_avg_sq``
    of a gradient past 1e154 is infinite, and its update then 0.)
    """
    for value in params.values():
        if not np.isfinite(value).all():
            raise DivergenceError(epoch, step, lr, what="parameters")
    for slots in state.slots.values():
        for value in slots.values():
            if not np.isfinite(value).all():
                raise DivergenceError(epoch, step, lr, what="optimizer state")


def _copies(params: Params, state: OptimizerState) -> tuple[Params, OptimizerState]:
    """Copies for a callback, which may keep or change them without touching the run."""
    slots = {name: {k: v.copy() for k, v in s.items()} for name, s in state.slots.items()}
    return {k: v.copy() for k, v in params.items()}, OptimizerState(state.step, slots)


class _Hook(Protocol):
    """What runs after each update's record: a checkpoint, the callbacks, the progress bar."""

    def step_end(
        self,
        batch: Batch,
        lr: float,
        loss: float,
        params: Params,
        state: OptimizerState,
        history: History,
        epoch_done: bool,
    ) -> None: ...


class _Callbacks:
    """Calls the user's callbacks after each update and each epoch, with copies."""

    def __init__(self, callbacks: list[Any], validation: bool) -> None:
        self.validation = validation
        self.on_step = [cb.on_step_end for cb in callbacks if hasattr(cb, "on_step_end")]
        self.on_epoch = [cb.on_epoch_end for cb in callbacks if hasattr(cb, "on_epoch_end")]

    @classmethod
    def make(cls, callbacks: list[Any], validation: bool) -> _Callbacks | None:
        return cls(callbacks, validation) if callbacks else None

    def step_end(
        self,
        batch: Batch,
        lr: float,
        loss: float,
        params: Params,
        state: OptimizerState,
        history: History,
        epoch_done: bool,
    ) -> None:
        if self.on_step or (epoch_done and self.on_epoch):
            # a callback never sees a diverged run
            _check_finite(params, state, batch.epoch, batch.step, lr)
        if self.on_step:
            info = StepInfo(
                batch.epoch, batch.step, batch.step_in_epoch, batch.size, batch.samples_seen,
                lr, loss, *_copies(params, state),
            )  # fmt: skip
            for on_step in self.on_step:
                on_step(info)
        if epoch_done:
            self.epoch_end(batch.epoch, state, batch.samples_seen, params, history)

    def epoch_end(
        self, epoch: int, state: OptimizerState, samples_seen: int, params: Params, history: History
    ) -> None:
        if self.on_epoch:
            last = history.epoch_losses(epoch)
            val = last["val_loss"] if self.validation else None
            einfo = EpochInfo(
                epoch, state.step, samples_seen, last["loss"], last["train_loss"],
                val, *_copies(params, state),
            )  # fmt: skip
            for on_epoch in self.on_epoch:
                on_epoch(einfo)


class _Bar:
    """Keras's progress display: ``verbose=1`` a bar per epoch, ``2`` a line per epoch."""

    def __init__(self, schedule: Schedule, verbose: int, history: History) -> None:
        self.starts = schedule.epoch_starts().tolist()  # updates done when epoch e starts
        self.progress = Progress(schedule.epochs, self.starts[1] - self.starts[0], verbose)
        self.live = verbose == 1 and self.progress.live  # redrawn in place on a terminal
        self.epoch = -1
        self.clock = time.perf_counter()

    def step_end(
        self,
        batch: Batch,
        lr: float,
        loss: float,
        params: Params,
        state: OptimizerState,
        history: History,
        epoch_done: bool,
    ) -> None:
        if batch.epoch != self.epoch:  # the first update of an epoch
            self.epoch, self.clock = batch.epoch, time.perf_counter()
            steps = self.starts[batch.epoch + 1] - self.starts[batch.epoch]
            self.progress.epoch_start(batch.epoch, steps)
        if self.live and time.perf_counter() >= self.progress.next_draw:
            first = self.starts[batch.epoch]
            loss_so_far = history.mean_loss(first, state.step)
            self.progress.step_end(state.step - first, loss_so_far, time.perf_counter())
        if epoch_done:
            last = history.epoch_losses(batch.epoch)
            extra = {k: last[k] for k in ("train_loss", "val_loss") if not math.isnan(last[k])}
            seconds = time.perf_counter() - self.clock
            self.progress.epoch_end(batch.epoch, last["loss"], seconds, extra)


class _Saver:
    """Writes the run to a checkpoint file and reads it back.

    A checkpoint holds what the loop needs to go on (the parameters, the
    optimizer state, whose ``step`` is the position in ``schedule.batches``)
    and the history so far; the seed, schedule, model and optimizer it
    belongs to are checked on resume.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        every: int | None,
        identity: dict[str, Any],
        seed_drawn: bool,
    ) -> None:
        self.path, self.every, self.identity = path, every, identity
        self.seed_drawn = seed_drawn  # fit(seed=None): a resume takes the checkpoint's seed

    def exists(self) -> bool:
        return os.path.exists(self.path)

    def step_end(
        self,
        batch: Batch,
        lr: float,
        loss: float,
        params: Params,
        state: OptimizerState,
        history: History,
        epoch_done: bool,
    ) -> None:
        due = epoch_done if self.every is None else state.step % self.every == 0
        if not due:
            return
        _check_finite(params, state, batch.epoch, batch.step, lr)  # never overwrite a good one

        arrays = {f"params/{k}": v for k, v in params.items()}
        for name, slots in state.slots.items():
            arrays.update({f"state/{name}/{slot}": v for slot, v in slots.items()})
        arrays.update(history._arrays())
        meta = {
            **self.identity,
            "step": state.step,
            "param_names": sorted(params),
            "slots": {name: sorted(s) for name, s in state.slots.items()},
        }
        save_checkpoint(self.path, Checkpoint(meta, arrays))

    def resume(
        self, model: Model, optimizer: Optimizer, history: History
    ) -> tuple[Params, OptimizerState]:
        """The parameters, state and history of the checkpoint, each checked against the run.

        With ``seed=None``, the run takes the checkpoint's seed (its ``identity``
        is updated); every other part of the identity must match.
        """
        shapes = model._shapes()
        slot_names = optimizer._slot_names()
        expected: dict[str, tuple[Any, tuple[int, ...]]] = {
            f"params/{k}": (np.float64, shape) for k, shape in shapes.items()
        }
        expected.update(
            {
                f"state/{k}/{slot}": (np.float64, shape)
                for k, shape in shapes.items()
                for slot in slot_names
            }
        )
        expected.update(history._largest_arrays())

        def same_run(meta: dict[str, Any]) -> dict[str, tuple[Any, tuple[int, ...]]]:
            self._check_identity(_upgrade_meta(meta))
            return expected

        # the per-update row count was History's "batch_size" column before 0.2
        renamed = {"history/batch_size": "history/samples_in_step"}
        ck = load_checkpoint(self.path, expected=same_run, renamed=renamed)
        meta = ck.meta
        try:
            step = meta["step"]
            if not is_int(step) or not 0 <= step <= len(history._steps["step"]):
                raise ValueError(f"its step {step!r} is not a position in this schedule")
            if meta["param_names"] != sorted(shapes) or meta["slots"] != {
                k: sorted(slot_names) for k in shapes
            }:
                raise ValueError("its names are not this model's and optimizer's")
            params = {k: ck.arrays[f"params/{k}"] for k in shapes}
            params = check_params(params, shapes, "fit (resume)")
            if not all(np.isfinite(v).all() for v in params.values()):
                raise ValueError("its parameters are not all finite")
            slots = {
                k: {slot: ck.arrays[f"state/{k}/{slot}"] for slot in slot_names} for k in shapes
            }
            state = OptimizerState(step=int(step), slots=slots)
            optimizer._check_state(state, shapes, "fit (resume)")
            history._restore(ck.arrays, int(step))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(
                f"The checkpoint {str(self.path)!r} is incomplete or inconsistent ({exc}); "
                f"refusing it."
            ) from None
        return params, state

    def _check_identity(self, meta: dict[str, Any]) -> None:
        """Refuse a checkpoint of another run (ValueError); take its seed if ours was drawn."""
        if self.seed_drawn and is_int(meta.get("seed")) and meta["seed"] >= 0:
            self.identity["seed"] = meta["seed"]  # seed=None: go on with the seed drawn then
        check_lr_identity(meta.get("lr"), self.identity["lr"], str(self.path))
        for key in ("schedule", "model", "optimizer", "seed", "data"):
            if meta.get(key) != self.identity[key]:
                what = "other data (X and y)" if key == "data" else f"another {key}"
                raise ValueError(
                    f"The checkpoint {str(self.path)!r} was made with {what} "
                    f"({_differences(meta.get(key), self.identity[key])}). Refusing to resume "
                    f"from it; use a new checkpoint path or resume=False."
                )


def _differences(saved: Any, now: Any) -> str:
    """What differs between a checkpoint's record and this run's, name by name.

    >>> _differences({"epochs": 2, "batch_size": 10}, {"epochs": 4, "batch_size": 10})
    'epochs: 2 in the checkpoint, 4 now'
    """
    if not (isinstance(saved, dict) and isinstance(now, dict)):
        return f"{saved!r} in the checkpoint, {now!r} now"
    names = sorted(set(saved) | set(now))
    return "; ".join(
        f"{name}: {saved.get(name)!r} in the checkpoint, {now.get(name)!r} now"
        for name in names
        if saved.get(name) != now.get(name)
    )


def _upgrade_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """A checkpoint's metadata with today's names (its learning-rate config's keys)."""
    optimizer = meta.get("optimizer")
    if not isinstance(optimizer, dict) or "lr" not in optimizer:
        return meta
    return {**meta, "optimizer": {**optimizer, "lr": upgrade_config(optimizer["lr"])}}


class _Run(NamedTuple):
    """fit's arguments, checked and converted before any work starts."""

    X: Array
    y: Any
    seed: int
    params: Params
    callbacks: list[Any]
    validation: tuple[Array, Any] | None
    epoch_loss: bool
    check_finite: bool
    saver: _Saver | None
    n_features: int

    def explain_divergence(self, X: Array, batch: Batch, lr: float, what: str = "loss") -> None:
        """Raise the error that explains a NaN or infinite loss: bad data, or divergence."""
        if not self.check_finite:  # X was not scanned: a bad value there is likelier
            check_X(X, self.n_features, "fit")
        if batch.step == 0 and what == "loss":  # before any update: the inputs, not the rate
            largest = max(float(X.max()), -float(X.min()))  # no copy of X
            raise ValueError(
                f"fit's loss at the starting parameters is NaN or infinite, before any "
                f"update (epoch 0, step 0): X, y and params are finite but too large for "
                f"float64 arithmetic (the largest |X| is {largest:g}). Scale the data (for "
                f"example standardize X and y) or the starting parameters."
            )
        raise DivergenceError(batch.epoch, batch.step, lr, what=what)


def _monitors(callbacks: list[Any], loss: str) -> bool:
    """Whether an EarlyStopping among ``callbacks`` watches ``loss``."""
    return any(isinstance(cb, EarlyStopping) and cb.monitor == loss for cb in callbacks)


def _is_pair(value: Any) -> bool:
    return isinstance(value, Sequence) and len(value) == 2


def _is_epoch_loss(value: Any) -> bool:
    return isinstance(value, (bool, np.bool_)) or (isinstance(value, str) and value == "auto")


_CONSTRAINTS: dict[str, list[Any]] = {
    "model": [InstanceOf(Model, "a minigd model")],
    "schedule": [InstanceOf(Schedule, "a Schedule")],
    "optimizer": [InstanceOf(Optimizer, "a minigd optimizer")],
    "seed": [SEED],
    "callbacks": CALLBACKS,
    "verbose": [Interval(int, 0, 2)],
    "validation_data": [Satisfies(_is_pair, "a pair (X_val, y_val)"), NONE],
    "epoch_loss": [Satisfies(_is_epoch_loss, "True, False or 'auto'")],
    "check_finite": [BOOL],
    "checkpoint": [PATH, NONE],
    "checkpoint_every": [Interval(int, 1, None), NONE],
    "resume": [BOOL],
}
# checked once X is read and epoch_loss's "auto" resolved
_RULES = [
    Rule(
        "schedule", "==", lambda a: len(a["X"]), "have n_samples equal to len(X) = {limit}",
        of="n_samples",
    ),
    Rule(
        "checkpoint", "!=", lambda a: None, "be a path when checkpoint_every or resume is given",
        when=lambda a: a["checkpoint_every"] is not None or a["resume"],
    ),
    Rule(
        "validation_data", "!=", lambda a: None,
        "be given: the 'callbacks' parameter holds EarlyStopping(monitor='val_loss'), which "
        "needs validation_data. Pass validation_data, or monitor 'train_loss'",
        when=lambda a: _monitors(a["callbacks"], "val_loss"),
    ),
    Rule(
        "epoch_loss", "==", lambda a: True,
        "be True: the 'callbacks' parameter holds EarlyStopping(monitor='train_loss'), but fit "
        "records no training-set loss here. Pass epoch_loss=True, or monitor 'loss'",
        when=lambda a: _monitors(a["callbacks"], "train_loss"),
    ),
]  # fmt: skip


def _check_arguments(
    model: Any,
    X: Any,
    y: Any,
    schedule: Any,
    optimizer: Any,
    seed: Any,
    params: Any,
    callbacks: Any,
    verbose: Any,
    validation_data: Any,
    epoch_loss: Any,
    check_finite: Any,
    checkpoint: Any,
    checkpoint_every: Any,
    resume: Any,
) -> _Run:
    owner = "fit"
    a = validate_params(
        owner, _CONSTRAINTS,
        {"model": model, "schedule": schedule, "optimizer": optimizer, "seed": seed,
         "callbacks": callbacks, "verbose": verbose, "validation_data": validation_data,
         "epoch_loss": epoch_loss, "check_finite": check_finite, "checkpoint": checkpoint,
         "checkpoint_every": checkpoint_every, "resume": resume},
    )  # fmt: skip
    check_finite = a["check_finite"]
    X_arr = check_X(X, model.n_features, owner, check_finite=check_finite)
    y_arr = model.check_y(y, len(X_arr), owner)
    if isinstance(a["epoch_loss"], str):  # "auto"
        a["epoch_loss"] = X_arr.size <= EPOCH_LOSS_AUTO_MAX_VALUES
    validate_params(owner, {}, {**a, "X": X_arr}, _RULES)
    root = resolve_seed(a["seed"])
    start = (
        model.init_params(root)
        if params is None
        else {  # plain float64 copies, as X is taken: no subclass (a mask) rides along
            k: np.array(v, dtype=np.float64)
            for k, v in check_params(params, model._shapes(), owner, finite=True).items()
        }
    )
    validation = _check_validation(model, validation_data, check_finite)
    saver = _check_checkpoint(
        schedule, model, optimizer, root, seed is None, (X_arr, y_arr), checkpoint,
        checkpoint_every, a["resume"],
    )  # fmt: skip
    lr = optimizer.lr
    if isinstance(lr, OneCycle) and lr.total_steps < schedule.total_steps:
        raise ValueError(
            f"The optimizer's OneCycle schedule has total_steps={lr.total_steps}, but the "
            f"Schedule makes {schedule.total_steps} updates. Use "
            f"OneCycle(..., total_steps=schedule.total_steps)."
        )
    if isinstance(lr, OneCycle) and lr.total_steps > schedule.total_steps:
        _warn_one_cycle_too_long(lr, schedule.total_steps)
    if isinstance(lr, LRSchedule) and lr.unit not in ("step", "epoch"):
        raise ValueError(f"Learning-rate schedule {lr!r} has an unknown unit {lr.unit!r}.")
    return _Run(
        X_arr, y_arr, root, start, a["callbacks"], validation, bool(a["epoch_loss"]), check_finite,
        saver, model.n_features,
    )  # fmt: skip


def _warn_one_cycle_too_long(lr: OneCycle, updates: int) -> None:
    """A warning, not an error: a run may be cut short of its plan on purpose.

    The classic slip is ``steps_per_epoch=len(loader)`` with accumulation:
    the cycle is then ``accumulate`` times too long and its peak may never come.
    """
    due = lr.pct_start * lr.total_steps  # updates until the peak (torch's OneCycleLR)
    reached = (
        f"peaks at max_lr={lr.max_lr:g} after {due:g} of them"
        if due <= updates
        else f"never reaches its peak max_lr={lr.max_lr:g} (due after {due:g} updates)"
    )
    warnings.warn(
        f"The optimizer's OneCycle schedule has total_steps={lr.total_steps}, but the Schedule "
        f"makes only {updates} updates: the rate {reached} and ends at {lr(updates - 1):.3g}, "
        f"not at its final {lr(lr.total_steps - 1):.3g}. If the run is not cut short on "
        f"purpose, use OneCycle(..., total_steps=schedule.total_steps).",
        UserWarning,
        stacklevel=4,
    )


def _early_stopping_resumed(callbacks: list[Any], history: History) -> bool:
    """Let each EarlyStopping take up its count from a resumed history; whether one stops."""
    stopping = [cb for cb in callbacks if isinstance(cb, EarlyStopping)]
    return any([cb._resume(history.epochs) for cb in stopping])  # every one takes it up


def _check_validation(model: Model, data: Any, check_finite: bool) -> tuple[Array, Any] | None:
    if data is None:
        return None
    X_val = check_X(
        data[0], model.n_features, "fit", name="validation_data[0]", check_finite=check_finite
    )
    return X_val, model.check_y(data[1], len(X_val), "fit", name="validation_data[1]")


def _check_checkpoint(
    schedule: Schedule,
    model: Model,
    optimizer: Optimizer,
    seed: int,
    seed_drawn: bool,
    data: tuple[Array, Any],
    checkpoint: str | os.PathLike[str] | None,
    every: int | None,
    resume: bool,
) -> _Saver | None:
    if checkpoint is None:
        return None
    _check_checkpoint_path(checkpoint, resume)
    import json

    identity = {
        "schedule": schedule.arguments(),
        "model": model.config(),
        "optimizer": optimizer.config(),
        "seed": seed,
        "data": data_fingerprint(*data),
        "lr": lr_identity(optimizer.lr, schedule),  # a function's values at a few counts
    }
    # through JSON, so it compares equal to what a checkpoint file gives back
    return _Saver(checkpoint, every, json.loads(json.dumps(identity)), seed_drawn)


def _check_checkpoint_path(checkpoint: str | os.PathLike[str], resume: bool) -> None:
    """Refuse, before training, a checkpoint path that no save could write, or should not."""
    path = os.fspath(checkpoint)
    # with resume, a file there is read first: what is wrong with it is said then
    problem = path_problem(path, probe=True, contents=not resume)
    if problem is not None:
        raise ValueError(
            f"The 'checkpoint' parameter of fit must be a path where a checkpoint can be "
            f"saved: nothing, or a minigd checkpoint, in a folder that exists and can be "
            f"written. Got {path!r}: {problem}."
        )


#: rows of X and y that :func:`data_fingerprint` reads
FINGERPRINT_ROWS = 1024


def data_fingerprint(X: Array, y: Any) -> str:
    """What a checkpoint records of the data, for ``resume`` to compare: a 128-bit hash.

    It covers the shapes and dtypes of ``X`` and ``y`` and, bit for bit, up to
    :data:`FINGERPRINT_ROWS` rows of both, evenly spread from the first to the
    last (every row when there are that few), at most 8 MiB of ``X``. Its cost
    does not grow with the number of rows.

    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.arange(6.0).reshape(3, 2), np.zeros(3)
    >>> data_fingerprint(X, y) == data_fingerprint(X.copy(), y.copy())
    True
    >>> data_fingerprint(X + 1e-300, y) == data_fingerprint(X, y)
    False
    """
    import hashlib

    n = len(X)
    count = min(n, FINGERPRINT_ROWS, max(1, (8 << 20) // max(X[:1].nbytes, 1)))
    rows = np.arange(count, dtype=np.int64) * (n - 1) // max(count - 1, 1)
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((X.shape, X.dtype.str, y.shape, y.dtype.str)).encode())
    digest.update(np.ascontiguousarray(X.take(rows, axis=0)).tobytes())
    digest.update(np.ascontiguousarray(y.take(rows, axis=0)).tobytes())
    return digest.hexdigest()
