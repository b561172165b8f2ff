"""Schedule: every count of a training run, under every convention.

A :class:`Schedule` is the training plan: ``N`` samples, batches of ``B``,
``E`` epochs, and the conventions that turn those three numbers into counts.
It is a small immutable value: its arguments, their checks, presets,
:meth:`~Schedule.replace` and a ``repr``. The rest lives in a module per
concept, each handed the Schedule as an argument:

- :mod:`minigd.counting`: the counts, pure integer arithmetic (O(1), exact
  for any size), in four named regimes;
- :mod:`minigd.batching`: which rows go into which update;
- :mod:`minigd.exposures`: how often each sample is used;
- :mod:`minigd.display`: the tables in English and Korean;
- :mod:`minigd.frameworks`: what each framework counts, and its arguments.

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

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from . import batching, display, exposures, frameworks
from ._text import check_lang, counted
from ._validation import (
    BOOL,
    NONE,
    Interval,
    Options,
    Rule,
    check_int,
    check_memory,
    check_seed,
    describe_value,
    message,
    ratio,
    validate_params,
    warn_renamed,
)
from .batching import Batch as Batch  # where 0.1 had it
from .batching import resolve_seed
from .counting import Counting, counting_for
from .counting import batch_sizes_for as batch_sizes_for  # where 0.1 had it
from .exposures import ExposureSummary as ExposureSummary  # where 0.1 had it

__all__ = [
    "EPOCH_CONVENTIONS",
    "ITERATION_CONVENTIONS",
    "SAMPLING_METHODS",
    "SHARDING_METHODS",
    "Schedule",
    "compare",
]

EPOCH_CONVENTIONS = ("pass", "draw")
ITERATION_CONVENTIONS = ("step", "epoch")
SAMPLING_METHODS = ("shuffle", "sequential", "replacement")
SHARDING_METHODS = ("pad", "drop", "batches")

# The options' defaults, in signature order: a repr shows only what differs.
_DEFAULTS: dict[str, Any] = {
    "epoch": "pass",
    "iteration": "step",
    "drop_last": False,
    "sampling": "shuffle",
    "steps_per_epoch": None,
    "accumulate": 1,
    "world_size": 1,
    "sharding": "pad",
    "accumulate_across_epochs": False,
    "max_steps": None,
}


def _rows_available(a: Mapping[str, Any]) -> int:
    # the rows each replica's loader gets with the sampler's own drop_last, or
    # whole rounds of batches (DistributedSampler(drop_last=True), accelerate)
    n, r = int(a["n_samples"]), int(a["world_size"])
    return -(-n // r) if a["sharding"] == "pad" else n // r


def _carried(a: Mapping[str, Any]) -> bool:
    # the only regime whose run can hold no update at all
    return counting_for(**a).regime == "carried"


# The rules between Schedule's arguments, checked in order after each argument passed.
_RULES = [
    Rule(
        "steps_per_epoch",
        "==",
        lambda a: None,
        "be None when accumulate > 1 or world_size > 1 (a capped stream of accumulated or "
        "sharded batches is not supported)",
        when=lambda a: (
            a["steps_per_epoch"] is not None and (a["accumulate"] > 1 or a["world_size"] > 1)
        ),
    ),
    Rule(
        "drop_last",
        "==",
        lambda a: False,
        "be False when epoch='draw': a draw epoch takes whole batches, so there is no last "
        "batch to drop",
        when=lambda a: a["epoch"] == "draw",
    ),
    # DistributedSampler(drop_last=True): floor(N / r) rows per replica
    Rule(
        "world_size",
        "<=",
        lambda a: a["n_samples"],
        "be <= n_samples={limit} when sharding='drop': a replica would get no sample",
        when=lambda a: a["sharding"] == "drop",
    ),
    Rule(
        "batch_size",
        "<=",
        lambda a: a["n_samples"],
        "be <= n_samples={limit} when drop_last=True: every batch would be dropped and no "
        "update would happen",
        when=lambda a: a["drop_last"] and a["world_size"] == 1,
    ),
    Rule(
        "batch_size",
        "<=",
        _rows_available,
        "be <= samples per replica={limit} when drop_last=True and sharding={sharding!r}: "
        "every batch would be dropped and no update would happen",
        when=lambda a: a["drop_last"] and a["world_size"] > 1,
    ),
    Rule(
        "accumulate",
        "<=",
        lambda a: counting_for(**a).micro_batches_per_epoch * a["epochs"],
        "be <= the {limit} micro-batches of the whole run when groups carry across epochs: "
        "no update would happen",
        when=_carried,
    ),
]


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
        each epoch is dealt to the replicas as ``sharding`` says, each
        replica's loader then batches its rows (dropping its own ragged last
        batch with ``drop_last``), and an update averages the replicas'
        gradients (an all-reduce).
    sharding : {"pad", "drop", "batches"}, default "pad"
        How the sampler evens the replicas' shards, a decision separate from
        the loader's ``drop_last``. ``"pad"``: ``DistributedSampler``
        strides the rows and pads by repeating the first ones, ``ceil(N/r)``
        per replica (Lightning, and a torch loop that gives the sampler no
        ``drop_last``). ``"drop"``: ``DistributedSampler(drop_last=True)``
        cuts the tail, ``floor(N/r)`` per replica. ``"batches"``: accelerate
        (the Hugging Face ``Trainer``) deals whole batches of ``B`` in turn,
        completing the last round with the first rows, or dropping it with
        ``drop_last``. It changes nothing with one replica.
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

    __slots__ = ("_args", "_counting")

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "n_samples": [Interval(int, 1, None)],
        "batch_size": [Interval(int, 1, None)],
        "epochs": [Interval(int, 1, None)],
        "epoch": [Options(EPOCH_CONVENTIONS)],
        "iteration": [Options(ITERATION_CONVENTIONS)],
        "drop_last": [BOOL],
        "sampling": [Options(SAMPLING_METHODS)],
        "steps_per_epoch": [Interval(int, 1, None), NONE],
        "accumulate": [Interval(int, 1, None)],
        "world_size": [Interval(int, 1, None)],
        "sharding": [Options(SHARDING_METHODS)],
        "accumulate_across_epochs": [BOOL],
        "max_steps": [Interval(int, 1, None), NONE],
    }
    _parameter_rules: ClassVar[list[Rule]] = _RULES

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
        sharding: str = "pad",
        accumulate_across_epochs: bool = False,
        max_steps: int | None = None,
    ) -> None:
        arguments = {
            "n_samples": n_samples,
            "batch_size": batch_size,
            "epochs": epochs,
            "epoch": epoch,
            "iteration": iteration,
            "drop_last": drop_last,
            "sampling": sampling,
            "steps_per_epoch": steps_per_epoch,
            "accumulate": accumulate,
            "world_size": world_size,
            "sharding": sharding,
            "accumulate_across_epochs": accumulate_across_epochs,
            "max_steps": max_steps,
        }
        constraints, rules = self._parameter_constraints, self._parameter_rules
        self._args = validate_params("Schedule", constraints, arguments, rules)
        self._counting = counting_for(**self._args)

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
        return Schedule(**{**self._args, **changes})

    def arguments(self) -> dict[str, Any]:
        """The arguments that rebuild this schedule: ``Schedule(**s.arguments()) == s``.

        Examples
        --------
        >>> Schedule(100, 5, 30).arguments()["batch_size"]
        5
        """
        return dict(self._args)

    # ---------------------------------------------------------------- arguments
    @property
    def n_samples(self) -> int:
        """Training samples ``N``."""
        return int(self._args["n_samples"])

    @property
    def batch_size(self) -> int:
        """Samples per gradient ``B``, as given."""
        return int(self._args["batch_size"])

    @property
    def epochs(self) -> int:
        """Epochs ``E``."""
        return int(self._args["epochs"])

    @property
    def epoch(self) -> str:
        """The epoch definition: ``"pass"`` or ``"draw"``."""
        return str(self._args["epoch"])

    @property
    def iteration(self) -> str:
        """What :attr:`iterations` counts: ``"step"`` or ``"epoch"``."""
        return str(self._args["iteration"])

    @property
    def drop_last(self) -> bool:
        """Whether the last, smaller batch of each pass is dropped."""
        return bool(self._args["drop_last"])

    @property
    def sampling(self) -> str:
        """``"shuffle"``, ``"sequential"`` or ``"replacement"``."""
        return str(self._args["sampling"])

    @property
    def steps_cap(self) -> int | None:
        """Deprecated: the ``steps_per_epoch`` argument, ``arguments()["steps_per_epoch"]``.

        When it was given, :attr:`steps_per_epoch` reads it back.
        """
        warn_renamed("Schedule.steps_cap", "Schedule.steps_per_epoch")
        cap: int | None = self._args["steps_per_epoch"]
        return cap

    @property
    def accumulate(self) -> int:
        """Micro-batches per update."""
        return int(self._args["accumulate"])

    @property
    def world_size(self) -> int:
        """Data-parallel replicas."""
        return int(self._args["world_size"])

    @property
    def sharding(self) -> str:
        """How the sampler evens the shards: ``"pad"``, ``"drop"`` or ``"batches"``."""
        return str(self._args["sharding"])

    @property
    def accumulate_across_epochs(self) -> bool:
        """Whether accumulation groups carry over epoch boundaries."""
        return bool(self._args["accumulate_across_epochs"])

    @property
    def max_steps(self) -> int | None:
        """The ``max_steps`` argument (``None``: no cap on updates)."""
        steps: int | None = self._args["max_steps"]
        return steps

    # ------------------------------------------------ counts (minigd.counting)
    @property
    def counting(self) -> Counting:
        """The counting regime of this schedule, which holds every count's formula.

        One of :class:`~minigd.counting.PassEpochs`,
        :class:`~minigd.counting.DrawEpochs`,
        :class:`~minigd.counting.CappedStream` and
        :class:`~minigd.counting.CarriedGroups` (see :mod:`minigd.counting`).

        Examples
        --------
        >>> Schedule(100, 5, 30).counting
        PassEpochs(batches_per_pass=20, accumulate=1, per_epoch=20)
        >>> Schedule(100, 5, 30, epoch="draw").counting.regime
        'draw'
        """
        return self._counting

    @property
    def effective_batch_size(self) -> int:
        """Samples behind one full update: ``batch_size * accumulate * world_size``.

        Examples
        --------
        >>> Schedule(50_000, 8, 3, accumulate=4, world_size=2).effective_batch_size
        64
        """
        return self.batch_size * self.accumulate * self.world_size

    @property
    def batches_per_pass(self) -> int | None:
        """Batches (per replica) in one pass over the data: ``ceil(N/B)``, or ``floor`` with drop_last.

        With ``world_size=r`` each replica's loader batches the rows its
        shard holds (``ceil(N/r)`` under ``sharding="pad"``, see
        :func:`~minigd.counting.rows_per_replica`). ``None`` under
        ``epoch="draw"``, which has no passes.

        Examples
        --------
        >>> Schedule(100, 3, 2).batches_per_pass
        34
        >>> Schedule(100, 3, 2, drop_last=True).batches_per_pass
        33
        >>> Schedule(100, 3, 2, world_size=2).batches_per_pass
        17

        Lightning's 11 rows on 2 devices, batches of 3, ``drop_last=True``: the
        sampler pads each shard to 6 rows, and each loader keeps 2 full batches.

        >>> Schedule(11, 3, 2, world_size=2, drop_last=True).batches_per_pass
        2
        >>> Schedule(11, 3, 2, world_size=2, drop_last=True, sharding="drop").batches_per_pass
        1
        """  # noqa: E501
        return self._counting.batches_per_pass

    @property
    def micro_batches_per_epoch(self) -> int:
        """Micro-batches per replica per epoch (``len(DataLoader)`` on one replica).

        Examples
        --------
        >>> Schedule(100, 3, 2, accumulate=4).micro_batches_per_epoch
        34
        """
        return self._counting.micro_batches_per_epoch

    @property
    def micro_batches(self) -> int:
        """Micro-batches each replica computes in the run (those applied in updates).

        Examples
        --------
        >>> Schedule(100, 3, 2, accumulate=4).micro_batches
        68
        """
        return self._counting.micro_batches

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
        return self._counting.micro_batches_unapplied

    @property
    def samples_per_pass(self) -> int | None:
        """Samples used in one pass (all replicas): ``N``, or ``floor(N/B) * B`` with drop_last.

        With replicas, padding repeats rows: ``r * ceil(N/r)`` under
        ``sharding="pad"``; ``sharding="batches"`` uses only whole batches.

        Examples
        --------
        >>> Schedule(100, 3, 2, drop_last=True).samples_per_pass
        99
        >>> Schedule(100, 5, 1, world_size=3).samples_per_pass
        102
        >>> Schedule(100, 3, 1, world_size=2, sharding="batches").samples_per_pass
        102
        """
        return self._counting.samples_per_pass

    @property
    def last_batch_size(self) -> int:
        """Rows in the last batch of a pass, per replica (every batch, under ``epoch="draw"``).

        Examples
        --------
        >>> Schedule(100, 3, 2).last_batch_size, Schedule(100, 3, 2, drop_last=True).last_batch_size
        (1, 3)
        """
        return self._counting.last_batch_size

    def epoch_starts(self) -> NDArray[np.int64]:
        """Global step at which each epoch starts, and ``total_steps`` last (length E+1).

        Returns
        -------
        numpy.ndarray
            int64, like every array of steps minigd returns (numpy code indexes
            and compares with it); computed exactly even where a product
            inside the formula would pass ``2**63 - 1``.

        Raises
        ------
        ValueError
            When the array would pass 1 GiB (about 44 million epochs), or a
            step passes int64's ``2**63 - 1``; rather than an object array
            nobody expects, the error points to :meth:`steps_in_epoch`, exact
            for any size.

        Examples
        --------
        >>> Schedule(100, 3, 3, accumulate=4, accumulate_across_epochs=True).epoch_starts().tolist()
        [0, 8, 17, 25]
        """
        return self._counting.epoch_starts()

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
            :meth:`steps_in_epoch`).

        Examples
        --------
        >>> Schedule(100, 5, 30).steps_per_epoch, Schedule(100, 5, 30, epoch="draw").steps_per_epoch
        (20, 1)
        >>> Schedule(100, 3, 2, accumulate=4).steps_per_epoch
        9
        """
        return self._counting.steps_per_epoch

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
        return self._counting.total_steps

    @property
    def epochs_run(self) -> int:
        """Epochs the run goes through: ``epochs``, or fewer when ``max_steps`` stops it.

        Every epoch counts, also one in which no update completes (a group
        of ``accumulate`` micro-batches carried over from it completes later).

        Examples
        --------
        >>> Schedule(100, 5, 30, max_steps=50).epochs_run
        3
        """
        return self._counting.epochs_run

    def steps_in_epoch(self, epoch: int) -> int:
        """Updates completed in epoch ``epoch`` (0-based).

        Examples
        --------
        >>> s = Schedule(100, 3, 2, accumulate=4, accumulate_across_epochs=True)
        >>> [s.steps_in_epoch(e) for e in range(2)]
        [8, 9]
        """
        last = self.epochs - 1
        e = check_int(epoch, "epoch", "Schedule.steps_in_epoch", min_value=0, max_value=last)
        return self._counting.steps_in_epoch(e)

    def updates_in_epoch(self, epoch: int) -> int:
        """Deprecated name of :meth:`steps_in_epoch` ("step" is the API word)."""
        warn_renamed("Schedule.updates_in_epoch", "Schedule.steps_in_epoch")
        return self.steps_in_epoch(epoch)

    @property
    def iterations(self) -> int:
        """What "iteration" counts under :attr:`iteration`: steps or epochs.

        Examples
        --------
        >>> Schedule(100, 5, 30).iterations, Schedule(100, 5, 30, iteration="epoch").iterations
        (600, 30)
        """
        return self.total_steps if self.iteration == "step" else self.epochs

    def samples_through(self, steps: int) -> int:
        """Per-sample gradients computed in the first ``steps`` updates.

        Examples
        --------
        >>> Schedule(100, 3, 2).samples_through(34), Schedule(100, 3, 2).samples_through(35)
        (100, 103)
        """
        k = check_int(steps, "steps", "Schedule.samples_through", min_value=0)
        return self._counting.samples_through(k)

    def samples_in_epoch(self, epoch: int) -> int:
        """Per-sample gradients of the updates completed in epoch ``epoch`` (0-based).

        Examples
        --------
        >>> s = Schedule(100, 3, 4, steps_per_epoch=20)
        >>> [s.samples_in_epoch(e) for e in range(4)]
        [60, 58, 60, 58]
        """
        last = self.epochs - 1
        e = check_int(epoch, "epoch", "Schedule.samples_in_epoch", min_value=0, max_value=last)
        return self._counting.samples_in_epoch(e)

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
        return self._counting.samples_per_epoch

    @property
    def samples_seen(self) -> int:
        """Per-sample gradients computed in the run.

        Examples
        --------
        >>> Schedule(100, 5, 30).samples_seen, Schedule(100, 1, 500, epoch="draw").samples_seen
        (3000, 500)
        """
        return self._counting.samples_through(self.total_steps)

    @property
    def data_passes(self) -> float:
        """``samples_seen / n_samples``: how many times the data set's worth was used.

        Under the original definition this is "each sample is used about E·B/N times".

        Raises
        ------
        ValueError
            When the ratio passes a float's range (about 1.8e308): the counts
            themselves (:attr:`samples_seen`) stay exact Python ints.

        Examples
        --------
        >>> Schedule(100, 1, 500, epoch="draw").data_passes
        5.0
        """
        return ratio(self.samples_seen, self.n_samples, "data_passes", "Schedule")

    def step_table(self) -> dict[str, NDArray[np.int64]]:
        """Every update's position and size, as int64 columns of length ``total_steps``.

        Columns: ``epoch``, ``step``, ``step_in_epoch``, ``batch_size`` (rows
        in the update, all micro-batches and replicas), ``samples_seen``
        (after the update). The same numbers as the fields of
        :meth:`batches`, without drawing any rows.

        Raises
        ------
        ValueError
            When the columns would pass 1 GiB (about 16 million updates), or a
            count passes int64's ``2**63 - 1`` (the columns stay int64, what
            numpy code expects; :meth:`batch` and :meth:`samples_through` are
            exact Python ints at any size).

        Examples
        --------
        >>> t = Schedule(10, 4, 2).step_table()
        >>> t["epoch"].tolist(), t["batch_size"].tolist(), t["samples_seen"].tolist()
        ([0, 0, 0, 1, 1, 1], [4, 4, 2, 4, 4, 2], [4, 8, 10, 14, 18, 20])
        """
        return self._counting.step_table()

    # ----------------------------------------------------- rows (minigd.batching)
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
        return batching.batches(self, root, first)

    def batch(self, step: int, seed: int | None = None) -> Batch:
        """The batch of global step ``step`` (0-based), computed directly.

        Equals the ``step``-th item of :meth:`batches` with the same seed,
        without replaying the steps before it. A sequential pass on one
        replica is sliced directly, so any ``n_samples`` up to ``2**63 - 1``
        works; a shuffled pass is built whole.

        Raises
        ------
        ValueError
            When the batch, or the pass it is cut from, would pass 1 GiB or
            about 10 s of drawing (:data:`minigd._validation.ROWS_LIMIT` rows),
            or a row number passes int64. :meth:`batches` refuses the same.

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
        return batching.batch(self, k, resolve_seed(check_seed(seed, "Schedule.batch")))

    # ----------------------------------------------- exposures (minigd.exposures)
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

        Raises
        ------
        ValueError
            When the counts would pass 1 GiB (``n_samples`` over about 134
            million), the replay about 10 s, or a count int64; use
            :meth:`exposure_summary` then.

        Examples
        --------
        >>> Schedule(100, 10, 500).exposures().min()
        np.int64(500)
        >>> e = Schedule(100, 1, 500, epoch="draw").exposures(seed=0)
        >>> int(e.sum()), float(e.mean())
        (500, 5.0)
        """
        return exposures.exposures(self, resolve_seed(check_seed(seed, "Schedule.exposures")))

    def exposure_summary(self) -> ExposureSummary:
        """The law of each sample's use count, in closed form (no simulation).

        O(1) in every regime (with replicas too). Its floats cannot describe
        more than about 1.8e308 samples or uses: a ValueError says so.

        Examples
        --------
        >>> Schedule(100, 10, 500).exposure_summary().distribution
        'exactly 500'
        >>> x = Schedule(100, 1, 500, epoch="draw").exposure_summary()
        >>> x.mean, x.distribution, round(x.p_never, 5)
        (5.0, 'Binomial(n=500, p=0.01)', 0.00657)
        """
        return exposures.exposure_summary(self)

    # ----------------------------------------------- frameworks (minigd.frameworks)
    def counters(self, framework: str, **options: Any) -> dict[str, Any]:
        """What ``framework`` will report after running this schedule.

        See :func:`minigd.frameworks.counters`.

        Examples
        --------
        >>> Schedule(100, 5, 30).counters("keras")["model.optimizer.iterations"]
        600
        """
        return frameworks._counters(self, framework, options, "Schedule.counters")

    def to(self, framework: str, **options: Any) -> dict[str, Any]:
        """The arguments that produce this schedule in ``framework``.

        See :func:`minigd.frameworks.to_framework`.

        Examples
        --------
        >>> Schedule(100, 5, 30).to("keras")["arguments"]
        {'fit': {'batch_size': 5, 'epochs': 30, 'shuffle': True}}
        """
        return frameworks._to_framework(self, framework, options, "Schedule.to")

    @classmethod
    def from_framework(cls, framework: str, n_samples: int, **arguments: Any) -> Schedule:
        """The schedule ``framework`` runs with these arguments (its names and defaults).

        See :func:`minigd.frameworks.from_framework`. The keyed arguments of
        :meth:`to` go back as they are: ``Schedule.from_framework(fw, n,
        **s.to(fw)["arguments"])``.

        Examples
        --------
        >>> Schedule.from_framework("huggingface", n_samples=100, per_device_train_batch_size=5,
        ...                         max_steps=50, num_train_epochs=1).total_steps
        50
        """
        call = "Schedule.from_framework"
        return cls(**frameworks._from_framework(framework, n_samples, arguments, call))

    # -------------------------------------------------- display (minigd.display)
    def to_dict(self) -> dict[str, Any]:
        """Every argument and count as plain Python values (JSON-ready).

        Examples
        --------
        >>> d = Schedule(100, 5, 30).to_dict()
        >>> d["steps_per_epoch"], d["total_steps"], d["samples_seen"]
        (20, 600, 3000)
        """
        return _as_dict(self)

    def describe(self, lang: str = "en") -> display.Table:
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
        return display.describe_schedule(self, lang)

    def _repr_html_(self) -> str:
        return display.describe_schedule(self)._repr_html_()

    def __repr__(self) -> str:
        shown = [f"{k}={self._args[k]!r}" for k in ("n_samples", "batch_size", "epochs")]
        shown += [f"{k}={self._args[k]!r}" for k, v in _DEFAULTS.items() if self._args[k] != v]
        c = self._counting
        per_epoch = "varying steps" if c.steps_vary() else counted(c.steps_per_epoch, "step")
        return (
            f"Schedule({', '.join(shown)}): {per_epoch} per epoch, "
            f"{counted(c.total_steps, 'step')}, {counted(self.samples_seen, 'sample')} seen"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Schedule):
            return NotImplemented
        return self._args == other._args

    def __hash__(self) -> int:
        return hash(tuple(self._args.values()))


def _as_dict(s: Schedule) -> dict[str, Any]:
    x, c = s.exposure_summary(), s.counting
    if c.steps_vary():  # a list of every epoch's updates
        check_memory(s.epochs, 40, "epochs", "Schedule.to_dict", "Use steps_in_epoch(e).")
    return {
        **s.arguments(),
        "batches_per_pass": s.batches_per_pass,
        "last_batch_size": s.last_batch_size,
        "effective_batch_size": s.effective_batch_size,
        "micro_batches_per_epoch": s.micro_batches_per_epoch,
        "micro_batches": s.micro_batches,
        "micro_batches_all_replicas": s.micro_batches * s.world_size,
        "micro_batches_unapplied": s.micro_batches_unapplied,
        "steps_per_epoch": None if c.steps_vary() else s.steps_per_epoch,
        "steps_in_epoch": np.diff(s.epoch_starts()).tolist() if c.steps_vary() else None,
        "total_steps": s.total_steps,
        "epochs_run": s.epochs_run,
        "samples_per_epoch": None if c.samples_vary() else s.samples_per_epoch,
        "samples_seen": s.samples_seen,
        "iterations": s.iterations,
        "data_passes": s.data_passes,
        "exposures": x._asdict(),
    }


def compare(
    schedules: Sequence[Schedule],
    labels: Sequence[str] | None = None,
    lang: str = "en",
) -> display.Table:
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
    if isinstance(schedules, Schedule) or not isinstance(schedules, Sequence):
        raise TypeError(
            message("schedules", "compare", "be a sequence of Schedule (a list: [schedule])",
                    describe_value(schedules))
        )  # fmt: skip
    schedules = list(schedules)
    for i, s in enumerate(schedules):
        if not isinstance(s, Schedule):
            raise TypeError(
                f"The 'schedules' parameter of compare must be a sequence of Schedule. "
                f"Item {i} is of type {type(s).__name__}."
            )
    labels = [f"#{i + 1}" for i in range(len(schedules))] if labels is None else list(labels)
    if len(labels) != len(schedules):
        raise ValueError(
            f"The 'labels' parameter of compare must have one label per schedule "
            f"({len(schedules)}). Got {len(labels)} instead."
        )
    return display.compare_schedules(schedules, labels, lang)
