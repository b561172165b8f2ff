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
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["Streams", "draw_rows", "pass_order", "resolve_seed", "stream"]

IntArray = NDArray[np.intp]


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
