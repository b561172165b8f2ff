"""The order of rows: which sample indices go into which update.

Every function here is pure: its result depends only on its arguments (the
cache of :class:`PassOrders` changes how often a block is drawn, not what it
holds). Random orders come from generators derived from the seed alone, so any
pass or any step can be recomputed without replaying the run, and numpy's
global random state is never touched.

Two kinds of randomness exist, one per epoch convention:

- ``"pass"`` epochs walk through *passes*: pass ``p`` is a permutation of all
  rows (``sampling="shuffle"``), ``0..N-1`` (``"sequential"``) or ``N`` rows
  drawn with replacement (``"replacement"``). Passes are drawn in blocks of
  :func:`passes_per_block` ``= max(1, 4096 // N)``: block ``q`` takes its
  random numbers from the ``q``-th block of 2**64 draws of ``PCG64(seed)``
  (the generator is seeded once and jumped ahead with ``advance``) and draws
  its passes one after another in a single call. On small data that is one
  generator setup and one numpy call per 4,096 rows rather than per pass;
  from N = 4,096 rows up, a block is one pass. Batches are consecutive
  slices of the pass.
- ``"draw"`` epochs draw each batch on its own. Draws are made in blocks of
  :data:`DRAW_BLOCK` steps from the generator keyed ``[seed, DRAW_KEY, block]``,
  which costs one generator per block rather than one per step.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "DRAW_BLOCK",
    "DRAW_KEY",
    "PASS_BLOCK_VALUES",
    "PassOrders",
    "draw_block",
    "pass_block",
    "pass_generator",
    "pass_order",
    "passes_per_block",
    "resolve_seed",
]

IntArray = NDArray[np.intp]

#: Steps drawn together under ``epoch="draw"``; part of the definition of the
#: random stream, so changing it changes every draw schedule's batches.
DRAW_BLOCK = 256
#: Separates the generators of draw blocks from those of passes.
DRAW_KEY = 0x64726177  # "draw"
#: Row indices drawn together under ``epoch="pass"`` (32 KB): the orders of
#: ``max(1, PASS_BLOCK_VALUES // N)`` consecutive passes come from one
#: generator in one call. Part of the definition of the random stream.
PASS_BLOCK_VALUES = 4096

# Above this many random keys per block, draw without replacement one batch
# at a time instead of arg-sorting a (block, N) matrix.
_ARGSORT_LIMIT = 1 << 20


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


@lru_cache(maxsize=32)
def _seeded_state(seed: int) -> Any:
    return np.random.PCG64(seed).state


def pass_generator(
    seed: int, block: int, scratch: np.random.Generator | None = None
) -> np.random.Generator:
    """The generator of pass block ``block``: ``PCG64(seed)`` advanced by ``block * 2**64``.

    ``scratch`` is a PCG64-backed generator to reuse (its state is
    overwritten), which saves building one per pass in a long run.

    Examples
    --------
    >>> a = pass_generator(3, 5).integers(1000, size=3)
    >>> b = pass_generator(3, 5, scratch=np.random.default_rng(0)).integers(1000, size=3)
    >>> bool((a == b).all())
    True
    """
    rng = np.random.Generator(np.random.PCG64(0)) if scratch is None else scratch
    bitgen = rng.bit_generator
    bitgen.state = _seeded_state(seed)
    bitgen.advance(block << 64)  # type: ignore[attr-defined]
    return rng


def passes_per_block(n_samples: int) -> int:
    """How many consecutive passes over ``n_samples`` rows are drawn together.

    Examples
    --------
    >>> passes_per_block(100), passes_per_block(4096), passes_per_block(10**6)
    (40, 1, 1)
    """
    return max(1, PASS_BLOCK_VALUES // n_samples)


def pass_block(
    n_samples: int,
    block: int,
    seed: int,
    sampling: str,
    scratch: np.random.Generator | None = None,
) -> IntArray:
    """Row orders of the passes in block ``block``, one pass per row.

    Row ``i`` is the order of pass ``block * passes_per_block(n_samples) + i``.
    The rows are drawn one after another from one generator (see
    :func:`pass_generator`), so they are exactly the permutations (or draws)
    that as many calls of ``rng.permutation(n_samples)`` would give.

    Parameters
    ----------
    n_samples : int
        Number of rows, ``N``.
    block : int
        Which block of passes (0-based).
    seed : int
        Root seed of the run.
    sampling : {"shuffle", "sequential", "replacement"}
        A fresh permutation per pass, a fixed order, or ``N`` draws with
        replacement per pass.
    scratch : numpy.random.Generator, optional
        A PCG64-backed generator to reuse (see :func:`pass_generator`).

    Returns
    -------
    numpy.ndarray
        Read-only int array of shape ``(passes_per_block(n_samples), N)``.

    Examples
    --------
    >>> orders = pass_block(5, 0, seed=0, sampling="shuffle")
    >>> orders.shape, sorted(orders[3].tolist())
    ((819, 5), [0, 1, 2, 3, 4])
    >>> rng = pass_generator(0, 0)
    >>> [rng.permutation(5).tolist() for _ in range(2)] == orders[:2].tolist()
    True
    """
    k = passes_per_block(n_samples)
    orders: IntArray
    if sampling == "sequential":
        orders = np.broadcast_to(np.arange(n_samples, dtype=np.intp), (k, n_samples))
    elif sampling == "shuffle":
        orders = np.arange(n_samples, dtype=np.intp).reshape(1, n_samples)
        if k > 1:
            orders = np.tile(orders, (k, 1))
        # each row shuffled in turn by the same generator, in one call
        pass_generator(seed, block, scratch).permuted(orders, axis=1, out=orders)
    else:
        rng = pass_generator(seed, block, scratch)
        orders = rng.integers(0, n_samples, size=(k, n_samples), dtype=np.intp)
    orders.setflags(write=False)
    return orders


def pass_order(
    n_samples: int,
    pass_index: int,
    seed: int,
    sampling: str,
    scratch: np.random.Generator | None = None,
) -> IntArray:
    """Row indices of one pass over the data, in the order they are used.

    Draws the pass's whole block (:func:`pass_block`); to walk through many
    passes in order, :class:`PassOrders` draws each block once.

    Parameters
    ----------
    n_samples : int
        Number of rows, ``N``.
    pass_index : int
        Which pass (0-based). Under ``epoch="pass"`` without a
        ``steps_per_epoch`` cap this is the epoch.
    seed : int
        Root seed of the run.
    sampling : {"shuffle", "sequential", "replacement"}
        A fresh permutation, a fixed order, or ``N`` draws with replacement.
    scratch : numpy.random.Generator, optional
        A PCG64-backed generator to reuse (see :func:`pass_generator`).

    Returns
    -------
    numpy.ndarray
        Read-only int array of length ``N``.

    Examples
    --------
    >>> pass_order(5, 0, seed=0, sampling="sequential").tolist()
    [0, 1, 2, 3, 4]
    >>> sorted(pass_order(5, 3, seed=0, sampling="shuffle").tolist())
    [0, 1, 2, 3, 4]
    >>> bool((pass_order(5, 3, 0, "shuffle") == pass_order(5, 3, 0, "shuffle")).all())
    True
    """
    block, i = divmod(pass_index, passes_per_block(n_samples))
    order: IntArray = pass_block(n_samples, block, seed, sampling, scratch)[i]
    return order


class PassOrders:
    """:func:`pass_order` for a walk through passes: each block is drawn once.

    Calling it with the passes in increasing order (as a run visits them)
    draws every block once and slices it; any other order still works, at
    the cost of redrawing a block.

    Parameters
    ----------
    n_samples : int
        Number of rows, ``N``.
    seed : int
        Root seed of the run.
    sampling : {"shuffle", "sequential", "replacement"}
        As in :func:`pass_order`.

    Examples
    --------
    >>> orders = PassOrders(5, seed=0, sampling="shuffle")
    >>> all((orders(p) == pass_order(5, p, 0, "shuffle")).all() for p in (0, 1, 900, 2))
    True
    """

    def __init__(self, n_samples: int, seed: int, sampling: str) -> None:
        self.n_samples, self.seed, self.sampling = n_samples, seed, sampling
        self.per_block = passes_per_block(n_samples)
        self._scratch = np.random.default_rng(0)
        self._block = -1
        self._orders: IntArray = np.empty((0, n_samples), dtype=np.intp)

    def __call__(self, pass_index: int) -> IntArray:
        block, i = divmod(pass_index, self.per_block)
        if block != self._block:
            self._orders = pass_block(
                self.n_samples, block, self.seed, self.sampling, self._scratch
            )
            self._block = block
        order: IntArray = self._orders[i]
        return order


def draw_block(n_samples: int, batch_size: int, block: int, seed: int, sampling: str) -> IntArray:
    """The batches of :data:`DRAW_BLOCK` consecutive draw-epoch steps.

    Row ``i`` of the result is the batch of step ``block * DRAW_BLOCK + i``.

    Parameters
    ----------
    n_samples, batch_size : int
        ``N`` and ``B``. Without replacement a batch holds ``min(B, N)`` rows.
    block : int
        Which block of steps.
    seed : int
        Root seed of the run.
    sampling : {"shuffle", "sequential", "replacement"}
        ``"shuffle"``: distinct rows, uniformly at random, independently for
        every step. ``"sequential"``: the next rows of ``0..N-1`` repeated
        cyclically. ``"replacement"``: ``B`` rows drawn with replacement.

    Returns
    -------
    numpy.ndarray
        Read-only int array of shape ``(DRAW_BLOCK, b)``.

    Examples
    --------
    >>> draw_block(10, 4, block=0, seed=0, sampling="sequential")[:3].tolist()
    [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 0, 1]]
    >>> rows = draw_block(10, 4, block=0, seed=0, sampling="shuffle")
    >>> rows.shape, all(len(set(r)) == 4 for r in rows.tolist())
    ((256, 4), True)
    """
    k = DRAW_BLOCK
    rows: IntArray
    if sampling == "sequential":
        b = min(batch_size, n_samples)
        start = block * k * b
        flat = (start + np.arange(k * b, dtype=np.int64)) % n_samples
        rows = flat.astype(np.intp).reshape(k, b)
    else:
        rng = np.random.default_rng([seed, DRAW_KEY, block])
        if sampling == "replacement":
            rows = rng.integers(0, n_samples, size=(k, batch_size), dtype=np.intp)
        else:
            b = min(batch_size, n_samples)
            if b == 1:
                rows = rng.integers(0, n_samples, size=(k, 1), dtype=np.intp)
            elif k * n_samples <= _ARGSORT_LIMIT:
                # Sorting random keys gives a uniform permutation per row;
                # its first b entries are a uniform b-subset.
                keys = rng.random((k, n_samples))
                rows = np.argsort(keys, axis=1, kind="stable")[:, :b].astype(np.intp)
            else:
                rows = np.stack(
                    [rng.choice(n_samples, size=b, replace=False) for _ in range(k)]
                ).astype(np.intp)
    rows.setflags(write=False)
    return rows
