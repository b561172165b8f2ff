"""History: every update of a run and every epoch, as numpy columns.

``fit`` records one row per update (its position, batch size, learning rate
and batch loss) and one row per epoch (the mean batch loss, the loss on the
whole training set, the validation loss). Positions and sizes come from the
:class:`~minigd.Schedule` before training; ``fit`` writes only what it learns.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from ._text import counted
from ._validation import InstanceOf, validate_params, warn_renamed
from .display import Table
from .models._base import Array
from .schedule import Schedule

__all__ = ["History"]


class History:
    """Every update of a run, as preallocated numpy columns.

    Per update: ``epoch``, ``step`` (0-based index of the update),
    ``step_in_epoch``, ``samples_in_step`` (rows in the update, every
    micro-batch and replica), ``samples_seen`` (rows so far, this update
    included), ``lr``, ``loss`` (the batch loss before the update); the column
    ``batch_size`` is the deprecated name of ``samples_in_step``.
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
        "samples_in_step": np.int64,
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
        validate_params(
            "History", {"schedule": [InstanceOf(Schedule, "a Schedule")]}, {"schedule": schedule}
        )
        # Positions and sizes are known before training: only lr and loss
        # are written per update.
        table = schedule.step_table()
        known = {**table, "samples_in_step": table["batch_size"]}  # rows in the whole update
        self._steps: dict[str, NDArray[Any]] = {
            k: known[k] if k in known else np.zeros(schedule.total_steps, dtype=t)
            for k, t in self.STEP_COLUMNS.items()
        }
        # Likewise every epoch the run goes through (also one in which no update
        # completes) and where it ends: only losses are written per epoch.
        recorded = np.arange(schedule.epochs_run, dtype=np.int64)
        ends = schedule.epoch_starts()[recorded + 1]
        self._epochs: dict[str, NDArray[Any]] = {
            k: np.zeros(len(recorded), dtype=t) for k, t in self.EPOCH_COLUMNS.items()
        }
        self._epochs["epoch"][:] = recorded
        self._epochs["steps_done"][:] = ends
        self._epochs["samples_seen"][:] = schedule.counting.samples_through(ends)
        self._epochs["val_loss"][:] = math.nan
        self._n = 0
        self._n_epochs = 0

    def record_step(self, step: int, lr: float, loss: float) -> None:
        """Write update ``step``'s learning rate and batch loss (``fit`` calls this).

        Examples
        --------
        >>> h = History(Schedule(10, 5, 1))
        >>> h.record_step(0, lr=0.1, loss=2.5)
        >>> len(h), h["loss"].tolist()
        (1, [2.5])
        """
        self._steps["lr"][step] = lr
        self._steps["loss"][step] = loss
        self._n = step + 1

    def mean_loss(self, first: int, end: int) -> float:
        """The batch losses of updates ``first`` to ``end - 1``, weighted by their rows.

        Weighted by ``samples_in_step`` so a ragged last batch counts for its rows,
        not as a full batch (Keras's epoch loss). ``nan`` when there are none.

        Examples
        --------
        >>> h = History(Schedule(10, 4, 1))
        >>> for step, loss in enumerate([1.0, 1.0, 4.0]):
        ...     h.record_step(step, 0.1, loss)
        >>> h.mean_loss(0, 3)  # (4 * 1 + 4 * 1 + 2 * 4) / 10
        1.6
        """
        if end <= first:  # an epoch in which no update completes has no batch loss
            return math.nan
        sizes = self._steps["samples_in_step"][first:end].astype(np.float64)
        return float(self._steps["loss"][first:end] @ sizes) / float(sizes.sum())

    def record_epoch(self, train_loss: float, val_loss: float | None) -> float:
        """Close the next epoch: store its losses; return its mean batch loss.

        Examples
        --------
        >>> h = History(Schedule(10, 5, 1))
        >>> h.record_step(0, 0.1, 2.0); h.record_step(1, 0.1, 4.0)
        >>> h.record_epoch(train_loss=2.5, val_loss=None)
        3.0
        >>> h.epochs["train_loss"].tolist()
        [2.5]
        """
        i = self._n_epochs
        end = int(self._epochs["steps_done"][i])
        first = int(self._epochs["steps_done"][i - 1]) if i else 0
        loss = self.mean_loss(first, end)
        self._epochs["loss"][i] = loss
        self._epochs["train_loss"][i] = train_loss
        if val_loss is not None:
            self._epochs["val_loss"][i] = val_loss
        self._n_epochs = i + 1
        return loss

    def last_epoch(self) -> dict[str, float]:
        """The losses of the last recorded epoch, as floats (``nan`` when not recorded).

        Examples
        --------
        >>> h = History(Schedule(10, 5, 1))
        >>> h.record_step(0, 0.1, 2.0); h.record_step(1, 0.1, 4.0)
        >>> _ = h.record_epoch(train_loss=2.5, val_loss=None)
        >>> h.last_epoch()
        {'loss': 3.0, 'train_loss': 2.5, 'val_loss': nan}
        """
        return self.epoch_losses(self._n_epochs - 1)

    def epoch_losses(self, epoch: int) -> dict[str, float]:
        """The losses of recorded epoch ``epoch`` (0-based), as floats.

        Examples
        --------
        >>> h = History(Schedule(10, 5, 2))
        >>> h.record_step(0, 0.1, 2.0); h.record_step(1, 0.1, 4.0)
        >>> _ = h.record_epoch(train_loss=2.5, val_loss=None)
        >>> h.epoch_losses(0)["train_loss"]
        2.5
        """
        return {
            name: float(self._epochs[name][epoch]) for name in ("loss", "train_loss", "val_loss")
        }

    def __len__(self) -> int:
        return self._n

    @property
    def columns(self) -> tuple[str, ...]:
        """Names of the per-update columns."""
        return tuple(self.STEP_COLUMNS)

    def __getitem__(self, name: str) -> NDArray[Any]:
        if name == "batch_size":
            warn_renamed("History['batch_size']", "History['samples_in_step']")
            name = "samples_in_step"
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
        """A per-update column averaged within each epoch, weighted by its rows.

        Weighted by ``samples_in_step`` so a ragged last batch counts for its rows,
        not as a full batch.

        Examples
        --------
        >>> import minigd
        >>> X, y = minigd.datasets.make_regression(10, 2, seed=0)
        >>> h = minigd.fit(minigd.models.LinearRegression(2), X, y, minigd.Schedule(10, 4, 2),
        ...         minigd.optim.SGD(lr=0.1)).history
        >>> bool(abs(h.per_epoch()[0] - (h["loss"][:3] @ [4, 4, 2]) / 10) < 1e-12)
        True
        """
        values = self[name].astype(np.float64)
        epoch = self["epoch"]
        weights = self["samples_in_step"].astype(np.float64)
        n = int(epoch.max()) + 1 if len(epoch) else 0
        totals = np.bincount(epoch, weights=values * weights, minlength=n)
        return totals / np.bincount(epoch, weights=weights, minlength=n)

    def to_dict(self) -> dict[str, Any]:
        """Plain lists: ``{"steps": {column: [...]}, "epochs": {column: [...]}}``.

        Examples
        --------
        >>> import minigd
        >>> X, y = minigd.datasets.make_regression(10, 2, seed=0)
        >>> h = minigd.fit(minigd.models.LinearRegression(2), X, y, minigd.Schedule(10, 5, 2),
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
        >>> h = minigd.fit(minigd.models.LinearRegression(2), X, y, minigd.Schedule(10, 5, 2),
        ...         minigd.optim.SGD(lr=0.1)).history
        >>> h.table().columns[:3]
        ('epoch', 'steps_done', 'samples_seen')
        """
        cols = list(self.EPOCH_COLUMNS)
        e = self.epochs
        rows = [[e[c][i].item() for c in cols] for i in range(self._n_epochs)]
        return Table(cols, rows)

    def _repr_html_(self) -> str:
        return f"<p>History: {self._counts()}</p>" + self.table()._repr_html_()

    def __repr__(self) -> str:
        return f"History({self._counts()})"

    def _counts(self) -> str:
        return f"{counted(self._n, 'update')}, {counted(self._n_epochs, 'epoch')}"

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
        >>> h = minigd.fit(minigd.models.LinearRegression(2), X, y, minigd.Schedule(10, 5, 3),
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

    def _largest_arrays(self) -> dict[str, tuple[np.dtype[Any], tuple[int, ...]]]:
        """The dtype and largest shape of each array :meth:`_arrays` can give."""
        columns = [("history", self._steps), ("epochs", self._epochs)]
        return {f"{part}/{k}": (v.dtype, v.shape) for part, cs in columns for k, v in cs.items()}

    def _restore(self, arrays: dict[str, NDArray[Any]], step: int) -> None:
        """Take the record of the first ``step`` updates from a checkpoint's arrays.

        The positions must be this schedule's, and the losses finite: a file
        made for another run, or tampered with, is refused (ValueError).
        """
        m = int(np.count_nonzero(self._epochs["steps_done"] <= step))
        self._check_restorable(arrays, step, m)
        for k, v in self._steps.items():
            v[:step] = arrays[f"history/{k}"]
        for k, v in self._epochs.items():
            v[:m] = arrays[f"epochs/{k}"]
        self._n, self._n_epochs = step, m

    def _check_restorable(self, arrays: dict[str, NDArray[Any]], step: int, m: int) -> None:
        """Refuse arrays that are not the record of this schedule's first ``step`` updates."""
        measured = {"lr", "loss", "train_loss", "val_loss"}
        for part, columns, n in (("history", self._steps, step), ("epochs", self._epochs, m)):
            for k, v in columns.items():
                saved = arrays[f"{part}/{k}"]
                if saved.shape != (n,) or saved.dtype != v.dtype:
                    raise ValueError(f"{part}/{k} holds {saved.shape} values, not ({n},)")
                if k not in measured and not np.array_equal(saved, v[:n]):
                    raise ValueError(f"{part}/{k} is not this schedule's")
        for k in ("history/lr", "history/loss"):
            if not np.isfinite(arrays[k]).all():
                raise ValueError(f"{k} is not all finite")
        # an epoch's mean batch loss: finite, or nan where no update completes in it
        ends = self._epochs["steps_done"][:m]
        holds = ends > np.concatenate(([0], ends[:-1]))
        loss = arrays["epochs/loss"]
        if not (np.isfinite(loss[holds]).all() and np.isnan(loss[~holds]).all()):
            raise ValueError("epochs/loss is not finite where an epoch holds updates")
        for k in ("epochs/train_loss", "epochs/val_loss"):  # nan: not recorded
            if np.isinf(arrays[k]).any():
                raise ValueError(f"{k} is infinite")
