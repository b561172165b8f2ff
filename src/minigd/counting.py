"""Counting: how many updates, micro-batches and samples a run holds, regime by regime.

A :class:`~minigd.Schedule` counts its run in one of four regimes. Each is a
class below holding the formulas in which the regimes differ; ``nb`` is the
micro-batches of one pass per replica (``batches_per_pass``), ``k`` is
``accumulate``, ``S`` is ``steps_per_epoch``:

- :class:`PassEpochs` (``epoch="pass"``): an epoch is one pass, ``ceil(nb / k)``
  updates, a partial group of micro-batches flushed at its end (Lightning,
  Hugging Face). Updates before epoch ``e``: ``e * ceil(nb / k)``.
- :class:`DrawEpochs` (``epoch="draw"``): an epoch is ``S`` (default 1)
  batches drawn at random. Updates before epoch ``e``: ``e * S``.
- :class:`CappedStream` (``steps_per_epoch=S`` on pass epochs): epochs cut
  ``S`` updates at a time from one endless stream of passes. Updates before
  epoch ``e``: ``e * S``.
- :class:`CarriedGroups` (``accumulate_across_epochs=True``): groups of ``k``
  micro-batches carry over epoch boundaries (Keras 3, optax ``MultiSteps``).
  Updates before epoch ``e``: ``floor(e * nb / k)``.

Every other count (samples, micro-batches, epochs of a step)
is written once in :class:`Counting` from those three formulas.

Each formula takes a Python int (exact for any size) or an int64 numpy array
(a whole run at once, for :meth:`Counting.step_table`): the same arithmetic
serves both, so the scalar and the vectorised count can never disagree. Where
a product inside a formula could pass int64's ``2**63 - 1`` the array holds
Python ints instead (exact, slower); an array API refuses with a ValueError an
array that would pass 1 GiB or a value int64 cannot hold.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

import numpy as np
from numpy.typing import NDArray

from ._validation import INT64_MAX, check_bool, check_int, check_int64, check_memory

__all__ = [
    "CappedStream",
    "CarriedGroups",
    "Counting",
    "DrawEpochs",
    "PassEpochs",
    "batch_sizes_for",
    "counting_for",
    "rows_per_replica",
]

#: A count or a column of counts: every formula here serves both.
Count = TypeVar("Count", int, NDArray[np.int64])


def _at_most(x: Count, cap: int) -> Count:
    return np.minimum(x, cap) if isinstance(x, np.ndarray) else min(x, cap)


def _divmod(x: Count, y: int) -> tuple[Count, Count]:
    return x // y, x % y  # numpy's divmod has no loop for Python ints (object arrays)


def rows_per_replica(n: int, b: int, r: int, sharding: str, drop_last: bool) -> int:
    """Rows each of ``r`` replicas gets in one pass, before its loader batches them.

    Two decisions, two flags: the sampler evens the shards (``sharding``),
    then each replica's ``DataLoader`` drops its ragged last batch or not
    (``drop_last``, applied by :attr:`Counting.batches_per_pass`).

    - ``"pad"``: ``DistributedSampler(dataset, num_replicas=r)``:
      ``ceil(N / r)``, the order padded by repeating its first rows (what
      Lightning injects, and a torch loop that passes no ``drop_last`` to
      the sampler).
    - ``"drop"``: ``DistributedSampler(..., drop_last=True)``: ``floor(N / r)``,
      the tail of the order cut.
    - ``"batches"``: accelerate's ``BatchSamplerShard`` (the Hugging Face
      ``Trainer``): the loader batches the whole order and the replicas take
      whole batches of ``B`` in turn, ``ceil(ceil(N / B) / r)`` each, the last
      round completed with the first rows; with ``drop_last``
      ``floor(floor(N / B) / r)``, an incomplete round dropped.

    One replica takes all ``N`` rows whatever the sharding.

    Examples
    --------
    >>> [rows_per_replica(11, 3, 2, sharding, True) for sharding in ("pad", "drop", "batches")]
    [6, 5, 3]
    >>> rows_per_replica(10, 3, 2, "batches", False)  # 4 batches: 2 each, all full
    6
    """
    if r == 1:
        return n
    if sharding == "batches":
        batches = n // b if drop_last else -(-n // b)
        return b * (batches // r if drop_last else -(-batches // r))
    return n // r if sharding == "drop" else -(-n // r)


class Counting:
    """The integers every count of a run is a formula of.

    Built from a Schedule's (already validated) arguments by
    :func:`counting_for`, which picks the regime; read it as
    ``schedule.counting``.

    Examples
    --------
    >>> from minigd import Schedule
    >>> c = Schedule(100, 3, 2, accumulate=4, accumulate_across_epochs=True).counting
    >>> c
    CarriedGroups(batches_per_pass=34, accumulate=4)
    >>> c.steps_before_epoch(1), c.epoch_of(8), c.total_steps
    (8, 1, 17)
    """

    regime: ClassVar[str]
    _shown: ClassVar[tuple[str, ...]]  # the numbers its repr shows

    def __init__(self, **arguments: Any) -> None:
        self.n_samples: int = arguments["n_samples"]
        self.batch_size: int = arguments["batch_size"]
        self.epochs: int = arguments["epochs"]
        self.drop_last: bool = arguments.get("drop_last", False)
        self.sampling: str = arguments.get("sampling", "shuffle")
        self.cap: int | None = arguments.get("steps_per_epoch")
        self.accumulate: int = arguments.get("accumulate", 1)
        self.world_size: int = arguments.get("world_size", 1)
        self.max_steps: int | None = arguments.get("max_steps")
        self.sharding: str = arguments.get("sharding", "pad")
        self.rows_per_replica: int = rows_per_replica(
            self.n_samples, self.batch_size, self.world_size, self.sharding, self.drop_last
        )

    # ------------------------------------------------ the three regime formulas
    def steps_before_epoch(self, epoch: Count) -> Count:
        """Updates completed before epoch ``epoch`` starts (``max_steps`` ignored)."""
        raise NotImplementedError

    def epoch_of(self, step: Count) -> Count:
        """The 0-based epoch that update ``step`` (0-based) belongs to."""
        raise NotImplementedError

    def micro_through(self, steps: Count) -> Count:
        """Micro-batches (per replica) consumed by the first ``steps`` updates."""
        return steps * self.accumulate

    # ------------------------------------------------------- shared formulas
    @property
    def batches_per_pass(self) -> int | None:
        """Micro-batches per replica in one pass, ``None`` when epochs draw batches."""
        rows, b = self.rows_per_replica, self.batch_size
        return rows // b if self.drop_last else -(-rows // b)

    @property
    def draw_size(self) -> int:
        """Rows in one drawn batch: without replacement it cannot hold more than N."""
        if self.sampling == "replacement":
            return self.batch_size
        return min(self.batch_size, self.n_samples)

    @property
    def samples_per_pass(self) -> int | None:
        """Rows one pass uses, all replicas (padding repeats rows)."""
        nb = self.batches_per_pass
        if nb is None:
            return None
        rows = nb * self.batch_size if self.drop_last else self.rows_per_replica
        return self.world_size * rows

    def samples_through(self, steps: Count) -> Count:
        """Per-sample gradients computed by the first ``steps`` updates."""
        nb, spp = self.batches_per_pass, self.samples_per_pass
        if nb is None or spp is None:
            return steps * (self.accumulate * self.world_size * self.draw_size)
        full, rest = _divmod(self.micro_through(steps), nb)
        # Only the last micro-batch of a pass is short, and `rest < nb` never reaches it.
        return full * spp + rest * (self.batch_size * self.world_size)

    def micro_range(self, step: int) -> tuple[int, int]:
        """Micro-batch indices ``[first, last)`` (per replica) of update ``step``."""
        return self.micro_through(step), self.micro_through(step + 1)

    @property
    def total_steps(self) -> int:
        """Updates in the run: every epoch's, or ``max_steps`` if smaller."""
        total = self.steps_before_epoch(self.epochs)
        return total if self.max_steps is None else min(total, self.max_steps)

    def _column_type(
        self, length: int, columns: int, what: str, owner: str, hint: str, largest: int = 0
    ) -> Any:
        """The dtype of ``arange(length)`` fed to the formulas, refused past 1 GiB.

        int64 while every product the formulas form stays under ``2**63``;
        Python ints (an object array, exact, about 40 bytes an element)
        otherwise. ``largest`` bounds the products; by default, for every
        formula: an input ``x < length`` is multiplied by at most the updates
        of an epoch, ``nb``, or ``k * r * B`` (a pass's samples over its
        micro-batches), and a remainder by less than ``nb * B * r``.
        """
        if not largest:
            k, r, b = self.accumulate, self.world_size, self.batch_size
            nb = self.batches_per_pass or 1
            widest = max(self.steps_before_epoch(1), nb, k * r * b)
            largest = (length + 2) * widest + 2 * nb * b * r
        exact = largest > INT64_MAX
        check_memory(length, columns * (40 if exact else 8), what, owner, hint)
        return object if exact else np.int64

    def epoch_starts(self) -> NDArray[np.int64]:
        """Global step at which each epoch starts, and ``total_steps`` last.

        Always int64 (what arrays of steps are elsewhere): a run whose steps
        pass ``2**63 - 1``, or whose array would pass 1 GiB, is refused with a
        ValueError; :meth:`steps_in_epoch` is exact for any size.
        """
        owner, total = "Schedule.epoch_starts", self.total_steps
        hint = "Use steps_in_epoch(e) for one epoch: exact for any size."
        check_memory(self.epochs + 1, 32, "epochs", owner, hint)
        check_int64(total, "steps", owner, hint)
        # every epoch from epochs_run on starts at total_steps: the formula is for those before
        m = self.epochs_run + 1  # steps_before_epoch multiplies by S, or nb and divides by k
        largest = (self.steps_before_epoch(m) + 1) * self.accumulate
        e = np.arange(m, dtype=self._column_type(m, 3, "epochs", owner, hint, largest))
        starts = np.full(self.epochs + 1, total, dtype=np.int64)
        starts[:m] = np.minimum(self.steps_before_epoch(e), total)
        return starts

    def steps_in_epoch(self, epoch: int) -> int:
        """Updates completed in epoch ``epoch``."""
        total = self.total_steps
        return min(total, self.steps_before_epoch(epoch + 1)) - min(
            total, self.steps_before_epoch(epoch)
        )

    def samples_in_epoch(self, epoch: int) -> int:
        """Per-sample gradients of the updates completed in epoch ``epoch``."""
        total = self.total_steps
        first = min(total, self.steps_before_epoch(epoch))
        last = min(total, self.steps_before_epoch(epoch + 1))
        return self.samples_through(last) - self.samples_through(first)

    def position(self, step: int) -> tuple[int, int]:
        """``(epoch, step_in_epoch)`` of update ``step``."""
        epoch = self.epoch_of(step)
        return epoch, step - self.steps_before_epoch(epoch)

    def step_table(self) -> dict[str, NDArray[np.int64]]:
        """Every update's epoch, position and size as int64 columns (no rows drawn).

        Refused with a ValueError when the columns would pass 1 GiB or hold
        a count past ``2**63 - 1``; :meth:`samples_through` is exact for any size.
        """
        owner, total = "Schedule.step_table", self.total_steps
        hint = "Use batch(k) or samples_through(k) for one update: exact for any size."
        dtype = self._column_type(total + 1, 8, "updates", owner, hint)
        check_int64(self.samples_through(total), "samples", owner, hint)
        through = self.samples_through(np.arange(total + 1, dtype=dtype))
        steps = np.arange(total, dtype=dtype)
        epoch = self.epoch_of(steps)
        table = {
            "epoch": epoch,
            "step": steps,
            "step_in_epoch": steps - self.steps_before_epoch(epoch),
            "batch_size": np.diff(through),
            "samples_seen": through[1:],
        }
        return {name: column.astype(np.int64, copy=False) for name, column in table.items()}

    @property
    def steps_per_epoch(self) -> int:
        """Updates per epoch; ValueError when epochs differ (see :meth:`steps_vary`)."""
        if self.steps_vary():
            raise ValueError(
                f"Updates per epoch vary in this Schedule: accumulate={self.accumulate} "
                f"groups carry across epochs of {self.batches_per_pass} micro-batches. Use "
                f"steps_in_epoch(e) for one epoch, or total_steps for the run."
            )
        return self.steps_before_epoch(1)

    @property
    def samples_per_epoch(self) -> int:
        """Per-sample gradients of one full epoch; ValueError when epochs differ."""
        if self.samples_vary():
            raise ValueError(
                "Epochs of this Schedule differ in size (a steps_per_epoch cap or accumulation "
                "groups cut passes at different places). Use samples_in_epoch(e) for one "
                "epoch, or samples_seen for the run."
            )
        return self.samples_through(self.steps_before_epoch(1))

    @property
    def epochs_run(self) -> int:
        """Epochs the run goes through: all, unless ``max_steps`` ends it in an earlier one.

        An epoch whose micro-batches all go into a group that completes later
        (carried groups longer than an epoch) is still an epoch: a loop steps
        its per-epoch scheduler there, and Keras records it.
        """
        total = self.total_steps
        if self.steps_before_epoch(self.epochs) <= total:  # max_steps does not stop it
            return self.epochs
        return self.epoch_of(total - 1) + 1

    @property
    def micro_batches_per_epoch(self) -> int:
        """Micro-batches per replica per epoch (``len(DataLoader)`` on one replica)."""
        nb = self.batches_per_pass
        return self.accumulate * self.steps_per_epoch if nb is None else nb

    @property
    def micro_batches(self) -> int:
        """Micro-batches each replica computes in the run (those applied in updates)."""
        return self.micro_through(self.total_steps)

    @property
    def micro_batches_unapplied(self) -> int:
        """Micro-batches left over at the end (only carried groups leave any)."""
        return 0

    @property
    def last_batch_size(self) -> int:
        """Rows in the last micro-batch of a pass per replica (every drawn batch's)."""
        nb, spp = self.batches_per_pass, self.samples_per_pass
        if nb is None or spp is None:
            return self.draw_size
        return spp // self.world_size - (nb - 1) * self.batch_size

    def steps_vary(self) -> bool:
        """Whether epochs hold different numbers of updates (only carried groups can)."""
        return False

    def samples_vary(self) -> bool:
        """Whether epochs compute different numbers of per-sample gradients."""
        return self.steps_vary()

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)}" for name in self._shown)
        return f"{type(self).__name__}({shown})"


class _FixedEpochs(Counting):
    """Regimes in which every epoch has the same number of updates, ``per_epoch``."""

    per_epoch: int

    def steps_before_epoch(self, epoch: Count) -> Count:
        return epoch * self.per_epoch

    def epoch_of(self, step: Count) -> Count:
        return step // self.per_epoch


class DrawEpochs(_FixedEpochs):
    """``epoch="draw"``: an epoch is ``S`` updates from batches drawn at random (``S`` = cap or 1).

    Examples
    --------
    >>> from minigd import Schedule
    >>> Schedule(100, 5, 500, epoch="draw").counting
    DrawEpochs(per_epoch=1)
    """

    regime = "draw"
    _shown = ("per_epoch",)

    def __init__(self, **arguments: Any) -> None:
        super().__init__(**arguments)
        self.per_epoch = self.cap or 1

    @property
    def batches_per_pass(self) -> int | None:
        return None  # no passes: each batch is drawn on its own


class PassEpochs(_FixedEpochs):
    """``epoch="pass"``: ``ceil(nb / k)`` updates per epoch, the last group flushed.

    Lightning and Hugging Face step on the partial group at the end of an
    epoch, so ``nb`` micro-batches make ``ceil(nb / k)`` updates.

    Examples
    --------
    >>> from minigd import Schedule
    >>> Schedule(100, 3, 2, accumulate=4).counting
    PassEpochs(batches_per_pass=34, accumulate=4, per_epoch=9)
    """

    regime = "pass"
    _shown = ("batches_per_pass", "accumulate", "per_epoch")

    def __init__(self, **arguments: Any) -> None:
        super().__init__(**arguments)
        nb = self.batches_per_pass
        assert nb is not None
        self.per_epoch = -(-nb // self.accumulate)

    def micro_through(self, steps: Count) -> Count:
        nb = self.batches_per_pass
        assert nb is not None
        full, rest = _divmod(steps, self.per_epoch)
        return full * nb + _at_most(rest * self.accumulate, nb)


class CappedStream(_FixedEpochs):
    """``steps_per_epoch=S`` on pass epochs: ``S`` updates cut from one endless stream of passes.

    One micro-batch per update (a cap is refused with accumulation or replicas).

    Examples
    --------
    >>> from minigd import Schedule
    >>> Schedule(100, 3, 4, steps_per_epoch=20).counting
    CappedStream(batches_per_pass=34, per_epoch=20)
    """

    regime = "capped"
    _shown = ("batches_per_pass", "per_epoch")

    def __init__(self, **arguments: Any) -> None:
        super().__init__(**arguments)
        assert self.cap is not None
        self.per_epoch = self.cap

    def samples_vary(self) -> bool:
        # Epoch e holds floor((e+1)S/nb) - floor(eS/nb) pass ends: floor(S/nb) or one more.
        nb, s = self.batches_per_pass, self.per_epoch
        assert nb is not None
        short_last = self.n_samples % self.batch_size != 0 and not self.drop_last
        if self.epochs == 1 or not short_last or nb == 1 or s % nb == 0:
            return False
        # Epoch 0 holds floor(S/nb); some epoch holds one more exactly when the E epochs'
        # floor(E*S/nb) ends pass E*floor(S/nb), that is when E * (S % nb) >= nb (O(1)).
        return self.epochs * (s % nb) >= nb


class CarriedGroups(Counting):
    """``accumulate_across_epochs=True``: groups of ``k`` micro-batches carry over epochs.

    Keras 3 and optax ``MultiSteps``: the run is one sequence of ``E * nb``
    micro-batches, every ``k`` of them an update, so ``floor(E * nb / k)``
    updates in all and epochs may differ by one.

    Examples
    --------
    >>> from minigd import Schedule
    >>> c = Schedule(100, 3, 3, accumulate=4, accumulate_across_epochs=True).counting
    >>> c.epoch_starts().tolist(), c.steps_vary()
    ([0, 8, 17, 25], True)
    """

    regime = "carried"
    _shown = ("batches_per_pass", "accumulate")

    def _nb(self) -> int:
        nb = self.batches_per_pass
        assert nb is not None
        return nb

    def steps_before_epoch(self, epoch: Count) -> Count:
        return (epoch * self._nb()) // self.accumulate

    def epoch_of(self, step: Count) -> Count:
        # the epoch of the update's last micro-batch
        return ((step + 1) * self.accumulate - 1) // self._nb()

    def steps_vary(self) -> bool:
        return self._nb() % self.accumulate != 0 and self.epochs > 1  # one epoch never differs

    @property
    def micro_batches_unapplied(self) -> int:
        # Keras 3 and optax compute the last partial group but never apply it
        if self.max_steps is not None:
            return 0
        return (self.epochs * self._nb()) % self.accumulate


def counting_for(**arguments: Any) -> Counting:
    """The counting regime of a Schedule with these (validated) arguments.

    Parameters
    ----------
    **arguments
        A Schedule's arguments, as :meth:`~minigd.Schedule.arguments` gives
        them (omitted options take the Schedule's defaults).

    Returns
    -------
    Counting
        A :class:`DrawEpochs`, :class:`PassEpochs`, :class:`CappedStream` or :class:`CarriedGroups`.

    Examples
    --------
    >>> counting_for(n_samples=100, batch_size=5, epochs=30).total_steps
    600
    >>> counting_for(n_samples=100, batch_size=5, epochs=30, epoch="draw").regime
    'draw'
    """
    if arguments.get("epoch", "pass") == "draw":
        return DrawEpochs(**arguments)
    if arguments.get("steps_per_epoch") is not None:
        return CappedStream(**arguments)
    if arguments.get("accumulate_across_epochs", False):
        return CarriedGroups(**arguments)
    return PassEpochs(**arguments)


def batch_sizes_for(
    total_steps: int, n_samples: int, epochs: int, *, drop_last: bool = False
) -> list[int]:
    """Batch sizes (1 to ``n_samples``) that give ``total_steps`` pass-epoch updates.

    Answers questions like the Q&A's follow-up: which batch size makes 500
    epochs over 100 samples take 50,000 steps?

    Examples
    --------
    >>> batch_sizes_for(50_000, n_samples=100, epochs=500)
    [1]
    >>> batch_sizes_for(10_000, n_samples=100, epochs=500)
    [5]
    >>> batch_sizes_for(17_000, n_samples=100, epochs=500)
    [3]
    >>> batch_sizes_for(12_345, n_samples=100, epochs=500)
    []
    """
    owner = "batch_sizes_for"
    total = check_int(total_steps, "total_steps", owner, min_value=1)
    n = check_int(n_samples, "n_samples", owner, min_value=1)
    e = check_int(epochs, "epochs", owner, min_value=1)
    drop = check_bool(drop_last, "drop_last", owner)
    per_epoch, rem = divmod(total, e)
    if rem or per_epoch > n:
        return []
    if drop:
        # floor(n / b) == k  <=>  n // (k + 1) < b <= n // k
        lo, hi = n // (per_epoch + 1) + 1, n // per_epoch
    else:
        # ceil(n / b) == k  <=>  ceil(n / k) <= b <= ceil(n / (k - 1)) - 1
        lo = -(-n // per_epoch)
        hi = n if per_epoch == 1 else -(-n // (per_epoch - 1)) - 1
    return list(range(lo, min(hi, n) + 1))
