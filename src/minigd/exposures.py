"""Exposures: how many per-sample gradients each sample takes part in over a run.

Two views of one question. :func:`exposures` counts, for a given seed, every
sample's uses by replaying the row order (:mod:`minigd.batching`), skipping
whatever it can count without drawing. :func:`exposure_summary` gives the law
of one sample's count in closed form, without simulating: exactly ``E`` for a
shuffled pass epoch, a binomial when batches are drawn, a sum over passes when
replicas pad the data.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._validation import FLOAT_MAX, check_int64, check_memory, check_rows, magnitude
from .batching import Streams, check_batch_size, draw_rows, pass_order
from .display import fixed_law

if TYPE_CHECKING:
    from .schedule import Schedule

__all__ = ["ExposureSummary", "exposure_summary", "exposures"]


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
    >>> from minigd import Schedule
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


#: Replaying one update costs about as much as drawing this many rows (20 us).
_UPDATE_ROWS = 200
_HINT = "Use exposure_summary() for the law of a sample's uses, in closed form."


def _replayed(s: Schedule) -> int:
    """Rows :func:`exposures` draws or counts, an update replayed counting as 200."""
    c, n = s.counting, s.n_samples
    nb = c.batches_per_pass
    if nb is None:
        if s.sampling == "sequential":
            return n
        return c.total_steps * (_UPDATE_ROWS + s.accumulate * s.world_size * s.batch_size)
    passes = c.micro_through(c.total_steps) // nb + 1
    if s.accumulate > 1 or s.world_size > 1:
        return c.total_steps * (_UPDATE_ROWS + s.effective_batch_size) + passes * 2 * n
    if s.sampling == "sequential" or (s.sampling == "shuffle" and c.samples_per_pass == n):
        return 2 * n  # counted without drawing, and the last partial pass
    return passes * 2 * n


def _most_uses(s: Schedule) -> int:
    """A bound on a sample's uses where :func:`exposures` counts without replaying."""
    c = s.counting
    nb = c.batches_per_pass
    if nb is None:  # sequential draws: within one of the mean
        return -(-s.samples_seen // s.n_samples) + 1
    return c.micro_through(c.total_steps) // nb + 1  # a pass uses a row once


def exposures(s: Schedule, root: int) -> NDArray[np.int64]:
    """Every sample's uses in the run of ``s`` for root seed ``root`` (:meth:`Schedule.exposures`).

    Refused with a ValueError, before any work, when the counts would pass
    1 GiB, the replay about 10 s, or a count int64's ``2**63 - 1``: numpy's
    int64 counts are what users compare and sum, and :func:`exposure_summary`
    gives the law of the counts at any size.

    Examples
    --------
    >>> from minigd import Schedule
    >>> exposures(Schedule(10, 4, 3), root=0).tolist()
    [3, 3, 3, 3, 3, 3, 3, 3, 3, 3]
    """
    n, owner = s.n_samples, "Schedule.exposures"
    check_memory(n, 8, "counts", owner, _HINT)
    check_rows(_replayed(s), "rows (an update replayed counts as 200)", owner, _HINT)
    check_int64(_most_uses(s), "uses", owner, _HINT)
    check_batch_size(s, owner)
    counts = np.zeros(n, dtype=np.int64)
    if s.accumulate > 1 or s.world_size > 1:  # several parts per update: replay them
        for batch in s.batches(root):
            np.add.at(counts, batch.indices, 1)
        return counts
    if s.counting.batches_per_pass is None:
        return _drawn_exposures(s, Streams(root), counts)
    return _pass_exposures(s, Streams(root), counts)


def _drawn_exposures(s: Schedule, streams: Streams, counts: NDArray[np.int64]) -> NDArray[np.int64]:
    n, total = s.n_samples, s.total_steps
    if s.sampling == "sequential":  # draws walk through 0..N-1 cyclically
        full, rest = divmod(total * s.counting.draw_size, n)
        counts += full
        counts[:rest] += 1
        return counts
    for step in range(total):
        np.add.at(counts, draw_rows(n, s.batch_size, step, streams, s.sampling), 1)
    return counts


def _pass_exposures(s: Schedule, streams: Streams, counts: NDArray[np.int64]) -> NDArray[np.int64]:
    c, n, b = s.counting, s.n_samples, s.batch_size
    nb, spp = c.batches_per_pass, c.samples_per_pass
    assert nb is not None
    assert spp is not None
    full_passes, rest_steps = divmod(c.micro_through(c.total_steps), nb)
    partial = rest_steps * b
    if s.sampling == "sequential":
        counts[:spp] += full_passes  # every pass is arange(N)
        counts[:partial] += 1
        return counts
    if s.sampling == "shuffle" and spp == n:
        counts += full_passes  # every full pass uses every sample once
    else:
        for p in range(full_passes):
            counts += np.bincount(pass_order(n, p, streams, s.sampling, b)[:spp], minlength=n)
    if partial:
        order = pass_order(n, full_passes, streams, s.sampling, b)
        counts += np.bincount(order[:partial], minlength=n)
    return counts


def exposure_summary(s: Schedule) -> ExposureSummary:
    """The law of each sample's use count in ``s``, in closed form (no simulation).

    Examples
    --------
    >>> from minigd import Schedule
    >>> exposure_summary(Schedule(100, 1, 500, epoch="draw")).distribution
    'Binomial(n=500, p=0.01)'
    """
    c = s.counting
    n = s.n_samples
    total = c.total_steps
    nb = c.batches_per_pass
    if max(n, s.samples_seen) > FLOAT_MAX:
        raise ValueError(
            f"Schedule.exposure_summary would describe {magnitude(s.samples_seen)} uses of "
            f"{magnitude(n)} samples in floats, more than a float holds (about 1.8e308)."
        )
    if nb is None:
        size = c.draw_size
        draws = total * s.accumulate * s.world_size
        if s.sampling == "sequential":
            return _deterministic(s, draws * size, 0, 0)
        if s.sampling == "replacement":
            trials, p = draws * s.batch_size, 1.0 / n
        else:
            trials, p = draws, size / n
        return _binomial(s, trials, p, 0.0)
    if s.sampling == "replacement":
        return _binomial(s, s.samples_seen, 1.0 / n, 0.0)
    full_passes, rest_steps = divmod(c.micro_through(total), nb)
    if s.world_size > 1:
        return _sharded(s, full_passes, rest_steps)
    spp = c.samples_per_pass
    assert spp is not None
    partial = rest_steps * s.batch_size
    if s.sampling == "sequential":
        return _deterministic(s, full_passes * spp, spp, partial)
    # shuffle: each full pass uses a sample with probability spp/N, the
    # partial pass with probability partial/N (partial < N always).
    return _binomial(s, full_passes, spp / n, partial / n)


def _slot_uses(s: Schedule, rows_per_replica: int) -> tuple[int, int]:
    """``(q, m)``: each position of a pass's order is used ``q + 1`` times below ``m``, ``q`` above.

    Replica ``i`` takes slots ``i, i + r, ...`` of the order repeated to
    ``r * ceil(N/r)`` slots (``DistributedSampler``); when each uses its first
    ``u`` rows the used slots are ``0 .. r*u - 1``, and slot ``t`` is position ``t % N``.
    """
    return divmod(s.world_size * rows_per_replica, s.n_samples)


def _sharded(s: Schedule, full_passes: int, rest_steps: int) -> ExposureSummary:
    """Replicas: padding repeats rows, so a pass uses some positions twice.

    A sample's count in a full pass is the count of the position it lands
    on: for a shuffled pass a uniformly random position's; for a fixed
    order, its own. Passes are independent. O(1): no array of N.
    """
    n, b, c, k = s.n_samples, s.batch_size, s.counting, full_passes
    nb = c.batches_per_pass
    assert nb is not None
    qf, rf = _slot_uses(s, nb * b if s.drop_last else c.rows_per_replica)
    qp, rp = _slot_uses(s, rest_steps * b)
    if s.sampling == "sequential":  # position i: k*(qf + [i < rf]) + qp + [i < rp]
        low, high = sorted((rf, rp))
        middle = k * qf + qp + (k if rf > rp else 1)  # the one of the two that reaches i
        groups = [(k * (qf + 1) + qp + 1, low), (middle, high - low), (k * qf + qp, n - high)]
        return _fixed(s, groups)
    mean = (k * (n * qf + rf) + n * qp + rp) / n
    var = k * (rf / n) * (1 - rf / n) + (rp / n) * (1 - rp / n)
    never_full = (n - rf) / n if qf == 0 else 0.0
    p_never = never_full**k * ((n - rp) / n if qp == 0 else 0.0)
    lo = k * qf + qp
    hi = k * (qf + (rf > 0)) + qp + (rp > 0)
    if lo == hi:
        law = fixed_law(lo, lo)
    else:
        check_memory(qf + 2, 8, "entries of the law", "Schedule.exposure_summary")
        uses = [0] * qf + [n - rf] + ([rf] if rf else [])
        law = f"sum of {k} passes of {uses} (uses: samples)"
    return ExposureSummary(mean, math.sqrt(var), lo, hi, p_never, n * p_never, lo != hi, law)


def _binomial(s: Schedule, trials: int, p: float, extra: float) -> ExposureSummary:
    """Binomial(trials, p) plus an independent Bernoulli(extra)."""
    n = s.n_samples
    var = trials * p * (1 - p) + extra * (1 - extra)
    deterministic = var == 0.0
    lo = trials if p >= 1.0 else 0
    hi = trials + (1 if extra > 0 else 0)
    if deterministic:
        law = fixed_law(lo, lo)
    else:
        law = f"Binomial(n={trials}, p={p:.4g})"
        if p >= 1.0:
            law = f"{trials} + Bernoulli(p={extra:.4g})"
        elif extra > 0:
            law += f" + Bernoulli(p={extra:.4g})"
    p_never = _binomial_p_never(trials, p) * (1.0 - extra)
    return ExposureSummary(
        mean=float(s.samples_seen / n),
        std=math.sqrt(var),
        min=lo,
        max=hi if not deterministic else lo,
        p_never=p_never,
        expected_never_used=n * p_never,
        random=not deterministic,
        distribution=law,
    )


def _deterministic(s: Schedule, draws: int, limit: int, partial: int) -> ExposureSummary:
    """Fixed-order counts.

    Under ``"draw"`` (``limit == 0``): ``draws`` taken cyclically. Under
    ``"pass"``: rows below ``limit`` get ``draws // limit`` uses, plus one
    for the first ``partial`` rows.
    """
    n = s.n_samples
    if limit == 0:
        base, rest = divmod(draws, n)
        return _fixed(s, [(base + 1, rest), (base, n - rest)])
    base = draws // limit
    return _fixed(s, [(base + 1, partial), (base, limit - partial), (0, n - limit)])


def _fixed(s: Schedule, groups: list[tuple[int, int]]) -> ExposureSummary:
    """Counts fixed by the order, as ``(uses, samples)`` groups; exact until rounded."""
    n = s.n_samples
    groups = [(v, c) for v, c in groups if c > 0]
    total = sum(v * c for v, c in groups)
    squares = sum(v * v * c for v, c in groups)
    never = sum(c for v, c in groups if v == 0)
    lo, hi = min(v for v, _ in groups), max(v for v, _ in groups)
    return ExposureSummary(
        mean=total / n,
        std=math.sqrt((n * squares - total * total) / (n * n)),  # Python ints: exact
        min=lo,
        max=hi,
        p_never=never / n,
        expected_never_used=float(never),
        random=False,
        distribution=fixed_law(lo, hi),
    )
