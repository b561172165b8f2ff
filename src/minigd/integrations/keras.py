"""Keras runs a minigd :class:`~minigd.Schedule`: a ``PyDataset`` of the schedule's batches.

``model.fit(ScheduleDataset(X, y, schedule, seed), epochs=schedule.epochs,
shuffle=False)`` trains on the batches of ``schedule.batches(seed)``, epoch by
epoch (draw epochs and the capped stream of ``steps_per_epoch`` included), so
``model.optimizer.iterations`` ends at ``schedule.total_steps``.

Importing this module imports keras (set ``KERAS_BACKEND`` first, as Keras
asks).
"""

from __future__ import annotations

from itertools import islice
from typing import Any

import keras  # type: ignore[import-untyped]
import numpy as np

from .._validation import InstanceOf, Interval, Rule, check_int, describe_value, validate_params
from ..schedule import Schedule

__all__ = ["ScheduleDataset"]


def _full_epochs(schedule: Schedule) -> int:
    return schedule.epochs * schedule.steps_per_epoch


_CONSTRAINTS: dict[str, list[Any]] = {
    "schedule": [InstanceOf(Schedule, "a minigd Schedule")],
    "seed": [Interval(int, 0, None)],
}
_RULES = [
    Rule(
        "schedule", "==", lambda a: 1,
        "have accumulate=1 (one batch per update; ScheduleBatchSampler for accumulation)",
        of="accumulate",
    ),
    Rule(
        "schedule", "==", lambda a: 1,
        "have world_size=1 (ScheduleBatchSampler shards the rows for replicas)",
        of="world_size",
    ),
    Rule(
        "schedule", "==", lambda a: _full_epochs(a["schedule"]),
        "run steps_per_epoch updates in every epoch, as Keras does: total_steps = "
        "epochs * steps_per_epoch = {limit} (use epochs, not max_steps)",
        of="total_steps",
    ),
]  # fmt: skip


class ScheduleDataset(keras.utils.PyDataset):  # type: ignore[misc]
    """The schedule's batches as a ``keras.utils.PyDataset``, one epoch at a time.

    ``len(dataset)`` is ``schedule.steps_per_epoch`` and ``dataset[i]`` is
    ``(X[rows], y[rows])`` for the rows of update ``i`` of the current epoch,
    the ``i``-th batch of that epoch in ``schedule.batches(seed)``. Keras's
    ``fit`` moves the dataset to the next epoch through ``on_epoch_end``.

    Parameters
    ----------
    X : array-like of shape (n_samples, ...)
        Inputs; ``len(X)`` must be ``schedule.n_samples``. Kept as given
        (an array is not copied; never modified).
    y : array-like of shape (n_samples, ...)
        Targets, one per row of ``X``.
    schedule : Schedule
        One batch per update (``accumulate=1``, ``world_size=1``), the same
        number of updates in every epoch (no ``max_steps`` that cuts the run
        short): Keras runs ``len(dataset)`` batches in every epoch.
    seed : int, default 0
        The root seed of the row order, as in ``minigd.fit(..., seed=seed)``.

    Attributes
    ----------
    epoch : int
        The epoch whose batches the dataset serves.

    Raises
    ------
    TypeError
        ``schedule`` is not a :class:`~minigd.Schedule`, ``seed`` is not an
        int, or ``X``/``y`` are not arrays.
    ValueError
        ``X`` and ``y`` do not have ``schedule.n_samples`` rows; a schedule
        with accumulation, replicas or ``max_steps`` cutting an epoch;
        ``seed < 0``. During ``fit``: batches asked for out of order, which is
        what ``fit(shuffle=True)`` (its default) does to a ``PyDataset``.

    Notes
    -----
    Pass ``shuffle=False`` to ``fit``: for a ``PyDataset`` Keras 3 reads
    ``shuffle=True`` as "visit the batches in a random order" (with Python's
    ``random``), which would replace the schedule's order; the dataset
    refuses an out-of-order request rather than train on another order. The
    schedule's own ``sampling`` decides how rows are shuffled.

    Keras 3's ``fit`` reads batch 0 once to build the model and calls
    ``on_epoch_end`` once before its first epoch (``EpochIterator.reset``,
    keras 3.15.1); the dataset therefore starts counting epochs after that
    first call. A second ``fit`` on the same dataset continues with the next
    epoch.

    Examples
    --------
    >>> import numpy as np
    >>> from minigd import Schedule
    >>> X, y = np.arange(10.0).reshape(5, 2), np.arange(5.0)
    >>> data = ScheduleDataset(X, y, Schedule(5, 2, 2, sampling="sequential"))
    >>> len(data), data[2][1].tolist()
    (3, [4.0])
    """

    def __init__(self, X: Any, y: Any, schedule: Schedule, seed: int = 0) -> None:
        super().__init__()  # one worker, no multiprocessing: batches in order
        owner = "ScheduleDataset"
        checked = validate_params(owner, _CONSTRAINTS, {"schedule": schedule, "seed": seed}, _RULES)
        arrays = {}
        for name, value in (("X", X), ("y", y)):
            try:
                arrays[name] = np.asarray(value)  # no copy of an array
            except (TypeError, ValueError):
                arrays[name] = np.empty(0, dtype=object)
            if arrays[name].dtype == object or arrays[name].ndim == 0:
                raise TypeError(
                    f"The {name!r} parameter of {owner} must be an array with one row per "
                    f"sample. Got {describe_value(value)} instead."
                )
            if len(arrays[name]) != schedule.n_samples:
                raise ValueError(
                    f"The {name!r} parameter of {owner} must have schedule.n_samples = "
                    f"{schedule.n_samples} rows. Got {len(arrays[name])} instead."
                )
        self.X, self.y, self.schedule = arrays["X"], arrays["y"], schedule
        self.seed = checked["seed"]
        self.epoch = 0
        self._rows: tuple[int, list[Any]] | None = None  # (epoch, each update's rows)
        self._ends = 0  # on_epoch_end calls received
        self._next: int | None = None  # the index fit must ask for next, inside an epoch

    def __len__(self) -> int:
        return self.schedule.steps_per_epoch

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        i = check_int(index, "index", "ScheduleDataset", min_value=0, max_value=len(self) - 1)
        if self._next is not None:
            if i != self._next:
                raise ValueError(
                    f"ScheduleDataset was asked for batch {i} of epoch {self.epoch} where "
                    f"batch {self._next} comes next: Keras's fit(shuffle=True), its default, "
                    f"reorders a PyDataset's batches. Pass shuffle=False; the Schedule "
                    f"already orders the rows."
                )
            self._next = i + 1
        rows = self._epoch_rows()[i]
        return self.X[rows], self.y[rows]

    def _epoch_rows(self) -> list[Any]:
        if self._rows is None or self._rows[0] != self.epoch:
            s = self.schedule
            start = self.epoch * s.steps_per_epoch
            batches = islice(s.batches(self.seed, start=start), s.steps_per_epoch)
            self._rows = (self.epoch, [batch.indices for batch in batches])
        return self._rows[1]

    def on_epoch_begin(self) -> None:
        """Keras starts an epoch: batches are asked for in order from 0."""
        self._next = 0

    def on_epoch_end(self) -> None:
        """Keras ends an epoch: the next batches are the next epoch's.

        Not counted: the first call (``fit``'s reset before its first epoch)
        and a call with no epoch begun since the last one.
        """
        begun, self._next = self._next is not None, None
        self._ends += 1
        if begun and self._ends > 1 and self.epoch < self.schedule.epochs - 1:
            self.epoch += 1
