"""The order of rows: which sample indices go into which update.

One definition, a pure function of integers, so any pass or any step can be
recomputed without replaying the run, a checkpoint needs only the seed and the
step, and numpy's global random state is never touched. Every random number
comes from :func:`stream`: ``PCG64(seed)`` jumped ahead by ``index * 2**64``
draws, a stream of its own for every ``index``. Stream 0 is ``PCG64(seed)``
itself, what ``model.init_params(seed)`` draws the initial parameters from;
pass (or draw) ``p`` uses stream ``p + 1``.

``epoch="pass"`` walks through passes over the data; pass ``p``'s order is::

    rng = numpy.random.Generator(numpy.random.PCG64(seed).advance((p + 1) << 64))
    rng.permutation(N)              # sampling="shuffle"
    rng.integers(N, size=N)         # sampling="replacement"
    numpy.arange(N)                 # sampling="sequential"

and its batches are consecutive slices of it. ``epoch="draw"`` draws each
batch on its own; with ``b = min(B, N)``, draw ``k``'s rows are::

    rng = numpy.random.Generator(numpy.random.PCG64(seed).advance((k + 1) << 64))
    rng.choice(N, size=b, replace=False)        # "shuffle": b distinct rows
    rng.integers(N, size=B)                     # "replacement"
    (k * b + numpy.arange(b)) % N               # "sequential": the next b rows

Draw ``k`` is step ``k``; with accumulation or replicas an update makes
several draws, numbered in part order (micro-step major, replica minor).

A batch that holds every row (``B >= N``, any sampling but
``"replacement"``) takes them in order, ``arange(N)``, and draws nothing: the
gradient of a mean over all rows is the same sum in any order.

:func:`batches` and :func:`batch` deal a Schedule's updates from these orders
(each update's position from :mod:`minigd.counting`); with accumulation or
replicas an update has several parts, each replica's rows strided as
``DistributedSampler`` deals them. ``Schedule.batches`` and ``Schedule.batch``
check their arguments and call them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from .schedule import Schedule

__all__ = [
    "Batch",
    "Streams",
    "batch",
    "batches",
    "draw_rows",
    "pass_order",
    "resolve_seed",
    "shards",
    "stream",
]

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
    >>> from minigd import Schedule
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


def resolve_seed(seed: int | None) -> int:
    """Return ``seed``, or fresh OS entropy when it is ``None``.

    Called once per run, so that a run with ``seed=None`` is still internally
    consistent (every pass keyed from the same root).

    Examples
    --------
    >>> resolve_seed(7)
    7
    >>> resolve_seed(None) >= 0
    True
    """
    if seed is not None:
        return seed
    entropy = np.random.SeedSequence().entropy
    assert isinstance(entropy, int)
    return entropy


def stream(seed: int, index: int) -> np.random.Generator:
    """Random stream ``index`` of ``seed``: ``PCG64(seed)`` jumped ahead by ``index * 2**64``.

    PCG64 has a period of ``2**128``, so ``2**64`` streams of ``2**64`` draws
    each never overlap (numpy's ``PCG64.advance``).

    Examples
    --------
    >>> a = stream(3, 5).integers(1000, size=3)
    >>> b = np.random.Generator(np.random.PCG64(3).advance(5 << 64)).integers(1000, size=3)
    >>> bool((a == b).all())
    True
    """
    return np.random.Generator(np.random.PCG64(seed).advance(index << 64))


class Streams:
    """:func:`stream` for one seed and many indices: one generator, its state reset.

    Seeding ``PCG64`` hashes the seed (``SeedSequence``), which costs more than
    the permutation of a small pass; resetting a seeded generator's state and
    jumping ahead gives the same numbers. The generator returned is reused:
    draw from it before the next call.

    Examples
    --------
    >>> streams = Streams(3)
    >>> bool((streams(5).permutation(10) == stream(3, 5).permutation(10)).all())
    True
    """

    def __init__(self, seed: int) -> None:
        self._bit_generator = np.random.PCG64(seed)
        self._seeded = self._bit_generator.state
        self._rng = np.random.Generator(self._bit_generator)

    def __call__(self, index: int) -> np.random.Generator:
        self._bit_generator.state = self._seeded
        self._bit_generator.advance(index << 64)
        return self._rng


def pass_order(
    n_samples: int,
    pass_index: int,
    seed: int | Streams,
    sampling: str,
    batch_size: int = 1,
) -> IntArray:
    """Row indices of one pass over the data, in the order they are used.

    Pass ``p`` draws from :func:`stream` ``p + 1`` (stream 0 is the initial
    parameters').

    Parameters
    ----------
    n_samples : int
        Number of rows, ``N``.
    pass_index : int
        Which pass (0-based). Under ``epoch="pass"`` without a
        ``steps_per_epoch`` cap this is the epoch.
    seed : int or Streams
        Root seed of the run (or its :class:`Streams`, the same numbers).
    sampling : {"shuffle", "sequential", "replacement"}
        A fresh permutation, a fixed order, or ``N`` draws with replacement.
    batch_size : int, default 1
        ``B``: a pass that is one batch (``B >= N``, without replacement)
        is ``arange(N)``.

    Returns
    -------
    numpy.ndarray
        Read-only int array of length ``N``.

    Examples
    --------
    >>> pass_order(5, 0, seed=0, sampling="sequential").tolist()
    [0, 1, 2, 3, 4]
    >>> rng = np.random.Generator(np.random.PCG64(0).advance((3 + 1) << 64))
    >>> (pass_order(5, 3, seed=0, sampling="shuffle") == rng.permutation(5)).all()
    np.True_
    >>> pass_order(5, 3, seed=0, sampling="shuffle", batch_size=5).tolist()
    [0, 1, 2, 3, 4]
    """
    order: IntArray
    if sampling == "replacement":
        order = _rng(seed, pass_index + 1).integers(n_samples, size=n_samples, dtype=np.intp)
    elif sampling == "sequential" or batch_size >= n_samples:
        order = np.arange(n_samples, dtype=np.intp)
    else:
        order = _rng(seed, pass_index + 1).permutation(n_samples).astype(np.intp, copy=False)
    order.setflags(write=False)
    return order


def draw_rows(
    n_samples: int, batch_size: int, draw: int, seed: int | Streams, sampling: str
) -> IntArray:
    """The rows of draw ``draw`` under ``epoch="draw"`` (one update's batch, or one part).

    Parameters
    ----------
    n_samples, batch_size : int
        ``N`` and ``B``. Without replacement a batch holds ``min(B, N)`` rows.
    draw : int
        Which draw (0-based): the step, or with several parts per update
        the part's running number.
    seed : int or Streams
        Root seed of the run.
    sampling : {"shuffle", "sequential", "replacement"}
        ``"shuffle"``: distinct rows, uniformly at random, independently for
        every draw. ``"sequential"``: the next rows of ``0..N-1`` repeated
        cyclically. ``"replacement"``: ``B`` rows drawn with replacement.

    Returns
    -------
    numpy.ndarray
        Read-only int array.

    Examples
    --------
    >>> [draw_rows(10, 4, k, 0, "sequential").tolist() for k in range(3)]
    [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 0, 1]]
    >>> rows = draw_rows(10, 4, 7, seed=0, sampling="shuffle")
    >>> len(set(rows.tolist())), bool((rows == stream(0, 8).choice(10, 4, replace=False)).all())
    (4, True)
    """
    rows: IntArray
    b = min(batch_size, n_samples)
    if sampling == "replacement":
        rows = _rng(seed, draw + 1).integers(n_samples, size=batch_size, dtype=np.intp)
    elif sampling == "sequential":
        rows = ((draw * b + np.arange(b)) % n_samples).astype(np.intp)
    elif b == n_samples:
        rows = np.arange(n_samples, dtype=np.intp)
    else:
        rows = _rng(seed, draw + 1).choice(n_samples, size=b, replace=False).astype(np.intp)
    rows.setflags(write=False)
    return rows


def _rng(seed: int | Streams, index: int) -> Any:
    return seed(index) if isinstance(seed, Streams) else stream(seed, index)


# ---------------------------------------------------------------- a Schedule's batches
def batches(s: Schedule, root: int, start: int = 0) -> Iterator[Batch]:
    """The batches of ``s`` from update ``start`` on, for root seed ``root``.

    :meth:`Schedule.batches` checks the arguments and resolves the seed.

    Examples
    --------
    >>> from minigd import Schedule
    >>> [b.indices.tolist() for b in batches(Schedule(5, 2, 1, sampling="sequential"), 0, 1)]
    [[2, 3], [4]]
    """
    if s.accumulate > 1 or s.world_size > 1:
        return _part_batches(s, root, start)
    if s.epoch == "draw":
        return _draw_batches(s, root, start)
    return _pass_batches(s, root, start)


def batch(s: Schedule, step: int, root: int) -> Batch:
    """The batch of update ``step`` of ``s``, computed directly (see :meth:`Schedule.batch`).

    Examples
    --------
    >>> from minigd import Schedule
    >>> batch(Schedule(5, 2, 1, sampling="sequential"), 2, root=0).indices.tolist()
    [4]
    """
    if s.accumulate > 1 or s.world_size > 1:
        return _part_batch(s, step, Streams(root), {})
    c = s.counting
    epoch, in_epoch = c.position(step)
    nb, b = c.batches_per_pass, s.batch_size
    if nb is None:
        idx = draw_rows(s.n_samples, b, step, root, s.sampling)
    else:
        p, j = divmod(step, nb)
        idx = pass_order(s.n_samples, p, root, s.sampling, b)[j * b : (j + 1) * b]
    return Batch(epoch, step, in_epoch, idx, c.samples_through(step + 1))


def _pass_batches(s: Schedule, root: int, start: int) -> Iterator[Batch]:
    # one micro-batch per update: consecutive slices of each pass's order
    c, n, b = s.counting, s.n_samples, s.batch_size
    nb, per_epoch, total = c.batches_per_pass, c.steps_per_epoch, c.total_steps
    assert nb is not None
    p, j0 = divmod(start, nb)
    step, seen = start, c.samples_through(start)
    streams = Streams(root)
    while step < total:
        order = pass_order(n, p, streams, s.sampling, b)
        for j in range(j0, min(nb, j0 + total - step)):
            idx = order[j * b : (j + 1) * b]
            seen += len(idx)
            yield Batch(step // per_epoch, step, step % per_epoch, idx, seen)
            step += 1
        p, j0 = p + 1, 0


def _draw_batches(s: Schedule, root: int, start: int) -> Iterator[Batch]:
    c = s.counting
    per_epoch, size = c.steps_per_epoch, c.draw_size
    streams = Streams(root)
    for step in range(start, c.total_steps):
        rows = draw_rows(s.n_samples, s.batch_size, step, streams, s.sampling)
        yield Batch(step // per_epoch, step, step % per_epoch, rows, (step + 1) * size)


def shards(
    order: IntArray, world_size: int, rows: int, sharding: str, batch_size: int
) -> list[IntArray]:
    """Each replica's rows of one pass, as the sampler deals ``order`` to ``world_size`` replicas.

    The order is padded by repeating it from the start, or cut, to
    ``world_size * rows`` (``rows`` from
    :func:`~minigd.counting.rows_per_replica`). Then ``DistributedSampler``
    (``sharding="pad"`` or ``"drop"``) strides it, replica ``i`` taking
    positions ``i, i + r, ...``; accelerate's ``BatchSamplerShard``
    (``"batches"``) cuts it into batches of ``batch_size`` and replica ``i``
    takes batches ``i, i + r, ...``.

    Examples
    --------
    >>> order = np.arange(10)
    >>> [x.tolist() for x in shards(order, 2, 5, "pad", 3)]
    [[0, 2, 4, 6, 8], [1, 3, 5, 7, 9]]
    >>> [x.tolist() for x in shards(order, 2, 6, "batches", 3)]
    [[0, 1, 2, 6, 7, 8], [3, 4, 5, 9, 0, 1]]
    """
    size = world_size * rows
    dealt = np.resize(order, size) if size > len(order) else order[:size]
    if sharding == "batches" and world_size > 1:  # one replica takes the order as it is
        blocks = dealt.reshape(-1, batch_size)
        return [blocks[i::world_size].reshape(-1) for i in range(world_size)]
    return [dealt[i::world_size] for i in range(world_size)]


def _shards(s: Schedule, pass_index: int, streams: Streams) -> list[IntArray]:
    order = pass_order(s.n_samples, pass_index, streams, s.sampling, s.batch_size)
    c = s.counting
    return shards(order, s.world_size, c.rows_per_replica, c.sharding, s.batch_size)


def _parts(s: Schedule, step: int, streams: Streams, cache: dict[int, Any]) -> list[IntArray]:
    b, r, c = s.batch_size, s.world_size, s.counting
    first, last = c.micro_range(step)
    nb = c.batches_per_pass
    if nb is None:  # draw: k * r independent draws per update
        return [
            draw_rows(s.n_samples, b, q, streams, s.sampling) for q in range(first * r, last * r)
        ]
    parts: list[IntArray] = []
    for micro in range(first, last):
        pass_index, m = divmod(micro, nb)
        if pass_index not in cache:  # the shards of the current pass only
            cache.clear()
            cache[pass_index] = _shards(s, pass_index, streams)
        parts.extend(shard[m * b : (m + 1) * b] for shard in cache[pass_index])
    return parts


def _part_batch(s: Schedule, step: int, streams: Streams, cache: dict[int, Any]) -> Batch:
    parts = _parts(s, step, streams, cache)
    indices = np.concatenate(parts)
    indices.setflags(write=False)
    epoch, in_epoch = s.counting.position(step)
    samples = s.counting.samples_through(step + 1)
    return Batch(epoch, step, in_epoch, indices, samples, tuple(parts))


def _part_batches(s: Schedule, root: int, start: int) -> Iterator[Batch]:
    streams = Streams(root)
    cache: dict[int, Any] = {}
    for step in range(start, s.total_steps):
        yield _part_batch(s, step, streams, cache)
