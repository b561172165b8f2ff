"""Schedule: every count of a training run, under every convention.

A :class:`Schedule` is the training plan: ``N`` samples, batches of ``B``,
``E`` epochs, and the conventions that turn those three numbers into counts.
All counts are pure integer arithmetic (O(1), exact for any size); which rows
go into which update comes from :mod:`minigd.batching`.

The two epoch definitions
-------------------------
``epoch="pass"`` (Keras, PyTorch, TF 2): an epoch is one pass over all ``N``
samples in ``ceil(N / B)`` steps (``floor`` with ``drop_last=True``).

``epoch="draw"`` (the "original definition", as the Q&A's answer calls it; toy
loops whose loop variable is named ``epoch`` use it too): an epoch is one
update from one batch of ``B`` samples drawn from the ``N``. Textbooks
(Goodfellow et al. 8.1.3, d2l) define an epoch as a full pass.

With ``steps_per_epoch=S`` an epoch is cut to ``S`` steps, and the next epoch
continues where the previous one stopped: batches come from an endless stream
of passes that is reshuffled whenever a pass ends. (Keras 3 differs for array
data: it also continues across epochs, but cuts an epoch short when a pass
runs out of data, with the warning "Your input ran out of data". minigd never
cuts an epoch short: every epoch has exactly ``S`` steps.)
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._text import check_lang, law_text, name, text
from ._validation import check_bool, check_int, check_option, check_seed
from .batching import Streams, draw_rows, pass_order, resolve_seed
from .display import Table, format_value

__all__ = [
    "EPOCH_CONVENTIONS",
    "ITERATION_CONVENTIONS",
    "SAMPLING_METHODS",
    "Batch",
    "ExposureSummary",
    "Schedule",
    "batch_sizes_for",
    "compare",
]

EPOCH_CONVENTIONS = ("pass", "draw")
ITERATION_CONVENTIONS = ("step", "epoch")
SAMPLING_METHODS = ("shuffle", "sequential", "replacement")

IntArray = NDArray[np.intp]


class Batch:
    """One update's worth of rows.

    Attributes
    ----------
    epoch : int
        0-based epoch the update belongs to.
    step : int
        0-based global step: the number of updates applied before this one.
    step_in_epoch : int
        0-based position inside the epoch.
    indices : numpy.ndarray
        Row indices of the batch (read-only).
    samples_seen : int
        Per-sample gradients computed up to and including this batch.
    parts : tuple of numpy.ndarray
        The micro-batches of the update, micro-step major and replica minor
        (one part, ``indices`` itself, without accumulation or replicas).

    Examples
    --------
    >>> b = Schedule(10, 4, 1, sampling="sequential").batch(2)
    >>> b.epoch, b.step, b.step_in_epoch, b.indices.tolist(), b.samples_seen, b.size
    (0, 2, 2, [8, 9], 10, 2)
    """

    __slots__ = ("epoch", "indices", "parts", "samples_seen", "step", "step_in_epoch")

    def __init__(
        self,
        epoch: int,
        step: int,
        step_in_epoch: int,
        indices: IntArray,
        samples_seen: int,
        parts: tuple[IntArray, ...] | None = None,
    ) -> None:
        self.epoch = epoch
        self.step = step
        self.step_in_epoch = step_in_epoch
        self.indices = indices
        self.samples_seen = samples_seen
        self.parts = (indices,) if parts is None else parts

    @property
    def size(self) -> int:
        """Number of rows in the batch."""
        return len(self.indices)

    def __repr__(self) -> str:
        idx = self.indices.tolist()
        shown = idx if len(idx) <= 8 else [*idx[:6], "...", idx[-1]]
        return (
            f"Batch(epoch={self.epoch}, step={self.step}, step_in_epoch={self.step_in_epoch}, "
            f"indices={shown}, samples_seen={self.samples_seen})"
        )


class ExposureSummary(NamedTuple):
    """How many per-sample gradients each sample takes part in, in closed form.

    For a random schedule the numbers describe one sample's count (every
    sample has the same distribution); for a deterministic one they describe
    the spread across samples.

    Attributes
    ----------
    mean : float
        Average uses per sample: ``samples_seen / n_samples``, exact.
    std : float
        Standard deviation of a sample's count.
    min, max : int
        Smallest and largest count a sample can end with.
    p_never : float
        Probability that a given sample is never used (for a deterministic
        schedule: the fraction of samples never used).
    expected_never_used : float
        ``n_samples * p_never``.
    random : bool
        Whether the counts depend on the seed.
    distribution : str
        The law of a sample's count, e.g. ``"exactly 500"`` or
        ``"Binomial(n=500, p=0.01)"``.

    Examples
    --------
    >>> x = Schedule(100, 10, 500, epoch="draw").exposure_summary()
    >>> x.mean, x.random, x.distribution
    (50.0, True, 'Binomial(n=500, p=0.1)')
    """

    mean: float
    std: float
    min: int
    max: int
    p_never: float
    expected_never_used: float
    random: bool
    distribution: str


def _binomial_p_never(n: int, p: float) -> float:
    if p >= 1.0:
        return 0.0 if n > 0 else 1.0
    return math.exp(n * math.log1p(-p)) if n > 0 else 1.0


class Schedule:
    """The training plan: N samples, batches of B, E epochs, and the conventions.

    Parameters
    ----------
    n_samples : int
        Training samples ``N`` (>= 1).
    batch_size : int
        Samples per gradient ``B`` (>= 1). Larger than ``N`` is allowed (one
        batch of ``N`` per pass, as Keras and PyTorch do) except with
        ``drop_last=True``, where no update would ever happen.
    epochs : int
        Epochs ``E`` (>= 1).
    epoch : {"pass", "draw"}, default "pass"
        ``"pass"``: one epoch is a pass over all samples, ``ceil(N / B)``
        steps. ``"draw"``: one epoch is one update from one batch drawn at
        random (the answer's "original definition"; textbooks define an
        epoch as a full pass).
    iteration : {"step", "epoch"}, default "step"
        What :attr:`iterations` counts: steps (TF 1.x ``global_step``,
        Lightning, Hugging Face ``max_steps``, optax) or epochs (Keras's log,
        scikit-learn's ``max_iter``).
    drop_last : bool, default False
        Drop the last, smaller batch of each pass (``floor(N / B)`` steps).
    sampling : {"shuffle", "sequential", "replacement"}, default "shuffle"
        Reshuffled without replacement every pass; fixed order; drawn with
        replacement.
    steps_per_epoch : int or None, default None
        Cap an epoch at this many steps; the next epoch continues where this
        one stopped (see the module notes for how Keras differs).
    accumulate : int, default 1
        Micro-batches per update (gradient accumulation): each update
        averages the gradients of ``accumulate`` micro-batches.
    world_size : int, default 1
        Data-parallel replicas. ``batch_size`` is per replica and micro-step;
        each epoch is sharded as ``DistributedSampler`` does (padded by
        repeating rows, or cut with ``drop_last``), and an update averages the
        replicas' gradients (an all-reduce).
    accumulate_across_epochs : bool, default False
        ``False``: a partial group of micro-batches at the end of an epoch is
        flushed into an update (Lightning, Hugging Face: ``ceil(nb/k)``
        updates per epoch). ``True``: groups carry over epoch boundaries
        (Keras 3, optax ``MultiSteps``: ``floor(E*nb/k)`` updates in all;
        micro-batches left at the end are never applied).
    max_steps : int or None, default None
        Stop after this many updates, even mid-epoch (Hugging Face's and
        Lightning's ``max_steps``).

    Raises
    ------
    TypeError
        An integer argument that is not an int (``bool``, float, str), or an
        option that is not a str.
    ValueError
        A value out of range, an unknown convention, ``drop_last=True`` with
        ``batch_size > n_samples`` or with ``epoch="draw"``.

    Examples
    --------
    The instructor's Keras example from the Q&A:

    >>> s = Schedule(n_samples=100, batch_size=5, epochs=30)
    >>> s.steps_per_epoch, s.total_steps, s.samples_per_epoch, s.samples_seen
    (20, 600, 100, 3000)
    >>> s.iterations
    600
    >>> Schedule(100, 5, 30, iteration="epoch").iterations
    30

    The original definition's mini-batch: one batch per epoch.

    >>> t = Schedule(100, 5, 500, epoch="draw")
    >>> t.steps_per_epoch, t.total_steps, t.samples_seen
    (1, 500, 2500)

    Gradient accumulation and two replicas: updates, micro-batches, samples.

    >>> a = Schedule(100, 3, 2, accumulate=4, world_size=2)
    >>> a.effective_batch_size, a.micro_batches_per_epoch, a.steps_per_epoch, a.total_steps
    (24, 17, 5, 10)
    """

    __slots__ = (
        "_accumulate",
        "_across",
        "_batch_size",
        "_drop_last",
        "_epoch",
        "_epochs",
        "_iteration",
        "_max_steps",
        "_n_samples",
        "_sampling",
        "_steps_cap",
        "_world_size",
    )

    def __init__(
        self,
        n_samples: int,
        batch_size: int,
        epochs: int,
        *,
        epoch: str = "pass",
        iteration: str = "step",
        drop_last: bool = False,
        sampling: str = "shuffle",
        steps_per_epoch: int | None = None,
        accumulate: int = 1,
        world_size: int = 1,
        accumulate_across_epochs: bool = False,
        max_steps: int | None = None,
    ) -> None:
        owner = "Schedule"
        self._n_samples = check_int(n_samples, "n_samples", owner, min_value=1)
        self._batch_size = check_int(batch_size, "batch_size", owner, min_value=1)
        self._epochs = check_int(epochs, "epochs", owner, min_value=1)
        self._epoch = check_option(epoch, "epoch", owner, EPOCH_CONVENTIONS)
        self._iteration = check_option(iteration, "iteration", owner, ITERATION_CONVENTIONS)
        self._drop_last = check_bool(drop_last, "drop_last", owner)
        self._sampling = check_option(sampling, "sampling", owner, SAMPLING_METHODS)
        self._steps_cap = (
            None
            if steps_per_epoch is None
            else check_int(steps_per_epoch, "steps_per_epoch", owner, min_value=1)
        )
        self._accumulate = check_int(accumulate, "accumulate", owner, min_value=1)
        self._world_size = check_int(world_size, "world_size", owner, min_value=1)
        self._across = check_bool(accumulate_across_epochs, "accumulate_across_epochs", owner)
        self._max_steps = (
            None if max_steps is None else check_int(max_steps, "max_steps", owner, min_value=1)
        )
        if self._steps_cap is not None and (self._accumulate > 1 or self._world_size > 1):
            raise ValueError(
                "The 'steps_per_epoch' parameter of Schedule must be None when accumulate > 1 "
                f"or world_size > 1 (a capped stream of accumulated or sharded batches is not "
                f"supported). Got {self._steps_cap} instead."
            )
        if self._drop_last and self._epoch == "draw":
            raise ValueError(
                "The 'drop_last' parameter of Schedule must be False when epoch='draw': "
                "a draw epoch takes whole batches, so there is no last batch to drop. "
                "Got True instead."
            )
        if self._drop_last and self._world_size > self._n_samples:
            raise ValueError(
                f"The 'world_size' parameter of Schedule must be <= n_samples="
                f"{self._n_samples} when drop_last=True: a replica would get no sample. "
                f"Got {self._world_size} instead."
            )
        if self._drop_last and self._batch_size > self._per_replica:
            where = "n_samples" if self._world_size == 1 else "samples per replica"
            raise ValueError(
                f"The 'batch_size' parameter of Schedule must be <= {where}="
                f"{self._per_replica} when drop_last=True: every batch would be dropped and "
                f"no update would happen. Got {self._batch_size} instead."
            )
        if self.total_steps == 0:
            run = self.micro_batches_per_epoch * self._epochs
            raise ValueError(
                f"The 'accumulate' parameter of Schedule must be <= the {run} "
                f"micro-batches of the whole run when groups carry across epochs: no update "
                f"would happen. Got {self._accumulate} instead."
            )

    # ------------------------------------------------------------------ presets
    @classmethod
    def gd(cls, n_samples: int, epochs: int, **options: Any) -> Schedule:
        """Full-batch gradient descent: every gradient uses all samples.

        Examples
        --------
        >>> Schedule.gd(100, 500).total_steps
        500
        """
        return cls(n_samples, n_samples, epochs, **options)

    @classmethod
    def sgd(cls, n_samples: int, epochs: int, **options: Any) -> Schedule:
        """Stochastic gradient descent: one sample per gradient.

        Examples
        --------
        >>> Schedule.sgd(100, 500).total_steps
        50000
        >>> Schedule.sgd(100, 500, epoch="draw").total_steps
        500
        """
        return cls(n_samples, 1, epochs, **options)

    @classmethod
    def minibatch(cls, n_samples: int, batch_size: int, epochs: int, **options: Any) -> Schedule:
        """Mini-batch SGD with ``batch_size`` samples per gradient.

        Examples
        --------
        >>> Schedule.minibatch(100, 10, 500).total_steps
        5000
        """
        return cls(n_samples, batch_size, epochs, **options)

    def replace(self, **changes: Any) -> Schedule:
        """A copy with some arguments changed.

        Examples
        --------
        >>> Schedule(100, 5, 30).replace(epoch="draw").total_steps
        30
        """
        args = self.arguments()
        args.update(changes)
        return Schedule(**args)

    def arguments(self) -> dict[str, Any]:
        """The arguments that rebuild this schedule: ``Schedule(**s.arguments()) == s``.

        Examples
        --------
        >>> Schedule(100, 5, 30).arguments()["batch_size"]
        5
        """
        return {
            "n_samples": self._n_samples,
            "batch_size": self._batch_size,
            "epochs": self._epochs,
            "epoch": self._epoch,
            "iteration": self._iteration,
            "drop_last": self._drop_last,
            "sampling": self._sampling,
            "steps_per_epoch": self._steps_cap,
            "accumulate": self._accumulate,
            "world_size": self._world_size,
            "accumulate_across_epochs": self._across,
            "max_steps": self._max_steps,
        }

    # ---------------------------------------------------------------- arguments
    @property
    def n_samples(self) -> int:
        """Training samples ``N``."""
        return self._n_samples

    @property
    def batch_size(self) -> int:
        """Samples per gradient ``B``, as given."""
        return self._batch_size

    @property
    def epochs(self) -> int:
        """Epochs ``E``."""
        return self._epochs

    @property
    def epoch(self) -> str:
        """The epoch definition: ``"pass"`` or ``"draw"``."""
        return self._epoch

    @property
    def iteration(self) -> str:
        """What :attr:`iterations` counts: ``"step"`` or ``"epoch"``."""
        return self._iteration

    @property
    def drop_last(self) -> bool:
        """Whether the last, smaller batch of each pass is dropped."""
        return self._drop_last

    @property
    def sampling(self) -> str:
        """``"shuffle"``, ``"sequential"`` or ``"replacement"``."""
        return self._sampling

    @property
    def steps_cap(self) -> int | None:
        """The ``steps_per_epoch`` argument (``None`` when epochs are not capped)."""
        return self._steps_cap

    @property
    def accumulate(self) -> int:
        """Micro-batches per update."""
        return self._accumulate

    @property
    def world_size(self) -> int:
        """Data-parallel replicas."""
        return self._world_size

    @property
    def accumulate_across_epochs(self) -> bool:
        """Whether accumulation groups carry over epoch boundaries."""
        return self._across

    @property
    def max_steps(self) -> int | None:
        """The ``max_steps`` argument (``None``: no cap on updates)."""
        return self._max_steps

    # ------------------------------------------------------------------- counts
    @property
    def effective_batch_size(self) -> int:
        """Samples behind one full update: ``batch_size * accumulate * world_size``.

        Examples
        --------
        >>> Schedule(50_000, 8, 3, accumulate=4, world_size=2).effective_batch_size
        64
        """
        return self._batch_size * self._accumulate * self._world_size

    @property
    def _per_replica(self) -> int:
        # DistributedSampler: ceil(N / r) rows per replica (padded), floor with drop_last
        n, r = self._n_samples, self._world_size
        return n // r if self._drop_last else -(-n // r)

    @property
    def batches_per_pass(self) -> int | None:
        """Batches (per replica) in one pass over the data: ``ceil(N/B)``, or ``floor`` with drop_last.

        With ``world_size=r`` each replica holds ``ceil(N/r)`` rows
        (``floor`` with drop_last). ``None`` under ``epoch="draw"``, which has
        no passes.

        Examples
        --------
        >>> Schedule(100, 3, 2).batches_per_pass
        34
        >>> Schedule(100, 3, 2, drop_last=True).batches_per_pass
        33
        >>> Schedule(100, 3, 2, world_size=2).batches_per_pass
        17
        """  # noqa: E501
        if self._epoch == "draw":
            return None
        rows, b = self._per_replica, self._batch_size
        return rows // b if self._drop_last else -(-rows // b)

    @property
    def micro_batches_per_epoch(self) -> int:
        """Micro-batches per replica per epoch (``len(DataLoader)`` on one replica).

        Examples
        --------
        >>> Schedule(100, 3, 2, accumulate=4).micro_batches_per_epoch
        34
        """
        nb = self.batches_per_pass
        return self._accumulate * self.steps_per_epoch if nb is None else nb

    @property
    def micro_batches(self) -> int:
        """Micro-batches each replica computes in the run (those applied in updates).

        Examples
        --------
        >>> Schedule(100, 3, 2, accumulate=4).micro_batches
        68
        """
        if self.batches_per_pass is None:
            return self.total_steps * self._accumulate
        return self._micro_through(self.total_steps)

    @property
    def micro_batches_unapplied(self) -> int:
        """Micro-batches left over at the end when groups carry across epochs.

        Keras 3 and optax compute them but never apply them; minigd skips them.

        Examples
        --------
        >>> Schedule(100, 3, 2, accumulate=4, accumulate_across_epochs=True).micro_batches_unapplied
        0
        >>> Schedule(100, 3, 1, accumulate=4, accumulate_across_epochs=True).micro_batches_unapplied
        2
        """
        nb = self.batches_per_pass
        if nb is None or not self._across or self._max_steps is not None:
            return 0
        return (self._epochs * nb) % self._accumulate

    @property
    def samples_per_pass(self) -> int | None:
        """Samples used in one pass (all replicas): ``N``, or ``floor(N/B) * B`` with drop_last.

        With replicas, padding repeats rows: ``r * ceil(N/r)``.

        Examples
        --------
        >>> Schedule(100, 3, 2, drop_last=True).samples_per_pass
        99
        >>> Schedule(100, 5, 1, world_size=3).samples_per_pass
        102
        """
        nb = self.batches_per_pass
        if nb is None:
            return None
        rows = nb * self._batch_size if self._drop_last else self._per_replica
        return self._world_size * rows

    @property
    def last_batch_size(self) -> int:
        """Rows in the last batch of a pass, per replica (every batch, under ``epoch="draw"``).

        Examples
        --------
        >>> Schedule(100, 3, 2).last_batch_size, Schedule(100, 3, 2, drop_last=True).last_batch_size
        (1, 3)
        """
        nb = self.batches_per_pass
        if nb is None:
            return self._draw_size
        spp = self.samples_per_pass
        assert spp is not None
        return spp // self._world_size - (nb - 1) * self._batch_size

    @property
    def _draw_size(self) -> int:
        # Without replacement a drawn batch cannot hold more than N rows.
        if self._sampling == "replacement":
            return self._batch_size
        return min(self._batch_size, self._n_samples)

    @property
    def _updates_per_pass(self) -> int:
        # flushed groups: ceil(nb / k) updates per epoch
        nb = self.batches_per_pass
        assert nb is not None
        return -(-nb // self._accumulate)

    def _updates_before_epoch(self, epoch: int) -> int:
        """Updates completed before epoch ``epoch`` starts (ignoring max_steps)."""
        nb = self.batches_per_pass
        if nb is None or self._steps_cap is not None:
            return epoch * (self._steps_cap or 1)
        if self._across:
            return (epoch * nb) // self._accumulate
        return epoch * self._updates_per_pass

    def epoch_starts(self) -> NDArray[np.int64]:
        """Global step at which each epoch starts, and ``total_steps`` last (length E+1).

        Examples
        --------
        >>> Schedule(100, 3, 3, accumulate=4, accumulate_across_epochs=True).epoch_starts().tolist()
        [0, 8, 17, 25]
        """
        e = np.arange(self._epochs + 1, dtype=np.int64)
        nb = self.batches_per_pass
        if nb is None or self._steps_cap is not None:
            starts = e * (self._steps_cap or 1)
        elif self._across:
            starts = (e * nb) // self._accumulate
        else:
            starts = e * self._updates_per_pass
        return np.minimum(starts, self.total_steps)

    def _micro_through(self, steps: int) -> int:
        """Micro-steps (per replica) consumed by the first ``steps`` updates (pass epochs)."""
        nb = self.batches_per_pass
        assert nb is not None
        if self._steps_cap is not None or self._accumulate == 1:
            return steps
        if self._across:
            return steps * self._accumulate
        full, rest = divmod(steps, self._updates_per_pass)
        return full * nb + min(rest * self._accumulate, nb)

    def _epoch_of(self, step: int) -> int:
        nb = self.batches_per_pass
        if nb is not None and self._across and self._steps_cap is None:
            return ((step + 1) * self._accumulate - 1) // nb
        if nb is None or self._steps_cap is not None:
            return step // (self._steps_cap or 1)
        return step // self._updates_per_pass

    def _varying_updates(self) -> bool:
        nb = self.batches_per_pass
        return (
            nb is not None
            and self._across
            and self._steps_cap is None
            and nb % self._accumulate != 0
            and self._epochs > 1  # a single epoch cannot differ from another
        )

    @property
    def steps_per_epoch(self) -> int:
        """Updates per epoch.

        ``ceil(N/B)`` under ``"pass"`` (``floor`` with drop_last), 1 under
        ``"draw"``, or the ``steps_per_epoch`` cap when one was given. With
        ``accumulate=k``: ``ceil(nb/k)`` (groups flushed at the end of each
        epoch).

        Raises
        ------
        ValueError
            With ``accumulate_across_epochs=True`` when ``k`` does not divide
            the micro-batches of an epoch: epochs then differ (see
            :meth:`updates_in_epoch`).

        Examples
        --------
        >>> Schedule(100, 5, 30).steps_per_epoch, Schedule(100, 5, 30, epoch="draw").steps_per_epoch
        (20, 1)
        >>> Schedule(100, 3, 2, accumulate=4).steps_per_epoch
        9
        """
        if self._steps_cap is not None:
            return self._steps_cap
        nb = self.batches_per_pass
        if nb is None:
            return 1
        if self._varying_updates():
            raise ValueError(
                f"Updates per epoch vary in this Schedule: accumulate={self._accumulate} "
                f"groups carry across epochs of {nb} micro-batches. Use updates_in_epoch(e) "
                f"for one epoch, or total_steps for the run."
            )
        if self._across:
            return self._updates_before_epoch(1)
        return self._updates_per_pass

    @property
    def total_steps(self) -> int:
        """Updates in the run: ``epochs * steps_per_epoch`` (or ``max_steps`` if smaller).

        Examples
        --------
        >>> Schedule(n_samples=10**12, batch_size=1000, epochs=10**6).total_steps
        1000000000000000
        >>> Schedule(100, 3, 2, accumulate=4, accumulate_across_epochs=True).total_steps
        17
        """
        total = self._updates_before_epoch(self._epochs)
        return total if self._max_steps is None else min(total, self._max_steps)

    @property
    def epochs_run(self) -> int:
        """Epochs in which at least one update happens (fewer than ``epochs`` under max_steps).

        Examples
        --------
        >>> Schedule(100, 5, 30, max_steps=50).epochs_run
        3
        """
        return self._epoch_of(self.total_steps - 1) + 1 if self.total_steps else 0

    def updates_in_epoch(self, epoch: int) -> int:
        """Updates completed in epoch ``epoch`` (0-based).

        Examples
        --------
        >>> s = Schedule(100, 3, 2, accumulate=4, accumulate_across_epochs=True)
        >>> [s.updates_in_epoch(e) for e in range(2)]
        [8, 9]
        """
        e = check_int(
            epoch, "epoch", "Schedule.updates_in_epoch", min_value=0, max_value=self._epochs - 1
        )
        total = self.total_steps
        return min(total, self._updates_before_epoch(e + 1)) - min(
            total, self._updates_before_epoch(e)
        )

    @property
    def iterations(self) -> int:
        """What "iteration" counts under :attr:`iteration`: steps or epochs.

        Examples
        --------
        >>> Schedule(100, 5, 30).iterations, Schedule(100, 5, 30, iteration="epoch").iterations
        (600, 30)
        """
        return self.total_steps if self._iteration == "step" else self._epochs

    def samples_through(self, steps: int) -> int:
        """Per-sample gradients computed in the first ``steps`` updates.

        Examples
        --------
        >>> Schedule(100, 3, 2).samples_through(34), Schedule(100, 3, 2).samples_through(35)
        (100, 103)
        """
        k = check_int(steps, "steps", "Schedule.samples_through", min_value=0)
        nb = self.batches_per_pass
        if nb is None:
            return k * self._accumulate * self._world_size * self._draw_size
        spp = self.samples_per_pass
        assert spp is not None
        full, rest = divmod(self._micro_through(k), nb)
        # Only the last micro-step of a pass is short, and `rest < nb` never reaches it.
        return full * spp + rest * self._batch_size * self._world_size

    def samples_in_epoch(self, epoch: int) -> int:
        """Per-sample gradients of the updates completed in epoch ``epoch`` (0-based).

        Examples
        --------
        >>> s = Schedule(100, 3, 4, steps_per_epoch=20)
        >>> [s.samples_in_epoch(e) for e in range(4)]
        [60, 58, 60, 58]
        """
        e = check_int(
            epoch, "epoch", "Schedule.samples_in_epoch", min_value=0, max_value=self._epochs - 1
        )
        total = self.total_steps
        first = min(total, self._updates_before_epoch(e))
        last = min(total, self._updates_before_epoch(e + 1))
        return self.samples_through(last) - self.samples_through(first)

    def _epoch_size_varies(self) -> bool:
        if self._varying_updates():
            return True
        nb = self.batches_per_pass
        if nb is None or self._steps_cap is None or self._epochs == 1:
            return False
        s = self.steps_per_epoch
        if self.last_batch_size == self._batch_size or nb == 1 or s % nb == 0:
            return False
        # Epoch e holds floor((e+1)S/nb) - floor(eS/nb) pass ends, periodic in e
        # with period nb / gcd(S, nb); a full period always contains both values.
        period = nb // math.gcd(s, nb)
        if self._epochs >= period:
            return True
        e = np.arange(self._epochs, dtype=object)
        ends = ((e + 1) * s) // nb - (e * s) // nb
        return len(set(ends.tolist())) > 1

    @property
    def samples_per_epoch(self) -> int:
        """Per-sample gradients computed per (full) epoch.

        ``N`` under ``"pass"`` (``floor(N/B) * B`` with drop_last), ``B``
        under ``"draw"``.

        Raises
        ------
        ValueError
            When epochs differ in size (a ``steps_per_epoch`` cap that puts the
            ragged batch in some epochs only, or accumulation groups that carry
            across epochs); use :meth:`samples_in_epoch` then.

        Examples
        --------
        >>> Schedule(100, 5, 30).samples_per_epoch
        100
        >>> Schedule(100, 5, 30, epoch="draw").samples_per_epoch
        5
        """
        if self._epoch_size_varies():
            raise ValueError(
                "Epochs of this Schedule differ in size (a steps_per_epoch cap or accumulation "
                "groups cut passes at different places). Use samples_in_epoch(e) for one "
                "epoch, or samples_seen for the run."
            )
        return self.samples_through(self._updates_before_epoch(1))

    @property
    def samples_seen(self) -> int:
        """Per-sample gradients computed in the run.

        Examples
        --------
        >>> Schedule(100, 5, 30).samples_seen, Schedule(100, 1, 500, epoch="draw").samples_seen
        (3000, 500)
        """
        return self.samples_through(self.total_steps)

    @property
    def data_passes(self) -> float:
        """``samples_seen / n_samples``: how many times the data set's worth was used.

        Under the original definition this is "each sample is used about E·B/N times".

        Examples
        --------
        >>> Schedule(100, 1, 500, epoch="draw").data_passes
        5.0
        """
        return self.samples_seen / self._n_samples

    def step_table(self) -> dict[str, NDArray[np.int64]]:
        """Every update's position and size, as int64 columns of length ``total_steps``.

        Columns: ``epoch``, ``step``, ``step_in_epoch``, ``batch_size`` (rows
        in the update, all micro-batches and replicas), ``samples_seen``
        (after the update). The same numbers as the fields of
        :meth:`batches`, without drawing any rows.

        Examples
        --------
        >>> t = Schedule(10, 4, 2).step_table()
        >>> t["epoch"].tolist(), t["batch_size"].tolist(), t["samples_seen"].tolist()
        ([0, 0, 0, 1, 1, 1], [4, 4, 2, 4, 4, 2], [4, 8, 10, 14, 18, 20])
        """
        total = self.total_steps
        steps = np.arange(total, dtype=np.int64)
        nb = self.batches_per_pass
        if nb is not None and self._across and self._steps_cap is None:
            epoch = ((steps + 1) * self._accumulate - 1) // nb
            first = (epoch * nb) // self._accumulate
        else:
            per_epoch = (
                (self._steps_cap or 1)
                if nb is None or self._steps_cap is not None
                else self._updates_per_pass
            )
            epoch = steps // per_epoch
            first = epoch * per_epoch
        # samples after each update, from the same O(1) formula as samples_through
        through = self._samples_through_array(np.arange(total + 1, dtype=np.int64))
        return {
            "epoch": epoch,
            "step": steps,
            "step_in_epoch": steps - first,
            "batch_size": np.diff(through),
            "samples_seen": through[1:],
        }

    def _samples_through_array(self, steps: NDArray[np.int64]) -> NDArray[np.int64]:
        # vectorized samples_through (int64 is ample for anything that fits in memory)
        nb = self.batches_per_pass
        if nb is None:
            return steps * (self._accumulate * self._world_size * self._draw_size)
        spp = self.samples_per_pass
        assert spp is not None
        k = self._accumulate
        if self._steps_cap is not None or k == 1:
            micro = steps
        elif self._across:
            micro = steps * k
        else:
            full, rest = np.divmod(steps, self._updates_per_pass)
            micro = full * nb + np.minimum(rest * k, nb)
        full, rest = np.divmod(micro, nb)
        through: NDArray[np.int64] = full * spp + rest * (self._batch_size * self._world_size)
        return through

    # ------------------------------------------------------------------ batches
    def batches(self, seed: int | None = None, *, start: int = 0) -> Iterator[Batch]:
        """Yield one :class:`Batch` per update, lazily, in training order.

        Parameters
        ----------
        seed : int or None
            Root seed; the order of pass ``p`` (or draw block ``k``) is a pure
            function of ``(seed, p)``. ``None`` draws fresh entropy once.
        start : int, default 0
            First global step to yield (resuming a run): the batches from
            ``start`` on are the same as in a run from step 0.

        Examples
        --------
        >>> s = Schedule(10, 4, 2, sampling="sequential")
        >>> [b.indices.tolist() for b in s.batches()]
        [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9], [0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
        >>> len(list(Schedule(100, 3, 2).batches(seed=0))) == Schedule(100, 3, 2).total_steps
        True

        With accumulation and replicas an update has several parts, one per
        micro-batch and replica (``DistributedSampler`` strides the rows):

        >>> b = next(Schedule(8, 2, 1, accumulate=2, world_size=2, sampling="sequential").batches())
        >>> [p.tolist() for p in b.parts]
        [[0, 2], [1, 3], [4, 6], [5, 7]]
        """
        root = resolve_seed(check_seed(seed, "Schedule.batches"))
        first = check_int(
            start, "start", "Schedule.batches", min_value=0, max_value=self.total_steps
        )
        if self._accumulate > 1 or self._world_size > 1:
            return self._part_batches(root, first)
        if self._epoch == "draw":
            return self._draw_batches(root, first)
        return self._pass_batches(root, first)

    def _pass_batches(self, root: int, start: int) -> Iterator[Batch]:
        n, b, s = self._n_samples, self._batch_size, self.steps_per_epoch
        nb = self.batches_per_pass
        assert nb is not None
        total = self.total_steps
        p, j0 = divmod(start, nb)
        step, seen = start, self.samples_through(start)
        streams = Streams(root)
        while step < total:
            order = pass_order(n, p, streams, self._sampling, b)
            for j in range(j0, min(nb, j0 + total - step)):
                idx = order[j * b : (j + 1) * b]
                seen += len(idx)
                yield Batch(step // s, step, step % s, idx, seen)
                step += 1
            p, j0 = p + 1, 0

    def _draw_batches(self, root: int, start: int) -> Iterator[Batch]:
        n, b, s = self._n_samples, self._batch_size, self.steps_per_epoch
        size = self._draw_size
        streams = Streams(root)
        for step in range(start, self.total_steps):
            rows = draw_rows(n, b, step, streams, self._sampling)
            yield Batch(step // s, step, step % s, rows, (step + 1) * size)

    def _shards(self, pass_index: int, streams: Streams) -> list[IntArray]:
        """Each replica's rows for one pass, as DistributedSampler deals them."""
        order = pass_order(self._n_samples, pass_index, streams, self._sampling, self._batch_size)
        r = self._world_size
        size = r * self._per_replica
        # pad by repeating from the start (or cut, with drop_last), then stride
        dealt = np.resize(order, size) if size > len(order) else order[:size]
        return [dealt[i::r] for i in range(r)]

    def _micro_range(self, step: int) -> tuple[int, int]:
        """Global micro-step indices [first, last) of update ``step``."""
        k = self._accumulate
        nb = self.batches_per_pass
        if nb is None or self._across:
            return step * k, (step + 1) * k
        epoch, j = divmod(step, self._updates_per_pass)
        return epoch * nb + j * k, epoch * nb + min((j + 1) * k, nb)

    def _parts(self, step: int, streams: Streams, cache: dict[int, Any]) -> list[IntArray]:
        b, r = self._batch_size, self._world_size
        first, last = self._micro_range(step)
        nb = self.batches_per_pass
        if nb is None:  # draw: k * r independent draws per update
            return [
                draw_rows(self._n_samples, b, q, streams, self._sampling)
                for q in range(first * r, last * r)
            ]
        parts: list[IntArray] = []
        for micro in range(first, last):
            pass_index, m = divmod(micro, nb)
            if pass_index not in cache:  # the shards of the current pass only
                cache.clear()
                cache[pass_index] = self._shards(pass_index, streams)
            parts.extend(shard[m * b : (m + 1) * b] for shard in cache[pass_index])
        return parts

    def _position(self, step: int) -> tuple[int, int]:
        epoch = self._epoch_of(step)
        return epoch, step - self._updates_before_epoch(epoch)

    def _part_batch(self, step: int, streams: Streams, cache: dict[int, Any]) -> Batch:
        parts = self._parts(step, streams, cache)
        indices = np.concatenate(parts)
        indices.setflags(write=False)
        epoch, in_epoch = self._position(step)
        return Batch(epoch, step, in_epoch, indices, self.samples_through(step + 1), tuple(parts))

    def _part_batches(self, root: int, start: int) -> Iterator[Batch]:
        streams = Streams(root)
        cache: dict[int, Any] = {}
        for step in range(start, self.total_steps):
            yield self._part_batch(step, streams, cache)

    def batch(self, step: int, seed: int | None = None) -> Batch:
        """The batch of global step ``step`` (0-based), computed directly.

        Equals the ``step``-th item of :meth:`batches` with the same seed,
        without replaying the steps before it.

        Examples
        --------
        >>> s = Schedule(100, 5, 30)
        >>> b = s.batch(437, seed=1)
        >>> b.epoch, b.step_in_epoch, b.samples_seen
        (21, 17, 2190)
        >>> bool((b.indices == list(s.batches(seed=1))[437].indices).all())
        True
        """
        k = check_int(step, "step", "Schedule.batch", min_value=0, max_value=self.total_steps - 1)
        root = resolve_seed(check_seed(seed, "Schedule.batch"))
        if self._accumulate > 1 or self._world_size > 1:
            return self._part_batch(k, Streams(root), {})
        epoch, in_epoch = self._position(k)
        nb = self.batches_per_pass
        if nb is None:
            idx = draw_rows(self._n_samples, self._batch_size, k, root, self._sampling)
        else:
            p, j = divmod(k, nb)
            b = self._batch_size
            idx = pass_order(self._n_samples, p, root, self._sampling, b)[j * b : (j + 1) * b]
        return Batch(epoch, k, in_epoch, idx, self.samples_through(k + 1))

    # ---------------------------------------------------------------- exposures
    def exposures(self, seed: int | None = None) -> NDArray[np.int64]:
        """How many per-sample gradients each sample took part in over the run.

        Exactly ``epochs`` each under ``"pass"`` with shuffling; a random
        count under ``"draw"`` or with replacement (see
        :meth:`exposure_summary` for its law without simulating).

        Parameters
        ----------
        seed : int or None
            The seed :meth:`batches` would use.

        Returns
        -------
        numpy.ndarray
            int64 array of length ``n_samples`` summing to :attr:`samples_seen`.

        Examples
        --------
        >>> Schedule(100, 10, 500).exposures().min()
        np.int64(500)
        >>> e = Schedule(100, 1, 500, epoch="draw").exposures(seed=0)
        >>> int(e.sum()), float(e.mean())
        (500, 5.0)
        """
        root = resolve_seed(check_seed(seed, "Schedule.exposures"))
        n = self._n_samples
        counts = np.zeros(n, dtype=np.int64)
        total = self.total_steps
        nb = self.batches_per_pass
        if self._accumulate > 1 or self._world_size > 1:
            for batch in self.batches(root):
                counts += np.bincount(batch.indices, minlength=n)
            return counts
        streams = Streams(root)
        if nb is None:
            if self._sampling == "sequential":
                full, rest = divmod(total * self._draw_size, n)
                counts += full
                counts[:rest] += 1
                return counts
            for step in range(total):
                counts += np.bincount(
                    draw_rows(n, self._batch_size, step, streams, self._sampling), minlength=n
                )
            return counts
        spp = self.samples_per_pass
        assert spp is not None
        full_passes, rest_steps = divmod(self._micro_through(total), nb)
        partial = rest_steps * self._batch_size
        b = self._batch_size
        if self._sampling == "sequential":
            counts[:spp] += full_passes  # every pass is arange(N)
            counts[:partial] += 1
            return counts
        if self._sampling == "shuffle" and spp == n:
            counts += full_passes  # every full pass uses every sample once
        else:
            for p in range(full_passes):
                counts += np.bincount(
                    pass_order(n, p, streams, self._sampling, b)[:spp], minlength=n
                )
        if partial:
            order = pass_order(n, full_passes, streams, self._sampling, b)
            counts += np.bincount(order[:partial], minlength=n)
        return counts

    def exposure_summary(self) -> ExposureSummary:
        """The law of each sample's use count, in closed form (no simulation).

        Examples
        --------
        >>> Schedule(100, 10, 500).exposure_summary().distribution
        'exactly 500'
        >>> x = Schedule(100, 1, 500, epoch="draw").exposure_summary()
        >>> x.mean, x.distribution, round(x.p_never, 5)
        (5.0, 'Binomial(n=500, p=0.01)', 0.00657)
        """
        n = self._n_samples
        total = self.total_steps
        nb = self.batches_per_pass
        if nb is None:
            size = self._draw_size
            draws = total * self._accumulate * self._world_size
            if self._sampling == "sequential":
                return self._deterministic(draws * size, 0, 0)
            if self._sampling == "replacement":
                trials, p = draws * self._batch_size, 1.0 / n
            else:
                trials, p = draws, size / n
            return self._binomial(trials, p, 0.0)
        if self._sampling == "replacement":
            return self._binomial(self.samples_seen, 1.0 / n, 0.0)
        full_passes, rest_steps = divmod(self._micro_through(total), nb)
        if self._world_size > 1:
            return self._sharded(full_passes, rest_steps)
        spp = self.samples_per_pass
        assert spp is not None
        partial = rest_steps * self._batch_size
        if self._sampling == "sequential":
            return self._deterministic(full_passes * spp, spp, partial)
        if self._sampling == "replacement":
            return self._binomial(self.samples_seen, 1.0 / n, 0.0)
        # shuffle: each full pass uses a sample with probability spp/N, the
        # partial pass with probability partial/N (partial < N always).
        return self._binomial(full_passes, spp / n, partial / n)

    def _slot_counts(self, rows_per_replica: int) -> NDArray[np.int64]:
        """Uses of each position of a pass's order when each replica uses its first rows."""
        n, r = self._n_samples, self._world_size
        slot = np.arange(r * self._per_replica, dtype=np.int64)
        used = slot // r < rows_per_replica  # replica slot % r, its position slot // r
        return np.bincount(slot[used] % n, minlength=n)

    def _sharded(self, full_passes: int, rest_steps: int) -> ExposureSummary:
        """Replicas: padding repeats rows, so a pass uses some positions twice.

        A sample's count in a full pass is the count of the position it lands
        on: for a shuffled pass a uniformly random entry of ``_slot_counts``;
        for a fixed order, its own. Passes are independent.
        """
        n, b = self._n_samples, self._batch_size
        nb = self.batches_per_pass
        assert nb is not None
        full = self._slot_counts(nb * b if self._drop_last else self._per_replica)
        part = self._slot_counts(rest_steps * b)
        if self._sampling == "sequential":
            counts = full_passes * full + part
            mean = float(counts.mean())
            never = int(np.count_nonzero(counts == 0))
            lo, hi = int(counts.min()), int(counts.max())
            law = (
                text("exactly", n=format_value(lo))
                if lo == hi
                else text("between", lo=format_value(lo), hi=format_value(hi))
            )
            return ExposureSummary(
                mean, float(counts.std()), lo, hi, never / n, float(never), False, law
            )
        mean = full_passes * float(full.mean()) + float(part.mean())
        var = full_passes * float(full.var()) + float(part.var())
        p_never = float(np.mean(full == 0)) ** full_passes * float(np.mean(part == 0))
        lo = full_passes * int(full.min()) + int(part.min())
        hi = full_passes * int(full.max()) + int(part.max())
        law = (
            text("exactly", n=format_value(lo))
            if lo == hi
            else f"sum of {full_passes} passes of {np.bincount(full).tolist()} (uses: samples)"
        )
        return ExposureSummary(mean, math.sqrt(var), lo, hi, p_never, n * p_never, lo != hi, law)

    def _binomial(self, trials: int, p: float, extra: float) -> ExposureSummary:
        """Binomial(trials, p) plus an independent Bernoulli(extra)."""
        n = self._n_samples
        var = trials * p * (1 - p) + extra * (1 - extra)
        deterministic = var == 0.0
        lo = trials if p >= 1.0 else 0
        hi = trials + (1 if extra > 0 else 0)
        if deterministic:
            law = text("exactly", n=format_value(lo))
        else:
            law = f"Binomial(n={trials}, p={p:.4g})"
            if p >= 1.0:
                law = f"{trials} + Bernoulli(p={extra:.4g})"
            elif extra > 0:
                law += f" + Bernoulli(p={extra:.4g})"
        p_never = _binomial_p_never(trials, p) * (1.0 - extra)
        return ExposureSummary(
            mean=float(self.samples_seen / n),
            std=math.sqrt(var),
            min=lo,
            max=hi if not deterministic else lo,
            p_never=p_never,
            expected_never_used=n * p_never,
            random=not deterministic,
            distribution=law,
        )

    def _deterministic(self, draws: int, limit: int, partial: int) -> ExposureSummary:
        """Fixed-order counts.

        Under ``"draw"`` (``limit == 0``): ``draws`` taken cyclically. Under
        ``"pass"``: rows below ``limit`` get ``draws // limit`` uses, plus one
        for the first ``partial`` rows.
        """
        n = self._n_samples
        if limit == 0:
            base, rest = divmod(draws, n)
            groups = [(base + 1, rest), (base, n - rest)]
        else:
            base = draws // limit
            groups = [(base + 1, partial), (base, limit - partial), (0, n - limit)]
        groups = [(v, c) for v, c in groups if c > 0]
        mean = sum(v * c for v, c in groups) / n
        var = sum(c * (v - mean) ** 2 for v, c in groups) / n
        never = sum(c for v, c in groups if v == 0)
        lo, hi = min(v for v, _ in groups), max(v for v, _ in groups)
        law = (
            text("exactly", n=format_value(lo))
            if lo == hi
            else text("between", lo=format_value(lo), hi=format_value(hi))
        )
        return ExposureSummary(
            mean=mean,
            std=math.sqrt(var),
            min=lo,
            max=hi,
            p_never=never / n,
            expected_never_used=float(never),
            random=False,
            distribution=law,
        )

    # --------------------------------------------------------------- frameworks
    def counters(self, framework: str) -> dict[str, Any]:
        """What ``framework`` will report after running this schedule.

        See :func:`minigd.frameworks.counters`.

        Examples
        --------
        >>> Schedule(100, 5, 30).counters("keras")["model.optimizer.iterations"]
        600
        """
        from .frameworks import counters

        return counters(self, framework)

    def to(self, framework: str) -> dict[str, Any]:
        """The arguments that produce this schedule in ``framework``.

        See :func:`minigd.frameworks.to_framework`.

        Examples
        --------
        >>> Schedule(100, 5, 30).to("keras")["arguments"]
        {'batch_size': 5, 'epochs': 30, 'shuffle': True}
        """
        from .frameworks import to_framework

        return to_framework(self, framework)

    @classmethod
    def from_framework(cls, framework: str, n_samples: int, **arguments: Any) -> Schedule:
        """The schedule ``framework`` runs with these arguments (its names and defaults).

        See :func:`minigd.frameworks.from_framework`.

        Examples
        --------
        >>> Schedule.from_framework("huggingface", n_samples=100, per_device_train_batch_size=5,
        ...                         max_steps=50, num_train_epochs=1).total_steps
        50
        """
        from .frameworks import from_framework

        return from_framework(framework, n_samples, **arguments)

    # ------------------------------------------------------------------ display
    def to_dict(self) -> dict[str, Any]:
        """Every argument and count as plain Python values (JSON-ready).

        Examples
        --------
        >>> d = Schedule(100, 5, 30).to_dict()
        >>> d["steps_per_epoch"], d["total_steps"], d["samples_seen"]
        (20, 600, 3000)
        """
        x = self.exposure_summary()
        varies = self._epoch_size_varies()
        return {
            **self.arguments(),
            "batches_per_pass": self.batches_per_pass,
            "last_batch_size": self.last_batch_size,
            "effective_batch_size": self.effective_batch_size,
            "micro_batches_per_epoch": self.micro_batches_per_epoch,
            "micro_batches": self.micro_batches,
            "micro_batches_all_replicas": self.micro_batches * self._world_size,
            "micro_batches_unapplied": self.micro_batches_unapplied,
            "steps_per_epoch": None if self._varying_updates() else self.steps_per_epoch,
            "updates_per_epoch": np.diff(self.epoch_starts()).tolist()
            if self._varying_updates()
            else None,
            "total_steps": self.total_steps,
            "epochs_run": self.epochs_run,
            "samples_per_epoch": None if varies else self.samples_per_epoch,
            "samples_seen": self.samples_seen,
            "iterations": self.iterations,
            "data_passes": self.data_passes,
            "exposures": {
                "mean": x.mean,
                "std": x.std,
                "min": x.min,
                "max": x.max,
                "p_never": x.p_never,
                "expected_never_used": x.expected_never_used,
                "random": x.random,
                "distribution": x.distribution,
            },
        }

    def describe(self, lang: str = "en") -> Table:
        """A table of every count, with what each one counts.

        Parameters
        ----------
        lang : {"en", "ko"}
            Language of the labels.

        Examples
        --------
        >>> print(Schedule(100, 5, 30).describe())  # doctest: +ELLIPSIS
        count                  value    what it counts
        ...
        steps per epoch             20  updates in one epoch
        total steps (updates)      600  optimizer updates in the run
        ...
        >>> print(Schedule(100, 5, 30).describe(lang="ko"))  # doctest: +ELLIPSIS
        항목 ...
        에포크당 스텝 20 한 에포크의 업데이트 수
        ...
        """
        lang = check_lang(lang, "Schedule.describe")
        x = self.exposure_summary()

        def t(key: str) -> str:
            return text(key, lang)

        if self._epoch_size_varies():
            mean = self.samples_seen / self._epochs
            per_epoch: Any = text("varies", lang, mean=format_value(mean))
        else:
            per_epoch = self.samples_per_epoch
        steps_per_epoch: Any = (
            text("varies", lang, mean=format_value(self.total_steps / self._epochs))
            if self._varying_updates()
            else self.steps_per_epoch
        )
        if not x.random:
            uses = (
                text("exactly", lang, n=format_value(x.min))
                if x.min == x.max
                else text("between", lang, lo=format_value(x.min), hi=format_value(x.max))
            )
        else:
            law = law_text(x.distribution, lang)
            uses = text("on_average", lang, mean=format_value(x.mean)) + f", {law}"
        sampling_key = self._sampling if self._epoch == "pass" else f"draw_{self._sampling}"
        it_note = t("m_iterations_step") if self._iteration == "step" else t("m_iterations_epoch")

        def code(value: str) -> str:  # Korean output shows names, never the codes
            return value if lang == "en" else name(value, lang)

        rows: list[list[Any]] = [
            [t("n_samples"), self._n_samples, t("m_n_samples")],
            [t("batch_size"), self._batch_size, t("m_batch_size")],
            [t("epochs"), self._epochs, t("m_epochs")],
            [t("epoch_convention"), code(self._epoch), t(self._epoch)],
            [t("sampling"), code(self._sampling), t(sampling_key)],
            [t("steps_per_epoch"), steps_per_epoch, t("m_steps_per_epoch")],
            [t("total_steps"), self.total_steps, t("m_total_steps")],
            [t("samples_per_epoch"), per_epoch, t("m_samples_per_epoch")],
            [t("samples_seen"), self.samples_seen, t("m_samples_seen")],
            [t("iterations"), self.iterations, it_note],
            [t("data_passes"), self.data_passes, t("m_data_passes")],
            [t("exposures"), x.mean, uses],
        ]
        if self._accumulate > 1 or self._world_size > 1:
            rows[2:2] = [
                [t("accumulate"), self._accumulate, t("m_accumulate")],
                [t("world_size"), self._world_size, t("m_world_size")],
                [t("effective_batch_size"), self.effective_batch_size, t("m_effective")],
                [t("micro_per_epoch"), self.micro_batches_per_epoch, t("m_micro_per_epoch")],
                [t("micro_total"), self.micro_batches * self._world_size, t("m_micro_total")],
            ]
        if self._max_steps is not None:
            rows.append([t("max_steps"), self._max_steps, t("m_max_steps")])
        if self._epoch == "pass":
            last = self.last_batch_size
            rows.append([t("last_batch"), last, t("m_last_batch")])
        if x.p_never > 0:
            rows.append(
                [
                    t("never_used"),
                    x.expected_never_used,
                    text("m_never_used", lang, p=f"{x.p_never:.3g}"),
                ]
            )
        return Table([t("count"), t("value"), t("meaning")], rows)

    def _repr_html_(self) -> str:
        return self.describe()._repr_html_()

    def __repr__(self) -> str:
        args = self.arguments()
        defaults = {
            "epoch": "pass",
            "iteration": "step",
            "drop_last": False,
            "sampling": "shuffle",
            "steps_per_epoch": None,
            "accumulate": 1,
            "world_size": 1,
            "accumulate_across_epochs": False,
            "max_steps": None,
        }
        shown = [
            f"n_samples={self._n_samples}",
            f"batch_size={self._batch_size}",
            f"epochs={self._epochs}",
        ]
        shown += [f"{k}={args[k]!r}" for k, v in defaults.items() if args[k] != v]
        per_epoch = "varying" if self._varying_updates() else f"{self.steps_per_epoch:,}"
        return (
            f"Schedule({', '.join(shown)}): {per_epoch} steps per epoch, "
            f"{self.total_steps:,} steps, {self.samples_seen:,} samples seen"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Schedule):
            return NotImplemented
        return self.arguments() == other.arguments()

    def __hash__(self) -> int:
        return hash(tuple(self.arguments().values()))


def compare(
    schedules: Sequence[Schedule],
    labels: Sequence[str] | None = None,
    lang: str = "en",
) -> Table:
    """Several schedules side by side, one row each.

    Parameters
    ----------
    schedules : sequence of Schedule
        The schedules to compare.
    labels : sequence of str, optional
        Row labels; default ``"#1"``, ``"#2"``, ...
    lang : {"en", "ko"}
        Language of the headings.

    Examples
    --------
    The Q&A's three methods, 100 samples, 500 epochs, framework epochs:

    >>> qa = [Schedule.gd(100, 500), Schedule.sgd(100, 500), Schedule.minibatch(100, 10, 500)]
    >>> print(compare(qa, labels=["GD", "SGD", "mini-batch"]))  # doctest: +NORMALIZE_WHITESPACE
    schedule    epoch definition  batch size (B)  steps per epoch  total steps (updates)
    samples seen  uses of each sample  iterations
    ----------  ----------------  --------------  ---------------  ---------------------
    ------------  -------------------  ----------
    GD          pass                         100                1                    500
    50,000                  500         500
    SGD         pass                           1              100                 50,000
    50,000                  500      50,000
    mini-batch  pass                          10               10                  5,000
    50,000                  500       5,000
    """
    lang = check_lang(lang, "compare")
    schedules = list(schedules)
    for i, s in enumerate(schedules):
        if not isinstance(s, Schedule):
            raise TypeError(
                f"The 'schedules' parameter of compare must be a sequence of Schedule. "
                f"Item {i} is of type {type(s).__name__}."
            )
    if labels is None:
        labels = [f"#{i + 1}" for i in range(len(schedules))]
    labels = list(labels)
    if len(labels) != len(schedules):
        raise ValueError(
            f"The 'labels' parameter of compare must have one label per schedule "
            f"({len(schedules)}). Got {len(labels)} instead."
        )
    cols = [
        text(k, lang)
        for k in (
            "label",
            "epoch_convention",
            "batch_size",
            "steps_per_epoch",
            "total_steps",
            "samples_seen",
            "exposures",
            "iterations",
        )
    ]
    rows = [
        [
            lab,
            s.epoch if lang == "en" else name(s.epoch, lang),
            s.batch_size,
            s.steps_per_epoch,
            s.total_steps,
            s.samples_seen,
            s.data_passes,
            s.iterations,
        ]
        for lab, s in zip(labels, schedules, strict=True)
    ]
    return Table(cols, rows)


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
