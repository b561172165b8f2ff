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

from .batching import Streams, draw_rows, pass_order
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


def exposures(s: Schedule, root: int) -> NDArray[np.int64]:
    """Every sample's uses in the run of ``s`` for root seed ``root`` (:meth:`Schedule.exposures`).

    Examples
    --------
    >>> from minigd import Schedule
    >>> exposures(Schedule(10, 4, 3), root=0).tolist()
    [3, 3, 3, 3, 3, 3, 3, 3, 3, 3]
    """
    n = s.n_samples
    counts = np.zeros(n, dtype=np.int64)
    if s.accumulate > 1 or s.world_size > 1:  # several parts per update: replay them
        for batch in s.batches(root):
            counts += np.bincount(batch.indices, minlength=n)
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
        counts += np.bincount(draw_rows(n, s.batch_size, step, streams, s.sampling), minlength=n)
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


def _slot_counts(s: Schedule, rows_per_replica: int) -> NDArray[np.int64]:
    """Uses of each position of a pass's order when each replica uses its first rows."""
    n, r = s.n_samples, s.world_size
    slot = np.arange(r * s.counting.rows_per_replica, dtype=np.int64)
    used = slot // r < rows_per_replica  # replica slot % r, its position slot // r
    return np.bincount(slot[used] % n, minlength=n)


def _sharded(s: Schedule, full_passes: int, rest_steps: int) -> ExposureSummary:
    """Replicas: padding repeats rows, so a pass uses some positions twice.

    A sample's count in a full pass is the count of the position it lands
    on: for a shuffled pass a uniformly random entry of ``_slot_counts``;
    for a fixed order, its own. Passes are independent.
    """
    n, b, c = s.n_samples, s.batch_size, s.counting
    nb = c.batches_per_pass
    assert nb is not None
    full = _slot_counts(s, nb * b if s.drop_last else c.rows_per_replica)
    part = _slot_counts(s, rest_steps * b)
    if s.sampling == "sequential":
        counts = full_passes * full + part
        mean = float(counts.mean())
        never = int(np.count_nonzero(counts == 0))
        lo, hi = int(counts.min()), int(counts.max())
        law = fixed_law(lo, hi)
        return ExposureSummary(
            mean, float(counts.std()), lo, hi, never / n, float(never), False, law
        )
    mean = full_passes * float(full.mean()) + float(part.mean())
    var = full_passes * float(full.var()) + float(part.var())
    p_never = float(np.mean(full == 0)) ** full_passes * float(np.mean(part == 0))
    lo = full_passes * int(full.min()) + int(part.min())
    hi = full_passes * int(full.max()) + int(part.max())
    law = (
        fixed_law(lo, lo)
        if lo == hi
        else f"sum of {full_passes} passes of {np.bincount(full).tolist()} (uses: samples)"
    )
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
        groups = [(base + 1, rest), (base, n - rest)]
    else:
        base = draws // limit
        groups = [(base + 1, partial), (base, limit - partial), (0, n - limit)]
    groups = [(v, c) for v, c in groups if c > 0]
    mean = sum(v * c for v, c in groups) / n
    var = sum(c * (v - mean) ** 2 for v, c in groups) / n
    never = sum(c for v, c in groups if v == 0)
    lo, hi = min(v for v, _ in groups), max(v for v, _ in groups)
    return ExposureSummary(
        mean=mean,
        std=math.sqrt(var),
        min=lo,
        max=hi,
        p_never=never / n,
        expected_never_used=float(never),
        random=False,
        distribution=fixed_law(lo, hi),
    )
